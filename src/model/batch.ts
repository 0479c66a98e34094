// Records travel as batches: a count and byte total of records born uniformly over [firstBorn, lastBorn].
// A batch is split only where the real service or client would split it (a partially accepted PutRecords:
// oldest records first), never into single records unless the run is at record granularity.
// `records` are Kinesis records (what the shard limits count); `users` the user records inside them — the
// same number, except for KPL aggregates, which each carry many user records.

import type { Micros } from "../engine/time.js";

export interface Batch {
  /** Index of the shard the records are routed to. */
  shard: number;
  /** Kinesis records. */
  records: number;
  /** User records in them (= records unless aggregated). */
  users: number;
  /** Data blob bytes. */
  bytes: number;
  /** Partition key bytes (they count toward the shard's write limit and the record size limit). */
  keyBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
  /**
   * Set on a batch a client sends again after a throttle (SDK and Agent retries, the KPL's, an application's
   * output): the on-demand service's split check counts only first attempts as the load a shard is asked to carry.
   */
  retry?: boolean;
}

/**
 * Splits off the oldest `k` records of a batch (0 < k < records). Bytes are shared in proportion to the
 * count, rounded so the two parts add up exactly.
 */
/** User records in the oldest `k` Kinesis records of a batch. */
export function usersIn(b: Batch, k: number): number {
  return b.users === b.records || k === b.records ? (b.users === b.records ? k : b.users) : Math.round((b.users * k) / b.records);
}

export function splitOldest(b: Batch, k: number): [Batch, Batch] {
  const bytes = Math.round((b.bytes * k) / b.records);
  const keyBytes = Math.round((b.keyBytes * k) / b.records);
  const users = usersIn(b, k);
  const cut = b.firstBorn + Math.round(((b.lastBorn - b.firstBorn) * k) / b.records);
  return [
    { shard: b.shard, records: k, users, bytes, keyBytes, firstBorn: b.firstBorn, lastBorn: cut },
    { shard: b.shard, records: b.records - k, users: b.users - users, bytes: b.bytes - bytes, keyBytes: b.keyBytes - keyBytes, firstBorn: cut, lastBorn: b.lastBorn },
  ];
}

/** Splits a batch into `parts` near-equal parts (by count; empty parts omitted). */
export function splitEvenly(b: Batch, parts: number): Batch[] {
  const out: Batch[] = [];
  let rest = b;
  for (let j = parts; j > 1 && rest.records > 0; j--) {
    const k = Math.floor(rest.records / j);
    if (k === 0) continue;
    if (k >= rest.records) break;
    const [head, tail] = splitOldest(rest, k);
    out.push(head);
    rest = tail;
  }
  if (rest.records > 0) out.push(rest);
  return out;
}
