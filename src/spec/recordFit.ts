// How a producer's records fit the record limits they meet, with the model's arithmetic, for the scenario's
// errors and warnings. A stream takes records of at most its maxRecordSize, data plus partition key; a Firehose
// delivery stream (Direct PUT) takes 1,000 KiB of data. A record larger is rejected client-side and lost as too
// large: the model sends data of at most ⌊limit − key bytes⌋ (src/model/producers: putClient.ts, kpl.ts), and
// draws sizes as src/workload/recordSize.ts does — fixed, uniform over whole bytes, lognormal by its closed form
// P(size > x) = 1 − Φ((ln x − μ) / σ) — an agent's records being its line size × linesPerRecord × sizeFactor.
// The model takes each shard's mean key length; here the key lengths' range gives the range the share lies in.

import * as L from "../aws/limits.js";
import { normalCdf } from "../engine/normal.js";
import { lognormalFromMedianP99 } from "../engine/random.js";
import type { ProducerSpec } from "./producers.js";
import { deliveryStreamOf, producerStreams, streamsOf, type StreamsPart } from "./topology.js";
import type { PartitionKeySpec, RecordSizeSpec } from "./traffic.js";
import { formatSize } from "./units.js";

/** UTF-8 bytes of a string, as the model counts partition keys (a lone surrogate as U+FFFD, 3 bytes). */
const utf8 = new TextEncoder();
export function utf8Bytes(s: string): number {
  return utf8.encode(s).length;
}

/** The shortest and longest partition key (UTF-8 bytes) a key model sends. */
export function keyBytesRange(pk: PartitionKeySpec): { min: number; max: number } {
  switch (pk.kind) {
    case "random":
    case "explicit":
      return { min: pk.length, max: pk.length };
    case "zipf": {
      const prefix = utf8Bytes(pk.prefix);
      return { min: prefix + 1, max: prefix + String(pk.keys).length };
    }
    case "hotKeys": {
      const lengths = pk.keys.map((k) => utf8Bytes(k.key));
      if (pk.keys.reduce((s, k) => s + k.share, 0) < 1 - 1e-9) lengths.push(pk.otherLength);
      return { min: Math.min(...lengths), max: Math.max(...lengths) };
    }
  }
}

/** P(a record's data > limit) for data = size × factor, as the model draws sizes. */
export function shareOver(rs: RecordSizeSpec, limit: number, factor = 1): number {
  const x = limit / factor;
  switch (rs.dist) {
    case "fixed":
      return rs.size > x ? 1 : 0;
    case "uniform":
      return x >= rs.max ? 0 : x < rs.min ? 1 : (rs.max - x) / (rs.max - rs.min + 1);
    case "lognormal": {
      const { mu, sigma } = lognormalFromMedianP99(rs.median, rs.p99);
      if (sigma === 0) return rs.median > x ? 1 : 0;
      return 1 - normalCdf((Math.log(x) - mu) / sigma);
    }
  }
}

/** The mean of a record's data, size × factor. */
export function meanRecordSize(rs: RecordSizeSpec, factor = 1): number {
  switch (rs.dist) {
    case "fixed":
      return rs.size * factor;
    case "uniform":
      return ((rs.min + rs.max) / 2) * factor;
    case "lognormal": {
      const { mu, sigma } = lognormalFromMedianP99(rs.median, rs.p99);
      return Math.exp(mu + (sigma * sigma) / 2) * factor;
    }
  }
}

/** How much larger a record is than the recordSize field says: an agent's linesPerRecord × sizeFactor, else 1. */
export function recordFactor(p: ProducerSpec): number {
  return p.client === "agent" ? p.agent.linesPerRecord * p.agent.sizeFactor : 1;
}

/** A limit a producer's records meet: a stream's maxRecordSize, or Firehose's record size for Direct PUT. */
export interface RecordTarget {
  kind: "stream" | "delivery stream";
  name: string;
  /** The share of the producer's records that go there. */
  share: number;
  /** The largest record, bytes (data + partition key for a stream; data for Firehose). */
  maxRecordSize: number;
  /** The field that sets it, as written in messages: `stream.maxRecordSize`, `streams[1].maxRecordSize`. */
  field: string;
  /** The partition key bytes counted with the data: 0 for Firehose, which takes no keys. */
  keys: { min: number; max: number };
}

/** Where a producer's records go and the record limit each place has. */
export function recordTargets(sc: StreamsPart, p: ProducerSpec): RecordTarget[] {
  const target = deliveryStreamOf(p);
  if (target !== undefined) {
    return [{ kind: "delivery stream", name: target, share: 1, maxRecordSize: L.FIREHOSE_MAX_RECORD_SIZE, field: "Firehose's record size limit", keys: { min: 0, max: 0 } }];
  }
  const streams = streamsOf(sc);
  const keys = keyBytesRange(p.partitionKey);
  return producerStreams(sc, p).flatMap(({ name, share }) => {
    const i = streams.findIndex((s) => s.name === name);
    if (i < 0) return [];
    const field = sc.streams ? `streams[${i}].maxRecordSize` : "stream.maxRecordSize";
    return [{ kind: "stream" as const, name, share, maxRecordSize: streams[i]!.spec.maxRecordSize, field, keys }];
  });
}

/** The share of a producer's records a target rejects as too large: from the longest key (most) and the shortest (least). */
export interface TargetFit {
  target: RecordTarget;
  /** The most data a record can carry there, with the shortest and with the longest key (⌊limit − key⌋). */
  room: { withShortestKey: number; withLongestKey: number };
  /** P(too large) of a record sent there: at least `least`, at most `most`. */
  least: number;
  most: number;
}

/** How the records of a producer with a recordSize fit each place they go. */
export function recordFit(sc: StreamsPart, p: ProducerSpec, rs: RecordSizeSpec): TargetFit[] {
  const f = recordFactor(p);
  return recordTargets(sc, p).map((target) => {
    const withShortestKey = Math.floor(target.maxRecordSize - target.keys.min);
    const withLongestKey = Math.floor(target.maxRecordSize - target.keys.max);
    return { target, room: { withShortestKey, withLongestKey }, least: shareOver(rs, withShortestKey, f), most: shareOver(rs, withLongestKey, f) };
  });
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

/** "2 MiB (2,097,152 B)", or "512 B". */
export function bytesText(bytes: number): string {
  const f = formatSize(bytes);
  return bytes < 1_024 ? f : `${f} (${n(bytes)} B)`;
}

/** The field's words for a record size: "recordSize.size 2 MiB (2,097,152 B)", with an agent's factor. */
export function recordSizeText(p: ProducerSpec, rs: RecordSizeSpec): string {
  const f = recordFactor(p);
  const factor = p.client === "agent" && f !== 1 ? ` × linesPerRecord ${p.agent.linesPerRecord} × sizeFactor ${p.agent.sizeFactor}` : "";
  switch (rs.dist) {
    case "fixed":
      return factor ? `recordSize.size ${formatSize(rs.size)}${factor} = ${bytesText(rs.size * f)}` : `recordSize.size ${bytesText(rs.size)}`;
    case "uniform":
      return `recordSize uniform ${formatSize(rs.min)} to ${formatSize(rs.max)}${factor}`;
    case "lognormal":
      return `recordSize lognormal, median ${formatSize(rs.median)}, p99 ${formatSize(rs.p99)}${factor}`;
  }
}

/** "its 36 B partition key", "partition keys of 5 to 9 B". */
export function keyText(keys: { min: number; max: number }): string {
  return keys.min === keys.max ? `its ${keys.min} B partition key` : `partition keys of ${keys.min} to ${keys.max} B`;
}

/** A share as a percentage with two significant digits ("0.69%", "12%"), or four close to 100% ("99.95%"). */
export function percentText(share: number): string {
  const p = share * 100;
  if (p >= 99.5 && p < 100) return Number(p.toPrecision(4)) < 100 ? `${Number(p.toPrecision(4))}%` : "more than 99.99%";
  if (p >= 1) return `${Number(p.toPrecision(2))}%`;
  return `${p.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "")}%`;
}

/** The recordSize field a record-size problem points at: the size a fixed record has, a range's smallest (every record) or largest (the tail). */
function sizeField(rs: RecordSizeSpec, end: "smallest" | "largest"): "size" | "min" | "max" | "median" | "p99" {
  if (rs.dist === "fixed") return "size";
  if (rs.dist === "uniform") return end === "smallest" ? "min" : "max";
  return end === "smallest" ? "median" : "p99";
}

/** Where a target's limit is set and how much it is: `stream "raw"'s maxRecordSize of 1 MiB (…) (streams[0].maxRecordSize)`. */
export function limitText(t: RecordTarget): string {
  return t.kind === "stream"
    ? `stream "${t.name}"'s maxRecordSize of ${bytesText(t.maxRecordSize)} (${t.field})`
    : `Firehose's record size limit of ${bytesText(t.maxRecordSize)} for delivery stream "${t.name}" (Direct PUT)`;
}

/** What the real Kinesis Agent does with a record over its own limit, which shardcast does not model. */
export function agentTruncationNote(t: RecordTarget): string {
  const limit = t.kind === "stream" ? L.AGENT_MAX_RECORD_SIZE_KINESIS : L.AGENT_MAX_RECORD_SIZE_FIREHOSE;
  return `The real Kinesis Agent would instead truncate such a record to its own limit of ${formatSize(limit)}${t.kind === "stream" ? " with its partition key" : ""} and send it; shardcast does not model the truncation.`;
}

/**
 * A producer none of whose records fits any place it writes to (every record lost as too large): the recordSize
 * field, and the problem in words with both sizes. Undefined when some records fit, or without targets.
 */
export function everyRecordTooLarge(sc: StreamsPart, p: ProducerSpec, rs: RecordSizeSpec): { path: string[]; message: string } | undefined {
  const fits = recordFit(sc, p, rs);
  if (fits.length === 0 || fits.some((f) => f.least < 1)) return undefined;
  const field = sizeField(rs, "smallest");
  const f = recordFactor(p);
  const size = rs.dist === "fixed" ? rs.size : rs.dist === "uniform" ? rs.min : rs.median;
  const factor = f !== 1 && p.client === "agent" ? ` × linesPerRecord ${p.agent.linesPerRecord} × sizeFactor ${p.agent.sizeFactor} = ${bytesText(size * f)}` : "";
  const what = `${rs.dist === "uniform" ? "even the smallest record, " : ""}recordSize.${field} ${factor ? formatSize(size) : bytesText(size)}${factor}`;
  const stream = fits.find((x) => x.target.kind === "stream");
  const keys = stream?.target.keys;
  const key = !keys ? "" : keys.min === keys.max ? ` plus its ${keys.min} B partition key` : ` plus its shortest partition key (${keys.min} B)`;
  const limits = fits.map((x) => limitText(x.target));
  const where = limits.length === 1 ? limits[0]! : `every limit it meets: ${limits.join("; ")}`;
  const one = fits.length === 1 ? fits[0]! : undefined;
  const hint = !one
    ? ""
    : one.target.kind === "stream"
      ? ` A record there carries at most ${n(one.room.withShortestKey)} B of data${size * f + one.target.keys.min <= L.MAX_RECORD_SIZE_LIMIT && one.target.maxRecordSize < L.MAX_RECORD_SIZE_LIMIT ? `; or raise ${one.target.field} (up to ${formatSize(L.MAX_RECORD_SIZE_LIMIT)})` : ""}.`
      : ` A record there carries at most ${n(one.target.maxRecordSize)} B of data.`;
  const agent = p.client === "agent" ? ` ${agentTruncationNote(fits[0]!.target)}` : "";
  return {
    path: ["recordSize", field],
    message: `every record is too large: ${what}${key} is more than ${where}, so each one would be rejected and lost as too large.${hint}${agent}`,
  };
}

/** The recordSize field that a share of records too large points at: the size, a uniform's max, a lognormal's p99. */
export function tailField(rs: RecordSizeSpec): string {
  return sizeField(rs, "largest");
}
