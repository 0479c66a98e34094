// Which Kinesis stream or Firehose delivery stream each part of a scenario writes to and reads: shared by the
// schema's cross-field checks (scenario.ts), the record-size checks (recordFit.ts) and everything downstream.

import * as L from "../aws/limits.js";
import type { StreamSpec } from "./stream.js";

/** A stream of the scenario with its name: `stream:` (named after the scenario unless it says) or each of `streams:`. */
export interface NamedStream {
  name: string;
  spec: StreamSpec;
}

/** The part of a scenario that names its streams. */
export type StreamsPart = { name: string; stream?: StreamSpec; streams?: (StreamSpec & { name: string })[] };

/** The scenario's Kinesis streams, in order: the one of `stream:`, or those of `streams:`. */
export function streamsOf(sc: StreamsPart): NamedStream[] {
  if (sc.streams) return sc.streams.map((spec) => ({ name: spec.name, spec }));
  return sc.stream ? [{ name: sc.stream.name ?? sc.name, spec: sc.stream }] : [];
}

/** The streams a producer writes to with their shares of its records (none with Direct PUT). */
export function producerStreams(sc: StreamsPart, p: { client: string; deliveryStream?: string; stream?: string; streams?: { name: string; share: number }[] }): { name: string; share: number }[] {
  if (deliveryStreamOf(p) !== undefined) return [];
  if (p.streams) return p.streams;
  const name = p.stream ?? streamsOf(sc)[0]?.name;
  return name === undefined ? [] : [{ name, share: 1 }];
}

/** The stream a consumer reads: its `stream:`, or the scenario's only stream. */
export function consumerStream(sc: StreamsPart, c: { stream?: string }): string | undefined {
  return c.stream ?? streamsOf(sc)[0]?.name;
}

/** The largest record a producer may write: Firehose's 1,000 KiB with Direct PUT (or without a stream), else the smallest maxRecordSize of the streams it writes to. */
export function recordSizeLimitOf(sc: StreamsPart, producer: { client: string; deliveryStream?: string; stream?: string; streams?: { name: string; share: number }[] }): number {
  const streams = streamsOf(sc);
  const sizes = producerStreams(sc, producer).map((s) => streams.find((x) => x.name === s.name)?.spec.maxRecordSize ?? L.DEFAULT_MAX_RECORD_SIZE);
  return sizes.length === 0 ? L.FIREHOSE_MAX_RECORD_SIZE : Math.min(...sizes);
}

/** The Firehose delivery stream a producer writes to with Direct PUT; undefined when it writes to the Kinesis stream (the KPL always does). */
export function deliveryStreamOf(p: { client: string; deliveryStream?: string }): string | undefined {
  return p.client === "kpl" ? undefined : p.deliveryStream;
}

/** What a consumer writes to another stream (`output:`): KCL applications and stream processors may; a Lambda consumer does not. */
export function outputOf<O>(c: { kind: string; output?: O }): O | undefined {
  return c.output;
}

/**
 * Applications' outputs (each with the stream it reads, `from`) in pipeline order: one whose input stream another
 * output writes to comes after that one, so a caller summing what enters each stream has its input complete. The
 * schema refuses loops (scenario.ts); were one there, its outputs would be left out.
 */
export function inPipelineOrder<T extends { from: string; output: { stream: string } }>(outputs: readonly T[]): T[] {
  const out: T[] = [];
  const pending = [...outputs];
  for (let guard = 0; pending.length > 0 && guard <= outputs.length; guard++) {
    for (let i = 0; i < pending.length; ) {
      const { from } = pending[i]!;
      if (pending.some((o) => o.output.stream === from)) {
        i++; // its input still waits for a writer
        continue;
      }
      out.push(pending[i]!);
      pending.splice(i, 1);
    }
  }
  return out;
}

/** Records and bytes per second. */
export interface Flow {
  records: number;
  bytes: number;
}

/** The part of a scenario that says which applications write what they process to which stream. */
export type PipelinePart = StreamsPart & { consumers: readonly { kind: string; stream?: string; output?: { stream: string; recordsPerRecord: number; sizeFactor: number } }[] };

/**
 * What enters a stream: `own(name)`, what its producers write (as the caller counts it: their peaks, their means), and
 * for each application writing what it processes to it (`output:`) what it makes of what enters the stream it reads,
 * followed up the pipeline: recordsPerRecord records for each record it reads, each sizeFactor times the data of the
 * record it came from (so recordsPerRecord × sizeFactor times the data bytes). An application reads what enters its
 * stream, no more in the long run (catching up on a backlog, faster for a while). The schema refuses loops
 * (scenario.ts); one would add nothing here.
 */
export function inflow(sc: PipelinePart, name: string, own: (stream: string) => Flow, memo: Map<string, Flow> = new Map()): Flow {
  const known = memo.get(name);
  if (known) return known;
  memo.set(name, { records: 0, bytes: 0 }); // a loop adds nothing
  const { records, bytes } = own(name);
  const flow = { records, bytes };
  for (const c of sc.consumers) {
    const out = outputOf(c);
    const from = consumerStream(sc, c);
    if (!out || out.stream !== name || from === undefined || from === name) continue;
    const read = inflow(sc, from, own, memo);
    flow.records += read.records * out.recordsPerRecord;
    flow.bytes += read.bytes * out.recordsPerRecord * out.sizeFactor;
  }
  memo.set(name, flow);
  return flow;
}

/**
 * Whether a consumer reads the stream with GetRecords (a polling KCL application, a Spark query, a Flink job or a
 * Lambda event source mapping with a polling reader): it shares the shards' 5 calls/s and 2 MiB/s.
 */
export function pollsStream(c: { kind: string; reader?: string }): boolean {
  return c.kind === "kcl" || c.kind === "spark" || ((c.kind === "lambda" || c.kind === "flink") && c.reader === "polling");
}

/**
 * Whether a consumer is an enhanced fan-out consumer of the stream (a registered stream consumer, its own 2 MiB/s
 * per shard, billed per consumer-shard-hour: a KCL fan-out application, a Lambda event source mapping with reader:
 * fanout, a Flink job with reader: efo).
 */
export function fansOut(c: { kind: string; reader?: string }): boolean {
  return c.kind === "fanout" || (c.kind === "lambda" && c.reader === "fanout") || (c.kind === "flink" && c.reader === "efo");
}
