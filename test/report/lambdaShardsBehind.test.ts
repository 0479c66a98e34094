// A Lambda consumer behind on several shards says how many (helper-94's p1-lambda-slow: 20 of 40 shards behind read as
// behind "on shardId-000000000013" only), and what would keep its busiest shard up, each remedy checked by a run with it.
// A lane processes BatchSize ÷ (perInvocation + BatchSize × perRecord) records a second; a shard has ParallelizationFactor
// lanes; Lambda keeps a partition key's records in one lane ("Lambda still ensures in-order processing at the
// partition-key level", https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const SPACE = 1n << 128n;
/** Producer i writing `rate` records/s of 100 B to shard i of 4 under 20 partition keys (explicit hash keys in its range): none of them busy enough for a lane of its own. */
const producer = (i: number, rate: number) => ({
  name: `p${i}`,
  client: "sdk",
  rate: { shape: "constant", value: `${rate}/s` },
  recordSize: { dist: "fixed", size: "100B" },
  partitionKey: { kind: "explicit", hashKeys: Array.from({ length: 20 }, (_, j) => ((SPACE / 4n) * BigInt(i) + BigInt(j + 1)).toString()) },
});

// Four shards taking 850, 800, 300 and 100 records/s of 100 B; one lane a shard, batches of 100 at 100 ms + 0.5 ms a
// record: 150 ms, 667 records/s a lane. Two shards are over it; the median shard takes (800 + 300) ÷ 2 = 550.
// By hand, for shard 0's 850 records/s with 10% to spare (935): a factor of ⌈935 ÷ 667⌉ = 2 (1,333 records/s); a batch
// b with b ÷ (0.1 + 0.0005 b) ≥ 935, b ≥ 93.5 ÷ 0.5325 = 175.6: 176; a function under (100 ÷ 935 − 0.1) ÷ 100 = 69.5 µs
// a record; or the shard's records split over 2.
const lambda = (settings: { batchSize?: number; parallelization?: number; perRecord?: string } = {}) =>
  verdictOf(
    simulateScenario(
      scenarioOf({
        duration: "10m",
        warmup: "1m",
        stream: { name: "s", shards: 4 },
        producers: [850, 800, 300, 100].map((rate, i) => producer(i, rate)),
        consumers: [
          {
            name: "l0",
            kind: "lambda",
            startingPosition: "TRIM_HORIZON",
            batchSize: settings.batchSize ?? 100,
            parallelization: settings.parallelization ?? 1,
            function: { timeout: "60s", duration: { perInvocation: "100ms", perRecord: settings.perRecord ?? "0.5ms", variability: 0 } },
          },
        ],
      }),
    ),
  ).consumers[0]!;

describe("a Lambda consumer behind on two of its four shards", () => {
  const v = lambda();

  it("counts the shards behind and over the bound, and the median shard", () => {
    expect(v.bottleneck).toBe("function duration");
    const sb = v.shardBound!;
    expect([sb.shards, sb.shardsBehind, sb.shardsOver]).toEqual([4, 2, 2]);
    expect(sb.medianPerSecond).toBeGreaterThan(545);
    expect(sb.medianPerSecond).toBeLessThan(555);
  });

  it("gives the remedies worked out by hand", () => {
    const m = v.shardBound!.remedy;
    expect(m.parallelization).toBe(2);
    expect(m.batchSize).toBe(176);
    expect(m.perRecordUs!).toBeGreaterThan(69);
    expect(m.perRecordUs!).toBeLessThan(70);
    expect(m.splitInto).toBe(2);
    expect(v.explanation).toMatch(
      /^Lambda consumer l0 falls behind on 2 of its 4 shards \(their records waited over a minute\), worst on shardId-000000000000: its records waited up to [\d.]+ min; it took 85\d records\/s, over the 667 records\/s the function can process on a shard \(1 concurrent batch × 100 records ÷ a batch's mean duration\); 2 of the 4 shards took more than that \(the median shard 55\d records\/s\); it processes 1,\d{3} records\/s in all\. What would let shardId-000000000000's lanes keep up with 10% to spare, each alone: a parallelization factor of 2 \(2 lanes a shard, 1,333 records\/s\); or a function under 69 µs a record \(it takes 500 µs a record and 100 ms an invocation\); or a batch of 176 records \(a lane then 936 records\/s\); or more shards, shardId-000000000000's records split over 2 \(as far as its keys spread\)\.$/,
    );
  });

  it("each remedy alone keeps it up in a run", () => {
    for (const fixed of [lambda({ parallelization: 2 }), lambda({ batchSize: 176 }), lambda({ perRecord: "0.069ms" })]) {
      expect(fixed.bottleneck).toBe("none");
      expect(fixed.fallingBehind).toBe(false);
    }
  });
});

describe("a Lambda consumer's shard whose hot key alone takes more than a lane", () => {
  // One shard of 800 records/s, 60% of them (480/s) under one key; batches of 100 at 100 ms + 2 ms a record: 300 ms,
  // 333 records/s a lane. A factor of 3 gives 1,000 a shard as shardcast spreads the records, but Lambda keeps the
  // key's 480 a second in one lane.
  const v = verdictOf(
    simulateScenario(
      scenarioOf({
        duration: "10m",
        warmup: "1m",
        stream: { name: "s", shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "800/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "hotKeys", keys: [{ key: "hot", share: 0.6 }] } }],
        consumers: [{ name: "l0", kind: "lambda", startingPosition: "TRIM_HORIZON", batchSize: 100, function: { timeout: "60s", duration: { perInvocation: "100ms", perRecord: "2ms", variability: 0 } } }],
      }),
    ),
  ).consumers[0]!;

  it("names the key, and gives a faster function, not more lanes or shards", () => {
    expect(v.shardBound!.hotKey!.key).toBe("hot");
    expect(v.shardBound!.hotKey!.perSecond).toBeGreaterThan(470);
    expect(v.shardBound!.hotKey!.perSecond).toBeLessThan(490);
    // With 10% to spare (880 records/s): a lane under 100 ÷ 880 s a batch, (113.6 − 100) ms ÷ 100 = 136 µs a record.
    expect(v.explanation).toContain("What would let shardId-000000000000's lanes keep up with 10% to spare, each alone: a function under 136 µs a record (it takes 2 ms a record and 100 ms an invocation).");
    expect(v.explanation).toMatch(/ Nor more lanes or shards: Lambda keeps each partition key's records in one lane, in order .*, and `hot` alone takes 4[78]\d records\/s on shardId-000000000000, over the 333 records\/s a lane processes\.$/);
    expect(v.explanation).not.toContain("parallelization factor of");
  });
});
