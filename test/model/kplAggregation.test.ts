// The aggregated-record size arithmetic against the published encoder (npm aws-kinesis-agg, which builds
// the KPL format with protobufjs): the sizes must agree to the byte.
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Aggregate, keyEntrySize, packAggregates, recordEntrySize, varintSize } from "../../src/model/producers/kplAggregation.js";

const require = createRequire(import.meta.url);
const agg = require("aws-kinesis-agg/lib/kpl-agg.js") as {
  RecordAggregator: new () => { addUserRecord(r: { partitionKey: string; data: Buffer }): void; build(): { partitionKey: string; data: Buffer } };
};

/** The size of the record aws-kinesis-agg encodes for these user records. */
function encodedSize(records: { partitionKey: string; data: Buffer }[]): number {
  const a = new agg.RecordAggregator();
  for (const r of records) a.addUserRecord(r);
  return a.build().data.length;
}

describe("protobuf arithmetic", () => {
  it("varintSize: 1 byte below 128, 2 below 16,384, 3 below 2,097,152", () => {
    expect([0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152].map(varintSize)).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });

  it("a 100-byte record with key index 0 takes 1 + 1 + (2 + 1 + 1 + 100) = 106 bytes; a 36-byte key 38", () => {
    expect(recordEntrySize(100, 0)).toBe(106);
    expect(keyEntrySize(36)).toBe(38);
  });
});

describe("Aggregate sizes match aws-kinesis-agg byte for byte", () => {
  it("three records, two keys: 20 B + key table + records", () => {
    const records = [
      { partitionKey: "alpha", data: Buffer.alloc(10, 1) },
      { partitionKey: "beta", data: Buffer.alloc(200, 2) },
      { partitionKey: "alpha", data: Buffer.alloc(3, 3) },
    ];
    const a = new Aggregate();
    for (const r of records) a.add(r.partitionKey, r.partitionKey.length, r.data.length);
    expect(a.distinctKeys).toBe(2);
    expect(a.size).toBe(encodedSize(records));
  });

  it("for random user records (sizes 1 B .. 70 KB, 1–200 distinct keys, up to 300 records)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 199 }), size: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 70_000 })) }), { minLength: 1, maxLength: 300 }),
        (list) => {
          const records = list.map((r) => ({ partitionKey: `key-${r.key}`, data: Buffer.alloc(r.size, 7) }));
          const a = new Aggregate();
          for (const r of records) a.add(r.partitionKey, r.partitionKey.length, r.data.length);
          expect(a.size).toBe(encodedSize(records));
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it("sizeWith predicts the size after add", () => {
    const a = new Aggregate();
    a.add("k1", 2, 50);
    const predicted = a.sizeWith("k2", 2, 300);
    a.add("k2", 2, 300);
    expect(a.size).toBe(predicted);
  });
});

describe("packAggregates", () => {
  it("fills aggregates up to the 51,200-byte limit: 1,000 records of 100 B with their own 36-byte keys", () => {
    const records = Array.from({ length: 1_000 }, (_, i) => ({ key: i, keyBytes: 36, dataBytes: 100 }));
    const sizes = packAggregates(records, 51_200);
    expect(sizes.every((s) => s <= 51_200)).toBe(true);
    // Independently: each record adds its entry, 1 (tag) + 1 (length) + [1 + varint(index) + 1 + 1 + 100], and
    // its key, 1 + 1 + 36; an aggregate starts at 20 B and closes when the next record would pass 51,200 B.
    const counts: number[] = [];
    let size = 20;
    let n = 0;
    for (let i = 0; i < 1_000; i++) {
      const entry = 2 + (1 + varintSize(n) + 1 + 1 + 100) + (1 + 1 + 36);
      if (n > 0 && size + entry > 51_200) {
        counts.push(n);
        size = 20;
        n = 0;
        i--;
        continue;
      }
      size += entry;
      n++;
    }
    counts.push(n);
    // index < 128: 144 B a record; from 128 on: 145 B. (51,200 − 20 − 128 × 144) / 145 = 225.8 → 353 per aggregate.
    expect(counts).toEqual([353, 353, 294]);
    expect(sizes.length).toBe(3);
  });

  it("a single user record goes plain: its size is its data", () => {
    expect(packAggregates([{ key: "a", keyBytes: 1, dataBytes: 500 }], 51_200)).toEqual([500]);
  });
});
