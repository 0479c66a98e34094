// Large records (Kinesis developer guide, "Handle large records",
// https://docs.aws.amazon.com/streams/latest/dev/large-records.html): since 2025-10 a stream may take records up to
// 10 MiB, while a shard's write rate stays 1 MiB/s; its write capacity is "a tank that refills at a steady rate": a
// large record depletes it, "it then immediately begins to refill, meaning you can continue to send smaller
// records as capacity becomes available". shardcast's assumption (docs/model.md, "The stream"): a shard whose
// stream allows records larger than its byte bucket C = writeBurst × 1 MiB/s also has a tank of maxRecordSize
// refilling at 1 MiB/s; a large record (> C) needs the tank to hold it and draws on it alone; a small one needs
// both the byte bucket and the tank. Expectations below are closed forms of that rule.
import { describe, expect, it } from "vitest";
import { Stream } from "../../src/model/kinesis/stream.js";
import type { Batch } from "../../src/model/batch.js";
import { StreamSchema } from "../../src/spec/index.js";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const MiB = 1_048_576;
const S = 1_000_000; // µs

const streamOf = (maxRecordSize: string) => new Stream(StreamSchema.parse({ shards: 1, maxRecordSize }), "s", 3_600 * S, S, 0);
/** A batch of n records of `write` bytes each (data + a 16-byte partition key). */
const records = (n: number, write: number, born = 0): Batch => ({ shard: 0, records: n, users: n, bytes: n * (write - 16), keyBytes: n * 16, firstBorn: born, lastBorn: born });

describe("small records see the normal 1 MiB bucket whatever maxRecordSize is", () => {
  // 512 records of 10,240 B = 5 MiB offered at one instant to an idle shard: the bucket holds 1 s × 1 MiB/s =
  // 1,048,576 B, so floor(1,048,576 / 10,240) = 102 records get in (the records bucket, 1,000, does not bind).
  for (const maxRecordSize of ["1MiB", "10MiB"]) {
    it(`maxRecordSize ${maxRecordSize}: a 5 MiB burst of 10 KiB records gets 102 records in (batch and record granularity)`, () => {
      const batch = streamOf(maxRecordSize);
      const accepted: number[] = [];
      batch.admitWindow([records(512, 10_240)], 0, accepted);
      expect(accepted).toEqual([102]);

      const single = streamOf(maxRecordSize);
      let k = 0;
      for (let i = 0; i < 512; i++) k += single.put(records(1, 10_240), 0);
      expect(k).toBe(102);
    });
  }
});

describe("a large record draws on the shard's tank", () => {
  it("an 8 MiB record into an idle shard (tank 10 MiB) gets in, and small records still get in right after it", () => {
    const s = streamOf("10MiB");
    expect(s.put(records(1, 8 * MiB), 0)).toBe(1);
    // Tank 10 − 8 = 2 MiB, byte bucket untouched (1 MiB): 50 records of 10,240 B (512,000 B) get in at once.
    const accepted: number[] = [];
    s.admitWindow([records(50, 10_240)], 0, accepted);
    expect(accepted).toEqual([50]);
  });

  it("the next large record waits until the tank holds it again: 8 MiB, then another 8 MiB at 5.99 s (no) and 6 s (yes)", () => {
    const s = streamOf("10MiB");
    expect(s.put(records(1, 8 * MiB), 0)).toBe(1);
    // The tank holds 2 MiB and refills at 1 MiB/s: 8 MiB again at 6 s.
    expect(s.put(records(1, 8 * MiB), 5.99 * S)).toBe(0);
    expect(s.put(records(1, 8 * MiB), 6 * S)).toBe(1);
  });

  it("after a 10 MiB record empties the tank, small records get in as it refills: 1 MiB/s, not the byte bucket's burst", () => {
    const s = streamOf("10MiB");
    expect(s.put(records(1, 10 * MiB), 0)).toBe(1);
    const accepted: number[] = [];
    // 0.5 s later the tank holds 524,288 B: 51 records of 10,240 B of 100 offered (the byte bucket would allow 102).
    s.admitWindow([records(100, 10_240)], 0.5 * S, accepted);
    expect(accepted).toEqual([51]);
  });

  it("in a window the shard's small offers come first, then the large ones while the tank holds them: 50 × 10 KiB and 2 × 5 MiB → 50, 1, 0", () => {
    const s = streamOf("10MiB");
    const accepted: number[] = [];
    // 512,000 B of small records leave the tank 10,485,760 − 512,000 = 9,973,760 B: one 5 MiB record (5,242,880 B)
    // fits, leaving 4,730,880 B, not enough for the second.
    s.admitWindow([records(1, 5 * MiB), records(50, 10_240), records(1, 5 * MiB)], 0, accepted);
    expect(accepted).toEqual([1, 50, 0]);
  });

  it("with maxRecordSize 1 MiB there is no tank: a 1 MiB record takes the whole byte bucket, as before", () => {
    const s = streamOf("1MiB");
    expect(s.put(records(1, MiB), 0)).toBe(1);
    expect(s.put(records(1, 10_240), 0.0097 * S)).toBe(0);
    expect(s.put(records(1, 10_240), 0.00977 * S)).toBe(1);
  });
});

describe("occasional large records among small ones (one shard, maxRecordSize 10 MiB, no retries)", () => {
  // Small records: 2,000 B + a 48-byte key = 2,048 B, evenly spaced. Large: 4 MiB (4,194,256 B + 48 B key), one
  // every 100 s (evenly: at 100, 200, … s).
  const L = 4 * MiB;
  const run = (smallRate: string, duration: string, granularity: "batch" | "record" = "batch") =>
    simulate(
      scenarioOf({
        duration,
        fidelity: { granularity },
        stream: { shards: 1, maxRecordSize: "10MiB" },
        producers: [
          { name: "small", client: "sdk", rate: { shape: "constant", value: smallRate }, recordSize: { dist: "fixed", size: "2000B" }, partitionKey: { kind: "random", length: 48 }, retry: { maxAttempts: 1 } },
          { name: "large", client: "sdk", rate: { shape: "constant", value: "0.01/s" }, recordSize: { dist: "fixed", size: `${L - 48}B` }, partitionKey: { kind: "random", length: 48 }, retry: { maxAttempts: 1 } },
        ],
      }),
    );

  it("at 82% of 1 MiB/s (400 small records/s + 4% of the bytes in large records) nothing is throttled: the tank refills 4 MiB in 22 s of the 100 between large records", () => {
    // 400 × 2,048 = 819,200 B/s of small records leave the tank 1,048,576 − 819,200 = 229,376 B/s of refill: a 4 MiB
    // record's 4,194,304 B come back in 18.3 s, and small records never wait (they need only 819,200 B/s of it).
    for (const granularity of ["batch", "record"] as const) {
      const r = run("400/s", granularity === "batch" ? "950s" : "350s", granularity);
      const [small, large] = r.producers;
      expect(large!.offered, granularity).toBe(granularity === "batch" ? 9 : 3);
      expect(large!.accepted, granularity).toBe(large!.offered);
      expect(small!.throttledAttempts, granularity).toBe(0);
      expect(r.accounting.balanced).toBe(true);
    }
  });

  it("at 98% of 1 MiB/s the tank takes 100 s to hold 4 MiB again: a large record every 100 s still gets in, every 50 s not", () => {
    // 490 small records/s = 1,003,520 B/s leave 45,056 B/s of refill: 4 MiB back in 93.1 s.
    const r = run("490/s", "950s");
    const [small, large] = r.producers;
    expect(large!.accepted).toBe(large!.offered);
    expect(small!.throttledAttempts).toBe(0);
    const faster = simulate(
      scenarioOf({
        duration: "950s",
        stream: { shards: 1, maxRecordSize: "10MiB" },
        producers: [
          { name: "small", client: "sdk", rate: { shape: "constant", value: "490/s" }, recordSize: { dist: "fixed", size: "2000B" }, partitionKey: { kind: "random", length: 48 }, retry: { maxAttempts: 1 } },
          { name: "large", client: "sdk", rate: { shape: "constant", value: "0.02/s" }, recordSize: { dist: "fixed", size: `${L - 48}B` }, partitionKey: { kind: "random", length: 48 }, retry: { maxAttempts: 1 } },
        ],
      }),
    );
    const fl = faster.producers[1]!;
    // At 50 s intervals the tank regains 50 × 45,056 = 2.1 MiB between them: after the first, each large record
    // finds less than 4 MiB. (Throttled large records are not retried here, so every other one or more is lost.)
    expect(fl.accepted).toBeLessThan(fl.offered);
  });

  it("at 105% of 1 MiB/s the small records take all of the tank's refill: two large records get in on its first 10 MiB, then none", () => {
    // 517 small records/s = 1,058,816 B/s: the byte bucket lets 1 MiB/s of them in (1,048,576 / 1,058,816 = 99.03%
    // of their bytes), and they take all of the tank's 1 MiB/s refill. The tank starts with 10 MiB: the large
    // records at 100 s and 200 s get in (10 → 6 → 2 MiB), none after. Accepted bytes: 1 MiB/s × T, plus the byte
    // bucket's first 1 MiB less the first window's lost refill, plus the two 4 MiB records.
    const T = 950;
    const r = run("517/s", `${T}s`);
    const [small, large] = r.producers;
    expect(large!.accepted).toBe(2);
    const accepted = r.shards[0]!.incomingBytes;
    const base = MiB * T + MiB - MiB * 0.1 + 2 * L;
    expect(accepted).toBeGreaterThanOrEqual(base - 2_048);
    expect(accepted).toBeLessThanOrEqual(base + 2_048);
    expect(small!.accepted / (517 * T)).toBeCloseTo(1_048_576 / 1_058_816, 2);
  });
});

describe("the KPL and large records", () => {
  it("sends a user record larger than the shard's byte bucket plain, never aggregated: 4 MiB records write 4 MiB each", () => {
    // One 4 MiB user record (4,194,268 B + a 36-byte key) every 20 s: each goes out as its own Kinesis record of
    // 4,194,304 B (a KinesisRecord with one user record serializes as that record, kinesis_record.cc), and each
    // gets in (the 3 MiB debt it leaves is repaid in 3 s).
    const r = simulate(
      scenarioOf({
        duration: "200s",
        stream: { shards: 1, maxRecordSize: "10MiB" },
        producers: [{ name: "k", client: "kpl", rate: { shape: "constant", value: "0.05/s" }, recordSize: { dist: "fixed", size: `${4 * MiB - 36}B` } }],
      }),
    );
    const p = r.producers[0]!;
    expect(p.offered).toBe(10);
    expect(p.accepted).toBe(10);
    expect(p.throttledAttempts).toBe(0);
    expect(p.clientMetrics.userRecordsPerKinesisRecord).toBe(1);
    expect(r.shards[0]!.incomingBytes).toBe(10 * 4 * MiB);
  });
});
