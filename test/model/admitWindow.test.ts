// Stream.admitWindow: a window's offers reach each shard together. A shard admits what its buckets allow for the
// window's total (1,000 records/s and 1 MiB/s, with a burst of writeBurst seconds: Kinesis quotas and limits,
// https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html) and shares the accepted records
// among its offers in proportion to their size. A shard with one offer admits it whole, which admitWindow does
// without the sums and shares: the property below holds the two ways equal.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Batch } from "../../src/model/batch.js";
import { Stream } from "../../src/model/kinesis/stream.js";
import { StreamSchema } from "../../src/spec/index.js";

const S = 1_000_000; // µs

const streamOf = (shards: number) => new Stream(StreamSchema.parse({ shards }), "s", 60 * S, S, 0, { keepRecords: true });
/** n records of `size` bytes each with a 16-byte partition key, for `shard`. */
const batch = (shard: number, n: number, size: number): Batch => ({ shard, records: n, users: n, bytes: n * size, keyBytes: n * 16, firstBorn: 0, lastBorn: 100 });

describe("Stream.admitWindow", () => {
  it("two offers to one shard share its 1,000 records in proportion: 900 and 600 offered get 600 and 400", () => {
    // An idle shard holds writeBurst (1 s) × 1,000 records/s = 1,000 record tokens; 1,500 records of 100 B need
    // 174,000 B of the 1 MiB byte bucket, so the records bind. Shares: floor(1,000 × 900 / 1,500) = 600, then 400.
    const stream = streamOf(1);
    const accepted: number[] = [];
    stream.admitWindow([batch(0, 900, 100), batch(0, 600, 100)], 0, accepted);
    expect(accepted).toEqual([600, 400]);
    expect([stream.acceptedRecords[0], stream.throttledRecords[0], stream.throttledByRecords[0]]).toEqual([1_000, 500, 500]);
  });

  it("an offer alone on its shard is admitted up to the shard's buckets, each shard on its own", () => {
    const stream = streamOf(3);
    const accepted: number[] = [];
    // Shard 2: 2,000 records of 10 B (the records bind: 1,000). Shard 0: 200 records of 10,000 B = 2,003,200 B with
    // keys: the 1,048,576 B byte bucket takes floor(1,048,576 / 10,016) = 104. Shard 1: 10 records, all in.
    stream.admitWindow([batch(2, 2_000, 10), batch(0, 200, 10_000), batch(1, 10, 10)], 0, accepted);
    expect(accepted).toEqual([1_000, 104, 10]);
    expect([...stream.throttledByRecords]).toEqual([0, 0, 1_000]);
    expect([...stream.throttledByBytes]).toEqual([96, 0, 0]);
    expect([...stream.storedRecords]).toEqual([104, 10, 1_000]);
  });

  it("offers alone on their shards are admitted as the same offers split in two (sums and shares) would be", () => {
    const offer = fc.record({ shard: fc.integer({ min: 0, max: 7 }), n: fc.integer({ min: 2, max: 1_500 }), size: fc.integer({ min: 1, max: 3_000 }), cut: fc.double({ min: 0.05, max: 0.95, noNaN: true }) });
    const windows = fc.array(fc.uniqueArray(offer, { selector: (o) => o.shard, minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(windows, (ws) => {
        const whole = streamOf(8);
        const split = streamOf(8);
        ws.forEach((offers, w) => {
          const now = (w + 1) * 100_000;
          const a: number[] = [];
          whole.admitWindow(offers.map((o) => batch(o.shard, o.n, o.size)), now, a);
          // The same records in two offers each: the shard sees the same total, so it admits the same records.
          const halves = offers.flatMap((o) => {
            const first = Math.max(1, Math.min(o.n - 1, Math.round(o.n * o.cut)));
            return [batch(o.shard, first, o.size), batch(o.shard, o.n - first, o.size)];
          });
          const b: number[] = [];
          split.admitWindow(halves, now, b);
          expect(a).toEqual(offers.map((_, i) => b[2 * i]! + b[2 * i + 1]!));
        });
        for (const k of ["acceptedRecords", "acceptedBytes", "throttledRecords", "throttledByRecords", "throttledByBytes", "storedRecords", "storedBytes", "storedUsers"] as const) {
          expect([...whole[k]], k).toEqual([...split[k]]);
        }
        expect(whole.logs!.map((l) => l.endSeq)).toEqual(split.logs!.map((l) => l.endSeq));
        expect([...whole.totals.values]).toEqual([...split.totals.values]);
        expect([...whole.incomingRecordsSeries.total()]).toEqual([...split.incomingRecordsSeries.total()]);
      }),
      { numRuns: 300 },
    );
  });
});
