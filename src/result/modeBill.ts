// The bill of every capacity mode for a steady workload, in closed form: for a stream's mean write throughput (its
// records keep their size: more throughput is more records), the monthly cost of provisioned (at the shards of the
// AWS sizing formula, and at a given shard count), On-demand Standard and On-demand Advantage, and the throughputs
// where two modes cost the same. Each cost is the run's own bill (monthlyCost) of a steady StreamUsage, so it is
// piecewise affine in the throughput: affine between the formula's shard steps and the Advantage commitment's
// floors. Break-evens are solved exactly on each piece. Steady traffic: on-demand's hidden shards, the peak and any
// throttling are the simulator's business (`shardcast run`, `sweep`).

import { KiB, MiB, SHARD_READ_BYTES_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import { ON_DEMAND_BILLING_INCREMENT_BYTES, PRICE, PUT_PAYLOAD_UNIT_BYTES, resolvePrices, type PriceItem, type ResolvedPrices } from "../aws/prices.js";
import { incrementsOfBatch } from "../model/producers/producer.js";
import type { PricesSpec } from "../spec/index.js";
import { monthlyCost, type CapacityMode, type MonthlyCost, type StreamUsage } from "./cost.js";

/** What records of these sizes bill on average: PUT payload units (25 KB increments) and on-demand bytes (1 KiB increments). */
export { recordBilling } from "../model/producers/producer.js";

/** The same for `records` records all of one size, `meanBytes` (not for records of spread sizes: see incrementsOfBatch). */
export function batchBilling(records: number, meanBytes: number): { payloadUnits: number; onDemandBytes: number } {
  return {
    payloadUnits: incrementsOfBatch(records, meanBytes, PUT_PAYLOAD_UNIT_BYTES),
    onDemandBytes: ON_DEMAND_BILLING_INCREMENT_BYTES * incrementsOfBatch(records, meanBytes, ON_DEMAND_BILLING_INCREMENT_BYTES),
  };
}

/** A scenario's prices: its table (default us-east-1) with its overrides. */
export function pricesOf(spec: PricesSpec | undefined): ResolvedPrices {
  return resolvePrices(spec?.table, spec?.override);
}

/** A stream's steady traffic at its mean: what the bill of each mode needs. */
export interface StreamTraffic {
  /** Mean write throughput: data bytes per second, and records per second (their ratio, the mean record size, stays fixed). */
  bytesPerSecond: number;
  recordsPerSecond: number;
  /** Mean partition-key bytes a record carries: they count with its data in a shard's write limit (not in what the throughput axis shows). */
  keyBytesPerRecord: number;
  /** Per record on average: PUT payload units (25 KB increments) and the bytes on-demand bills (1 KiB increments). */
  payloadUnitsPerRecord: number;
  onDemandBytesPerRecord: number;
  /** GetRecords readers (KCL applications, Firehose delivery streams reading it), each reading every byte; enhanced fan-out consumers likewise. */
  pollingConsumers: number;
  efoConsumers: number;
  retentionHours: number;
}

/** A mode's bill as a function of the write throughput: pieces on which it is affine, cost = a + b × bytes/s. */
interface Piece {
  from: number;
  to: number;
  a: number;
  b: number;
}

/** Write throughput where two modes' bills cross, and the mode that is cheaper just above it. */
export interface BreakEven {
  bytesPerSecond: number;
  cheaperAbove: string;
}

/** Two modes compared from 0 to the comparison's limit: the cheaper one at the lowest throughputs, and where that changes. */
export interface Comparison {
  cheaperFirst: string;
  crossings: BreakEven[];
}

export interface ModeBills {
  /** At the traffic's own throughput. */
  bytesPerSecond: number;
  formulaShards: number;
  provisionedAtFormula: MonthlyCost;
  /** Provisioned at the given shard count (the scenario's), or null without one. */
  shards: number | null;
  provisionedAtShards: MonthlyCost | null;
  onDemand: MonthlyCost;
  advantage: MonthlyCost;
  /** Where On-demand Standard and Advantage cross provisioned (at the formula's shards, and at the given ones) up to `upTo` bytes/s. */
  breakEvens: {
    upTo: number;
    onDemandVsFormula: Comparison;
    advantageVsFormula: Comparison;
    onDemandVsShards: Comparison | null;
    advantageVsShards: Comparison | null;
  };
}

/**
 * The AWS sizing formula (Kinesis Data Streams developer guide, "Resharding, scaling, and parallel processing"):
 * shards = max(write KiB/s ÷ 1,024, write KiB/s × polling consumers ÷ 2,048), rounded up, at least 1; records'
 * sizes rounded up to whole KiB. `writeKiBPerSecond` is already rounded per record.
 */
export function awsFormulaShards(writeKiBPerSecond: number, pollingConsumers: number): number {
  return Math.max(1, Math.ceil(Math.max(writeKiBPerSecond / 1024, (writeKiBPerSecond * pollingConsumers) / 2048) - 1e-9));
}

/** What a stream of this traffic, scaled to `bytesPerSecond`, uses in a mode (for monthlyCost). */
export function usageAt(t: StreamTraffic, bytesPerSecond: number, mode: CapacityMode, shards: number): StreamUsage {
  const records = t.bytesPerSecond > 0 ? (bytesPerSecond * t.recordsPerSecond) / t.bytesPerSecond : 0;
  return {
    mode,
    shards,
    retentionHours: t.retentionHours,
    writeBytesPerSecond: bytesPerSecond,
    putPayloadUnitsPerSecond: records * t.payloadUnitsPerRecord,
    billedInBytesPerSecond: records * t.onDemandBytesPerRecord,
    pollingReadBytesPerSecond: bytesPerSecond * t.pollingConsumers,
    efoConsumers: t.efoConsumers,
    efoBytesPerSecond: bytesPerSecond * t.efoConsumers,
  };
}

/** Bytes/s of data one shard of the formula takes: 1 MiB/s of rounded records, less when the readers need more than 2 MiB/s. */
function formulaShardCapacity(t: StreamTraffic): number {
  if (t.recordsPerSecond <= 0 || t.bytesPerSecond <= 0) return MiB / Math.max(1, t.pollingConsumers / 2);
  const meanBytes = t.bytesPerSecond / t.recordsPerSecond;
  const rounded = Math.max(1, Math.ceil(meanBytes / KiB - 1e-9)) * KiB;
  return (MiB * (meanBytes / rounded)) / Math.max(1, t.pollingConsumers / 2);
}

const costAt = (t: StreamTraffic, x: number, mode: CapacityMode, shards: number, p: Readonly<Record<PriceItem, number>>) =>
  monthlyCost({ streams: [usageAt(t, x, mode, shards)], leaseTables: [] }, p).total;

/** An affine bill between `from` and `to` from its value at two throughputs (exact: monthlyCost is affine there). */
function affine(from: number, to: number, at: (x: number) => number): Piece {
  const x0 = from;
  const x1 = Number.isFinite(to) ? to : from + MiB;
  const y0 = at(x0);
  const b = (at(x1) - y0) / (x1 - x0);
  return { from, to, a: y0 - b * x0, b };
}

function pieces(t: StreamTraffic, mode: CapacityMode, shards: number | "formula", upTo: number, p: Readonly<Record<PriceItem, number>>): Piece[] {
  if (shards === "formula") {
    const cap = formulaShardCapacity(t);
    const out: Piece[] = [];
    for (let k = 1; (k - 1) * cap < upTo; k++) out.push(affine((k - 1) * cap, k * cap, (x) => costAt(t, x, "provisioned", k, p)));
    return out;
  }
  if (mode !== "on-demand-advantage") return [affine(0, Infinity, (x) => costAt(t, x, mode, shards, p))];
  // Advantage is affine between the throughputs where data in and data out reach the commitment's floor.
  const floor = p.advantageCommitmentMiBps * MiB;
  const inPerByte = t.recordsPerSecond > 0 ? (t.onDemandBytesPerRecord * t.recordsPerSecond) / t.bytesPerSecond : 0;
  const outPerByte = t.pollingConsumers + t.efoConsumers;
  const breaks = [inPerByte > 0 ? floor / inPerByte : Infinity, outPerByte > 0 ? floor / outPerByte : Infinity].filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => a - b);
  const edges = [0, ...breaks, Infinity];
  return edges.slice(1).map((to, i) => affine(edges[i]!, to, (x) => costAt(t, x, mode, 0, p)));
}

/** Where bill `f` (mode `fName`) and bill `g` (`gName`) cross on [0, upTo]: inside a piece, or at a step of either. */
function crossings(f: Piece[], g: Piece[], fName: string, gName: string, upTo: number): Comparison {
  const at = (ps: Piece[], x: number) => ps.find((q) => x > q.from - 1e-9 && x <= q.to + 1e-9) ?? ps[ps.length - 1]!;
  const edges = [...new Set([0, ...f.map((q) => q.to), ...g.map((q) => q.to)].filter((x) => x < upTo))].sort((a, b) => a - b);
  edges.push(upTo);
  const out: BreakEven[] = [];
  let prevSign = 0;
  let first = "";
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i]!;
    const hi = edges[i + 1]!;
    const mid = (lo + hi) / 2;
    const pf = at(f, mid);
    const pg = at(g, mid);
    const da = pf.a - pg.a;
    const db = pf.b - pg.b;
    const d = (x: number) => da + db * x;
    const sLo = Math.sign(d(lo));
    // The cheaper one just above 0 (at the middle of the first piece when they start equal).
    if (i === 0) first = (sLo || Math.sign(d(mid))) < 0 ? fName : gName;
    // A step at `lo` that changes which mode is cheaper.
    if (prevSign !== 0 && sLo !== 0 && sLo !== prevSign) out.push({ bytesPerSecond: lo, cheaperAbove: sLo < 0 ? fName : gName });
    if (db !== 0) {
      const root = -da / db;
      if (root > lo && root < hi) out.push({ bytesPerSecond: root, cheaperAbove: db < 0 ? fName : gName });
    }
    prevSign = Math.sign(d(hi)) || sLo;
  }
  return { cheaperFirst: first, crossings: out };
}

/**
 * The bill of every mode for a stream's traffic, and the break-evens up to `upTo` bytes/s (default the larger of
 * four times the traffic and 64 MiB/s).
 */
export function billOfEveryMode(t: StreamTraffic, shards: number | null, prices: Readonly<Record<PriceItem, number>> = PRICE, upTo?: number): ModeBills {
  const x = t.bytesPerSecond;
  const limit = upTo ?? Math.max(4 * x, 64 * MiB);
  const formulaShards = formulaShardsAt(t, x);
  const bill = (mode: CapacityMode, n: number) => monthlyCost({ streams: [usageAt(t, x, mode, n)], leaseTables: [] }, prices);
  const formula = pieces(t, "provisioned", "formula", limit, prices);
  const standard = pieces(t, "on-demand", 0, limit, prices);
  const advantage = pieces(t, "on-demand-advantage", 0, limit, prices);
  const fixed = shards === null ? null : pieces(t, "provisioned", shards, limit, prices);
  return {
    bytesPerSecond: x,
    formulaShards,
    provisionedAtFormula: bill("provisioned", formulaShards),
    shards,
    provisionedAtShards: shards === null ? null : bill("provisioned", shards),
    onDemand: bill("on-demand", 0),
    advantage: bill("on-demand-advantage", 0),
    breakEvens: {
      upTo: limit,
      onDemandVsFormula: crossings(standard, formula, "on-demand", "provisioned", limit),
      advantageVsFormula: crossings(advantage, formula, "on-demand-advantage", "provisioned", limit),
      onDemandVsShards: fixed ? crossings(standard, fixed, "on-demand", "provisioned", limit) : null,
      advantageVsShards: fixed ? crossings(advantage, fixed, "on-demand-advantage", "provisioned", limit) : null,
    },
  };
}

/** The formula's shards for this traffic scaled to `bytesPerSecond`. */
export function formulaShardsAt(t: StreamTraffic, bytesPerSecond: number): number {
  if (t.recordsPerSecond <= 0 || t.bytesPerSecond <= 0) return 1;
  const meanBytes = t.bytesPerSecond / t.recordsPerSecond;
  const kib = Math.max(1, Math.ceil(meanBytes / KiB - 1e-9));
  return awsFormulaShards((kib * bytesPerSecond) / meanBytes, t.pollingConsumers);
}

/** The three modes' bills at evenly spaced throughputs from 0 to `upTo` (for the chart): provisioned at the formula's shards. */
export function billCurve(t: StreamTraffic, upTo: number, points: number, prices: Readonly<Record<PriceItem, number>> = PRICE): { bytesPerSecond: number; provisioned: number; onDemand: number; advantage: number }[] {
  return Array.from({ length: points + 1 }, (_, i) => {
    const x = (upTo * i) / points;
    return {
      bytesPerSecond: x,
      provisioned: costAt(t, x, "provisioned", formulaShardsAt(t, x), prices),
      onDemand: costAt(t, x, "on-demand", 0, prices),
      advantage: costAt(t, x, "on-demand-advantage", 0, prices),
    };
  });
}

/**
 * The most data a stream of `shards` provisioned shards takes and serves, bytes/s, for records of `meanDataBytes` of data
 * and `meanKeyBytes` of partition key read by `pollingReaders` polling consumers. A record's partition key counts with
 * its data in the shard write limit, as the model counts it (SHARD_WRITE_BYTES_PER_SECOND; PutRecords API reference,
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html): each shard takes min(1 MiB/s, 1,000
 * records/s) of data and keys (Kinesis shard write limits), and serves at most its 2 MiB/s of GetRecords shared by the
 * readers that poll it, each reading all of it (Kinesis shard read limit; records with their keys, as the model charges
 * them; enhanced fan-out readers have their own) — of which data is the share data ÷ (data + key). What a fixed shard
 * count's bill is compared up to.
 */
export function shardsTakeBytesPerSecond(shards: number, meanDataBytes: number, meanKeyBytes: number, pollingReaders = 0): number {
  const written = meanDataBytes + meanKeyBytes;
  const dataShare = written > 0 ? meanDataBytes / written : 1;
  return shards * Math.min(shardWriteBytesPerSecond(written), pollingReaders > 0 ? SHARD_READ_BYTES_PER_SECOND / pollingReaders : Infinity) * dataShare;
}

/** Whether the polling readers' share of a shard's 2 MiB/s, not its write limits, bounds shardsTakeBytesPerSecond. */
export function shardsReadBound(meanDataBytes: number, meanKeyBytes: number, pollingReaders: number): boolean {
  return pollingReaders > 0 && SHARD_READ_BYTES_PER_SECOND / pollingReaders < shardWriteBytesPerSecond(meanDataBytes + meanKeyBytes);
}

/** What a shard takes of records of `meanWrittenBytes` each (data and key), bytes/s: min(1 MiB/s, 1,000 records/s). */
function shardWriteBytesPerSecond(meanWrittenBytes: number): number {
  return Math.min(SHARD_WRITE_BYTES_PER_SECOND, meanWrittenBytes > 0 ? SHARD_WRITE_RECORDS_PER_SECOND * meanWrittenBytes : SHARD_WRITE_BYTES_PER_SECOND);
}
