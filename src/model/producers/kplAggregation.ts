// The size arithmetic of the KPL's aggregated record format (KPL aggregation-format.md, kinesis_record.cc):
//   magic F3 89 9A C2 (4 B) + protobuf AggregatedRecord + MD5 of the protobuf (16 B)
//   AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
//                      repeated Record records = 3; }
//   Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
//            required bytes data = 3; }
// A field costs its tag (1 byte for field numbers ≤ 15), a length or value varint, and its bytes.

import { KPL_AGGREGATE_FIXED_OVERHEAD } from "../../aws/limits.js";
import { poissonMinMean } from "../../engine/poisson.js";
import { ON_DEMAND_BILLING_INCREMENT_BYTES, PUT_PAYLOAD_UNIT_BYTES } from "../../aws/prices.js";
import { incrementsOfBatch, type RecordBilling } from "./producer.js";

/** Bytes of a protobuf varint holding n (n ≥ 0). */
export function varintSize(n: number): number {
  let bytes = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

/** Bytes a user record adds to the records field: tag, length, pk-index field, data field. */
export function recordEntrySize(dataBytes: number, keyIndex: number): number {
  const body = 1 + varintSize(keyIndex) + 1 + varintSize(dataBytes) + dataBytes;
  return 1 + varintSize(body) + body;
}

/** Bytes a distinct partition key adds to the key table. */
export function keyEntrySize(keyBytes: number): number {
  return 1 + varintSize(keyBytes) + keyBytes;
}

/**
 * One aggregated record being filled, as the KPL's per-shard aggregator does: a user record goes in while the
 * aggregate stays within the size limit; a new distinct key also adds a key-table entry.
 */
export class Aggregate {
  private readonly keyIndex = new Map<string | number, number>();
  /** Bytes of the protobuf message so far. */
  private protobuf = 0;
  count = 0;
  dataBytes = 0;

  /** The exact size of the aggregated record (magic + protobuf + MD5). */
  get size(): number {
    return KPL_AGGREGATE_FIXED_OVERHEAD + this.protobuf;
  }

  /** What the aggregate's size would become with this user record. */
  sizeWith(key: string | number, keyBytes: number, dataBytes: number): number {
    const known = this.keyIndex.get(key);
    const index = known ?? this.keyIndex.size;
    return this.size + recordEntrySize(dataBytes, index) + (known === undefined ? keyEntrySize(keyBytes) : 0);
  }

  add(key: string | number, keyBytes: number, dataBytes: number): void {
    let index = this.keyIndex.get(key);
    if (index === undefined) {
      index = this.keyIndex.size;
      this.keyIndex.set(key, index);
      this.protobuf += keyEntrySize(keyBytes);
    }
    this.protobuf += recordEntrySize(dataBytes, index);
    this.count++;
    this.dataBytes += dataBytes;
  }

  get distinctKeys(): number {
    return this.keyIndex.size;
  }
}

/**
 * Packs user records into aggregates of at most `maxSize` bytes, in order, as the KPL does (a record that
 * does not fit closes the aggregate; a record larger than the limit on its own goes alone). Returns the
 * aggregates' sizes. A single-record "aggregate" is sent by the KPL as a plain record: its size is then the
 * record's own data (see plainIfSingle).
 */
export function packAggregates(records: { key: string | number; keyBytes: number; dataBytes: number }[], maxSize: number, plainIfSingle = true): number[] {
  const sizes: number[] = [];
  let agg = new Aggregate();
  const close = () => {
    if (agg.count === 0) return;
    sizes.push(plainIfSingle && agg.count === 1 ? agg.dataBytes : agg.size);
    agg = new Aggregate();
  };
  for (const r of records) {
    if (agg.count > 0 && agg.sizeWith(r.key, r.keyBytes, r.dataBytes) > maxSize) close();
    agg.add(r.key, r.keyBytes, r.dataBytes);
  }
  close();
  return sizes;
}

/**
 * What aggregation makes of user records, in expectation (not whole numbers): Kinesis records, their data bytes and
 * partition-key bytes; of them, the plain ones (a user record sent alone, or all with aggregation off) and their data
 * bytes. The others are aggregates; with `bills` given to expectedAggregation, also what they bill in all, each
 * rounded up on its own: PUT payload units and on-demand bytes (absent without).
 */
export interface Aggregated {
  kinesis: number;
  bytes: number;
  keyBytes: number;
  plain: number;
  plainBytes: number;
  /**
   * Each user record is a Kinesis record of its own, passed on as it comes (aggregation off, or no two fit
   * AggregationMaxSize), not held in a buffer until its deadline (set by expectedAggregation).
   */
  atOnce?: boolean;
  /**
   * With `full` asked for: the share of the buffers (so of the Kinesis records made) closed full, before their deadline —
   * the record that no longer fits arrived within RecordMaxBufferedTime of the first: P(Poisson(λ) ≥ m).
   */
  full?: number;
  aggregateUnits?: number;
  aggregateBilledBytes?: number;
}

/** What an aggregate bills on average: PUT payload units, and 1 KiB increments of on-demand data in. */
export interface AggregateBill {
  payloadUnits: number;
  onDemandIncrements: number;
}

/** What aggregates bill on average, for the records of one shard (aggregateBills.ts). */
export interface AggregateIncrements {
  /**
   * Per buffer of N = min(m, 1 + Poisson(λ)) user records: Σ_{n ≥ 2} P(N = n) × what an aggregate of n bills (n = m: one
   * the KPL closed because the next record would not fit). The object returned may be reused by the next call.
   */
  perBuffer(lambda: number, m: number): Readonly<AggregateBill>;
}

/**
 * What aggregation's Kinesis records bill in all, in PUT payload units and on-demand bytes. Kinesis bills each Kinesis
 * record, rounded up on its own (25 KB payload units, 1 KiB for on-demand data in:
 * https://aws.amazon.com/kinesis/data-streams/pricing/); an aggregate is one Kinesis record, so it is rounded once,
 * at its size, and the user records inside it are not rounded each (that is what aggregation saves). So:
 * - a plain record bills what one of the producer's records bills on average, each rounded up (`plain`: the
 *   expectation over its size distribution, as the SDK's records bill; rounding the batch's mean size instead would
 *   bill records of spread sizes too little);
 * - the aggregates bill what expectedAggregation worked out with `bills`: each aggregate's size rounded, in expectation
 *   over how many user records it holds and their sizes. Without it (aggregates all of one known size), their mean
 *   size rounded up: for aggregates of spread sizes that is up to about half an increment an aggregate off, either way
 *   (fixed 200 B records with 36 B keys, λ = 3: 4.16 records an aggregate, 1,043 B, rounds to 2 KiB, where 63% of
 *   them are 1 KiB).
 */
export function aggregatedBilling(a: Aggregated, plain: RecordBilling): RecordBilling {
  const aggregates = a.kinesis - a.plain;
  if (a.aggregateUnits !== undefined && a.aggregateBilledBytes !== undefined) {
    return { payloadUnits: a.plain * plain.payloadUnits + a.aggregateUnits, onDemandBytes: a.plain * plain.onDemandBytes + a.aggregateBilledBytes };
  }
  const aggregateBytes = aggregates > 0 ? Math.max(0, a.bytes - a.plainBytes) / aggregates : 0;
  const of = (increment: number) => (aggregates > 0 ? incrementsOfBatch(aggregates, aggregateBytes, increment) : 0);
  return {
    payloadUnits: a.plain * plain.payloadUnits + of(PUT_PAYLOAD_UNIT_BYTES),
    onDemandBytes: a.plain * plain.onDemandBytes + ON_DEMAND_BILLING_INCREMENT_BYTES * of(ON_DEMAND_BILLING_INCREMENT_BYTES),
  };
}

/**
 * The Kinesis records the KPL processes' buffers make of `users` user records (dataBytes in all, keys of
 * keyBytes on average) bound for one shard, where each process's buffer for the shard sees λ more user records
 * within RecordMaxBufferedTime of its first (Poisson): buffers of N = min(m, 1 + Poisson(λ)) records, m as many
 * as fit AggregationMaxSize; a buffer of one record sends it plain. `distinctKeys(m)`: the expected distinct
 * partition keys among m of these user records (1 for a single key). Expected values, not rounded. With `bills`
 * (what aggregates of these records' sizes and keys bill), also what the aggregates bill in all: buffers × bills.perBuffer(λ, m).
 */
export function expectedAggregation(o: {
  users: number;
  dataBytes: number;
  keyBytes: number;
  lambda: number;
  enabled: boolean;
  maxSize: number;
  distinctKeys: (m: number) => number;
  bills?: AggregateIncrements;
  /** Also work out `full` (the share of the buffers closed full). */
  full?: boolean;
}): Aggregated {
  const { users: u, dataBytes, keyBytes, lambda, maxSize, distinctKeys } = o;
  if (!o.enabled) return { kinesis: u, bytes: dataBytes, keyBytes: u * keyBytes, plain: u, plainBytes: dataBytes, atOnce: true };
  const d = dataBytes / u;
  const keyEntry = keyEntrySize(Math.round(keyBytes));
  // Records per aggregate: as many as fit the size limit, with each one's key-table share.
  let m = Math.max(1, (maxSize - KPL_AGGREGATE_FIXED_OVERHEAD) / (recordEntrySize(Math.round(d), 0) + keyEntry));
  for (let i = 0; i < 3; i++) {
    const perRecord = recordEntrySize(Math.round(d), Math.floor(distinctKeys(m) / 2)) + (keyEntry * distinctKeys(m)) / m;
    m = Math.max(1, Math.floor((maxSize - KPL_AGGREGATE_FIXED_OVERHEAD) / perRecord));
  }
  // Per buffer: E[N] user records; P(N = 1) of the buffers hold one and send it plain.
  const shortOfFull = poissonMinMean(lambda, m - 1);
  const perBuffer = 1 + shortOfFull;
  const pLone = m > 1 ? Math.exp(-lambda) : 1;
  const buffers = u / perBuffer;
  const plainUsers = buffers * pLone;
  const aggregates = buffers - plainUsers;
  const aggUsers = u - plainUsers;
  let bytes = plainUsers * d;
  if (aggregates > 0 && aggUsers > 0) {
    const distinct = distinctKeys(aggUsers / aggregates);
    bytes += aggregates * (KPL_AGGREGATE_FIXED_OVERHEAD + distinct * keyEntry) + aggUsers * recordEntrySize(Math.round(d), Math.floor(distinct / 2));
  }
  // An aggregate's partition key is "a" (1 byte, KinesisRecord::partition_key); a plain record keeps its own key.
  const a: Aggregated = { kinesis: buffers, bytes, keyBytes: aggregates + plainUsers * keyBytes, plain: plainUsers, plainBytes: plainUsers * d, atOnce: m === 1 };
  // P(X ≥ m) = E[min(X, m)] − E[min(X, m − 1)].
  if (o.full) a.full = m > 1 ? Math.min(1, Math.max(0, poissonMinMean(lambda, m) - shortOfFull)) : 1;
  if (o.bills) {
    const b = aggregates > 0 ? o.bills.perBuffer(lambda, m) : undefined;
    a.aggregateUnits = b ? buffers * b.payloadUnits : 0;
    a.aggregateBilledBytes = b ? buffers * b.onDemandIncrements * ON_DEMAND_BILLING_INCREMENT_BYTES : 0;
  }
  return a;
}
