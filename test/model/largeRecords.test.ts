// Large records (Kinesis developer guide, "Handle large records",
// https://docs.aws.amazon.com/streams/latest/dev/large-records.html): since 2025-10 a stream may take records up to
// 10 MiB, while a shard's write rate stays 1 MiB/s; a large record drains the write capacity ("a tank that
// refills at a steady rate") and the shard returns to its baseline rate over time. shardcast's assumption
// (docs/model.md, "The stream"): the byte bucket keeps its normal capacity C = writeBurst × 1 MiB/s however large
// maxRecordSize is, and a record larger than C gets in whenever the bucket is not in debt, leaving it
// (record − level) in debt, repaid at 1 MiB/s. Expectations below are closed forms of that rule.
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

describe("a large record goes into debt", () => {
  it("an 8 MiB record into an idle shard gets in; the shard takes no more bytes until the 7 MiB debt is repaid (7 s)", () => {
    const s = streamOf("10MiB");
    expect(s.put(records(1, 8 * MiB), 0)).toBe(1);
    // Level: 1 MiB − 8 MiB = −7 MiB; a 10,240 B record needs the level back at 10,240 B:
    // t = (7 × 1,048,576 + 10,240) / 1,048,576 s = 7.009765625 s, i.e. from 7,009,766 µs on.
    for (const t of [1 * S, 3 * S, 6.99 * S, 7 * S, 7_009_765]) expect(s.put(records(1, 10_240), t), `at ${t} µs`).toBe(0);
    expect(s.put(records(1, 10_240), 7_009_766)).toBe(1);
  });

  it("another large record gets in as soon as the debt is repaid (level ≥ 0), not before", () => {
    const s = streamOf("10MiB");
    expect(s.put(records(1, 8 * MiB), 0)).toBe(1);
    expect(s.put(records(1, 2 * MiB), 6_999_999)).toBe(0); // level −1.05 B, still in debt
    expect(s.put(records(1, 2 * MiB), 7 * S)).toBe(1); // level exactly 0
    // Now −2 MiB: repaid at 9 s.
    expect(s.put(records(1, 10_240), 8.5 * S)).toBe(0);
  });

  it("in a window the shard's other offers come first, then one large record: 50 × 10 KiB and 2 × 8 MiB → 50 and 1", () => {
    const s = streamOf("10MiB");
    const accepted: number[] = [];
    s.admitWindow([records(1, 8 * MiB), records(50, 10_240), records(1, 8 * MiB)], 0, accepted);
    // 512,000 B of small records from the full 1 MiB bucket leave 536,576 B ≥ 0: the first large record gets in
    // and leaves 536,576 − 8,388,608 = −7,852,032 B; the second finds the bucket in debt.
    expect(accepted).toEqual([1, 50, 0]);
    // Repaid after 7,852,032 / 1,048,576 = 7.488 s: nothing gets in before.
    s.admitWindow([records(1, 10_240)], 7.48 * S, accepted);
    expect(accepted).toEqual([0]);
    s.admitWindow([records(1, 10_240)], 7.5 * S, accepted);
    expect(accepted).toEqual([1]);
  });

  it("a batch of large records lets one in per instant", () => {
    const s = streamOf("10MiB");
    const accepted: number[] = [];
    s.admitWindow([records(3, 2 * MiB)], 0, accepted);
    expect(accepted).toEqual([1]);
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

  it("at 80% of 1 MiB/s (400 small records/s + 4% of the bytes in large records) every large record gets in; each costs (4 − 1) MiB / 1 MiB/s = 3 s of small records (1,200)", () => {
    // 400 × 2,048 = 819,200 B/s, plus 4 MiB / 100 s = 41,943 B/s: 82% of 1,048,576 B/s in all. Below the rate the
    // bucket is full when a large record comes (the small records take less than the refill); it goes to
    // 1 MiB − 4 MiB = −3 MiB, and the small records are throttled until refill at 1 MiB/s has repaid it: 3 s,
    // 400/s × 3 s = 1,200 records, give or take one 100 ms window (40 records).
    for (const granularity of ["batch", "record"] as const) {
      const r = run("400/s", granularity === "batch" ? "950s" : "350s", granularity);
      const [small, large] = r.producers;
      const larges = large!.offered;
      expect(larges, granularity).toBe(granularity === "batch" ? 9 : 3);
      expect(large!.accepted, granularity).toBe(larges);
      expect(large!.throttledAttempts, granularity).toBe(0);
      const perLarge = small!.lost.throttledPastRetries / larges;
      expect(Math.abs(perLarge - 1_200), `${granularity}: ${perLarge} small records throttled per large record`).toBeLessThanOrEqual(40);
      expect(r.accounting.balanced).toBe(true);
    }
  });

  it("at 105% of 1 MiB/s (517 small records/s + the same large ones) the shard still writes 1 MiB/s: 4.74% of the bytes throttled, and the large records still get in", () => {
    // Offered 517 × 2,048 + 41,943.04 = 1,100,759 B/s = 1.0498 × 1 MiB/s. Whatever the mix, the bucket lets through
    // its 1 MiB to start with plus 1 MiB/s (r), less the refill lost in the first 100 ms window (the bucket sat
    // full until the window's offers were admitted at its end: r × 0.1 s) and less the level at the end (between
    // −4 MiB and one small record): accepted in [r·T + 1 MiB − r·0.1 s − 2,048 B, r·T + 1 MiB − r·0.1 s + 4 MiB],
    // a throttled share of the bytes of 1 − 1/1.0498 = 4.74%. A large record finds the bucket in debt only within
    // 4 s of the last one, so each of the 19 (at 100, 200, …, 1,900 s) gets in.
    const T = 1_950;
    const r = run("517/s", `${T}s`);
    const [small, large] = r.producers;
    const offered = small!.offeredWriteBytesAfterWarmup + large!.offeredWriteBytesAfterWarmup;
    expect(offered).toBe(517 * T * 2_048 + 19 * L);
    const accepted = r.shards[0]!.incomingBytes;
    const base = MiB * T + MiB - MiB * 0.1;
    expect(accepted).toBeGreaterThanOrEqual(base - 2_048);
    expect(accepted).toBeLessThanOrEqual(base + L);
    const throttled = 1 - accepted / offered;
    expect(throttled).toBeCloseTo(1 - 1 / 1.0498, 2);
    expect(large!.accepted).toBe(19);
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
