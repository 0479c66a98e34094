// Records travel as batches: a count and byte total of records born uniformly over [firstBorn, lastBorn].
// A batch is split only where the real service or client would split it (a partially accepted PutRecords:
// oldest records first), never into single records unless the run is at record granularity.

import type { Micros } from "../engine/time.js";

export interface Batch {
  /** Index of the shard the records are routed to. */
  shard: number;
  records: number;
  /** Data blob bytes. */
  bytes: number;
  /** Partition key bytes (they count toward the shard's write limit and the record size limit). */
  keyBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
}

/**
 * Splits off the oldest `k` records of a batch (0 < k < records). Bytes are shared in proportion to the
 * count, rounded so the two parts add up exactly.
 */
export function splitOldest(b: Batch, k: number): [Batch, Batch] {
  const bytes = Math.round((b.bytes * k) / b.records);
  const keyBytes = Math.round((b.keyBytes * k) / b.records);
  const cut = b.firstBorn + Math.round(((b.lastBorn - b.firstBorn) * k) / b.records);
  return [
    { shard: b.shard, records: k, bytes, keyBytes, firstBorn: b.firstBorn, lastBorn: cut },
    { shard: b.shard, records: b.records - k, bytes: b.bytes - bytes, keyBytes: b.keyBytes - keyBytes, firstBorn: cut, lastBorn: b.lastBorn },
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
