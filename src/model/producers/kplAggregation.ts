// The size arithmetic of the KPL's aggregated record format (KPL aggregation-format.md, kinesis_record.cc):
//   magic F3 89 9A C2 (4 B) + protobuf AggregatedRecord + MD5 of the protobuf (16 B)
//   AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
//                      repeated Record records = 3; }
//   Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
//            required bytes data = 3; }
// A field costs its tag (1 byte for field numbers ≤ 15), a length or value varint, and its bytes.

import { KPL_AGGREGATE_FIXED_OVERHEAD } from "../../aws/limits.js";

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
