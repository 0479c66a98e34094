// A Lambda consumer whose hot shard takes more than that shard's lanes can process (concurrent batches × BatchSize ÷
// a full batch's mean duration) is held back by its function's duration there, though the function as a whole is far
// under its bound, and whatever else shows: refused reads (another application polls the shard), or throttled
// invocations of the quiet shards' lanes. And the concurrency limit: it holds a consumer falling behind back only where
// a lane of its shard whose records waited longest spent a good share of the last quarter waiting to try throttled
// invocations again. Each case with the counterfactual that moves it (helper-35's generated cases).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const SPACE = 1n << 128n;
/** A producer writing `rate` records/s of `size` to shard `i` of `shards` (an explicit hash key at the start of its range). */
const producer = (name: string, shards: number, i: number, rate: number, size: string) => ({
  name,
  client: "sdk",
  rate: { shape: "constant", value: `${rate}/s` },
  recordSize: { dist: "fixed", size },
  partitionKey: { kind: "explicit", hashKeys: [((SPACE / BigInt(shards)) * BigInt(i) + (i === 0 ? 1n : 0n)).toString()] },
});
/** A KPL producer group of 2 instances writing `rate` user records/s of 500 B to the shard of `hashKey`, aggregating or not (helper-35's 305). */
const kpl = (name: string, hashKey: string, rate: number, aggregationEnabled: boolean) => ({
  name,
  instances: 2,
  client: "kpl",
  kpl: { aggregationEnabled },
  rate: { shape: "constant", value: `${rate}/s` },
  recordSize: { dist: "fixed", size: "500B" },
  partitionKey: { kind: "explicit", hashKeys: [hashKey] },
});
/** Lambda consumer l0 reading by enhanced fan-out, two concurrent batches a shard: BatchSize, the per-record duration, and the rest. */
const fanoutLambda = (batchSize: number, perRecord: string, errors: Record<string, unknown>, rest: Record<string, unknown>) => ({
  name: "l0",
  kind: "lambda",
  startingPosition: "LATEST",
  reader: "fanout",
  batchSize,
  parallelization: 2,
  function: { timeout: "60s", duration: { perInvocation: "10ms", perRecord, variability: 0 }, ...errors },
  ...rest,
});

const run = (input: Record<string, unknown>) => simulateScenario(scenarioOf({ seed: 1, duration: "10m", warmup: "1m", stream: { name: "s", shards: 2 }, ...input }));
const lambda = (input: Record<string, unknown>) => verdictOf(run(input)).consumers.find((c) => c.name === "l0")!;

describe("a Lambda consumer's hot shard over its lanes' bound", () => {
  // Shard 0 takes 800 records/s, shard 1 50/s. One lane a shard, batches of 100 at 100 ms + 0.5 ms a record (150 ms):
  // 667 records/s a shard, 1,333 for the function. A KCL application polling every 200 ms takes part of shard 0's calls.
  const hot = (perRecord: string, withPoller: boolean) =>
    lambda({
      producers: [producer("hot", 2, 0, 800, "100B"), producer("cool", 2, 1, 50, "100B")],
      consumers: [
        { name: "l0", kind: "lambda", startingPosition: "TRIM_HORIZON", batchSize: 100, function: { timeout: "60s", duration: { perInvocation: "100ms", perRecord, variability: 0 } } },
        ...(withPoller ? [{ name: "k0", kind: "kcl", workers: 1, processing: { perRecord: "0.05ms" }, poll: { interval: "200ms" }, checkpoint: { every: "10s" } }] : []),
      ],
    });

  it("is held back by its function's duration on that shard, not by the calls refused", () => {
    const v = hot("0.5ms", true);
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(1);
    expect(v.bottleneck).toBe("function duration");
    expect(v.shardBound!.shardId).toBe("shardId-000000000000");
    expect(v.shardBound!.boundPerSecond).toBeCloseTo(100 / 0.15, 6);
    expect(v.shardBound!.incomingPerSecond).toBeGreaterThan(790);
    // 667 from the hot shard and the cool shard's 50.
    expect(v.processedPerSecond).toBeGreaterThan(0.97 * (667 + 50));
    expect(v.explanation).toMatch(/^Lambda consumer l0 falls behind on shardId-000000000000: its records waited up to [\d.]+ min; it took 80\d records\/s, over the 667 records\/s the function can process on a shard \(1 concurrent batch × 100 records ÷ a batch's mean duration\); it processes 71\d records\/s in all\. /);
    // Its producer writes every record under one partition key, which Lambda keeps in one lane: more lanes would not do.
    expect(v.explanation).toMatch(/ Nor more lanes or shards: .*`explicit-0` alone takes 80\d records\/s on shardId-000000000000, over the 667 records\/s a lane processes\.$/);
  });

  it("alone on the stream it is as slow; with half the duration a record it keeps up", () => {
    const v = hot("0.5ms", true);
    expect(hot("0.5ms", false).processedPerSecond).toBeLessThan(1.05 * v.processedPerSecond);
    expect(hot("0.25ms", true).fallingBehind).toBe(false);
  });
});

describe("a Lambda consumer's hot shard, the quiet shards' lanes throttled by reserved concurrency", () => {
  // Shard 1 of 3 takes 200 records/s of 2,000 B, the others 20 and 50. Two lanes a shard, batches of 100 at 50 ms +
  // 10.374 ms a record (1,087 ms): 184 records/s a shard. Reserved concurrency 4 under the 6 lanes throttles invocations.
  const three = (perRecord: string, reserved: number | null) =>
    lambda({
      stream: { name: "s", shards: 3 },
      producers: [producer("c0", 3, 0, 20, "2000B"), producer("hot", 3, 1, 200, "2000B"), producer("c2", 3, 2, 50, "2000B")],
      consumers: [
        {
          name: "l0",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          parallelization: 2,
          function: { timeout: "60s", duration: { perInvocation: "50ms", perRecord, variability: 0.3 }, ...(reserved ? { concurrency: { reserved } } : {}) },
        },
      ],
    });

  it("is held back by its function's duration on that shard, not by the concurrency limit", () => {
    const v = three("10.374ms", 4);
    expect(v.bottleneck).toBe("function duration");
    expect(v.shardBound!.shardId).toBe("shardId-000000000001");
    expect(v.shardBound!.boundPerSecond).toBeCloseTo((2 * 100) / 1.0874, 6);
  });

  it("without the limit its records wait as long; with half the duration they wait seconds", () => {
    const age = (v: ReturnType<typeof three>) => v.shardBound?.oldestUnprocessedAgeUs ?? 0;
    const v = three("10.374ms", 4);
    expect(age(three("10.374ms", null))).toBeGreaterThan(0.8 * age(v));
    const half = three("5.187ms", 4);
    expect(half.bottleneck).not.toBe("function duration");
  });
});

describe("a Lambda consumer's hot shard held by its sink", () => {
  // Shard 1 of 4 takes 400 records/s of 500 B, the others 30 each. Two lanes a shard, batches of 300 at 100 ms + 3 ms a
  // record (1 s: 600 records/s a shard, under the 400 it takes), each written to a 200-WCU table with 50 ms requests
  // before the invocation returns. The hot shard's lanes wait for flushes most of their time; the quiet shards' lanes
  // hardly wait, so the mean over every lane is under half (helper-35's r3).
  const sinkCase = (latency: string, perRecord = "3ms", write = 200) =>
    lambda({
      stream: { name: "s", shards: 4 },
      producers: [producer("c0", 4, 0, 30, "500B"), producer("hot", 4, 1, 400, "500B"), producer("c2", 4, 2, 30, "500B"), producer("c3", 4, 3, 30, "500B")],
      consumers: [
        {
          name: "l0",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 300,
          parallelization: 2,
          function: { timeout: "60s", duration: { perInvocation: "100ms", perRecord, variability: 0 } },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write }, requestLatency: { dist: "fixed", value: latency } },
        },
      ],
    });

  it("is held back by its sink, judged by the hot shard's lanes, not by the mean over every lane", () => {
    const v = sinkCase("50ms");
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    expect(v.sinkLanes!.shardId).toBe("shardId-000000000001");
    expect(v.sinkLanes!.waitShare).toBeGreaterThan(0.5);
    expect(v.explanation).toContain("the function's lanes spent");
    expect(v.explanation).toMatch(/\(on shardId-000000000001, whose records waited longest, a lane waited for flushes \d+% of the last quarter\)/);
  });

  it("a fast, large table keeps up; half the function's duration does not", () => {
    const v = sinkCase("50ms");
    expect(sinkCase("1ms", "3ms", 40_000).fallingBehind).toBe(false);
    expect(sinkCase("50ms", "1.5ms").processedPerSecond).toBeLessThan(1.05 * v.processedPerSecond);
  });
});

describe("a Lambda consumer held by its sink once its load rises", () => {
  // One shard taking 60 records/s of 100 B, 500/s from 5 min on. Two lanes, batches of 100 at 20 ms + `perRecord` a
  // record, each written to a 100-WCU table (1 WCU an item: 100 items/s, some 135 with its burst capacity) with 10 ms
  // requests. Until the step the lanes hardly wait for flushes; after it they wait nearly all the time. Over the lanes'
  // time since warmup (what this rule used to take) that was under half, and the busy-lanes rule then named the
  // function's duration; over the last quarter, where falling behind is judged, a lane waited over 90% of it.
  const stepCase = (write: number, perRecord = "0.1ms") =>
    lambda({
      stream: { name: "s", shards: 1 },
      producers: [
        {
          name: "p",
          client: "sdk",
          rate: { shape: "step", levels: [{ at: "0s", value: "60/s" }, { at: "5m", value: "500/s" }] },
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "random", length: 16 },
        },
      ],
      consumers: [
        {
          name: "l0",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          parallelization: 2,
          function: { timeout: "60s", duration: { perInvocation: "20ms", perRecord, variability: 0 } },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write }, requestLatency: { dist: "fixed", value: "10ms" } },
        },
      ],
    });

  it("is held back by its sink, judged by the last quarter's lane, not by the lanes' time since warmup", () => {
    const v = stepCase(100);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    expect(v.sinkLanes!.waitShare).toBeGreaterThan(0.9);
  });

  it("ten times the table's capacity keeps up; half the function's time a record does not", () => {
    const v = stepCase(100);
    expect(stepCase(1000).fallingBehind).toBe(false);
    const faster = stepCase(100, "0.05ms");
    expect(faster.fallingBehind).toBe(true);
    expect(faster.processedPerSecond).toBeLessThan(1.05 * v.processedPerSecond);
  });
});

describe("a Lambda consumer whose shards' records are aggregated on one shard only", () => {
  // helper-35's generated case 305, without the other consumers and the delivery stream (its l0's verdict is the same
  // without them): three shards taking 200, 400 and 400 user records/s of 500 B, the third in KPL aggregates. Two lanes
  // a shard (one on the third: its aggregates all carry the key "a"), batches of 1,000 Kinesis records at 10 ms + 2 ms a
  // user record, each written to a 500-WCU table. The hot-shard rule counted each shard's Kinesis records times the
  // stream's user records per Kinesis record: shard 1's 400 unaggregated records/s became far more, over its lanes'
  // bound, so "function duration"; and shard 2's aggregates became a few records/s. Counted by each shard's own user
  // records, no shard is over its lanes' bound, and the lanes waiting for the table most of the last quarter are the
  // sink's. (The case had 5.133 ms a record, two lanes on the third shard too and batches of 1,000 user records, before
  // BatchSize counted Kinesis records and a KPL's aggregates went to one lane: then the third shard's lane, 1,000
  // aggregates of ~40 user records a batch at 5.133 ms each, was its function's bottleneck, as it would be in Lambda.)
  const mixed = (write: number, perRecord = "2ms") =>
    lambda({
      duration: "8m",
      stream: { name: "s", shards: 3 },
      producers: [
        kpl("p0", "1", 200, false),
        { ...producer("p1", 3, 1, 400, "500B"), partitionKey: { kind: "explicit", hashKeys: ["113427455640312821154458202477256070486"] } },
        kpl("p2", "226854911280625642308916404954512140971", 400, true),
      ],
      consumers: [
        fanoutLambda(1000, perRecord, {}, {
          maximumRecordAge: "120s",
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write }, requestLatency: { dist: "fixed", value: "10ms" } },
        }),
      ],
    });

  it("is held back by its sink, not by its function's duration on the unaggregated shard", () => {
    const v = mixed(500);
    expect(v.fallingBehind).toBe(true);
    expect(v.shardBound).toBeUndefined();
    expect(v.bottleneck).toBe("sink");
    expect(v.sinkLanes!.waitShare).toBeGreaterThan(0.5);
  });

  it("ten times the table's capacity processes over 10% more; half the function's time a record does not", () => {
    const v = mixed(500);
    expect(mixed(5000).processedPerSecond).toBeGreaterThan(1.1 * v.processedPerSecond);
    expect(mixed(500, "1ms").processedPerSecond).toBeLessThan(v.processedPerSecond);
  });
});

describe("a Lambda consumer that keeps up but skips records for their age, one shard's records aggregated", () => {
  // helper-40's probe: three shards at 200, 400 and 400 user records/s of 500 B, only the third in KPL aggregates (the
  // stream's ratio of user to Kinesis records 1.6). Two lanes a shard, batches of 10 at 10 ms + 2.33 ms a record (601
  // records/s a shard), MaximumRecordAge 60 s, and about 4 poison records in a million: a batch holding one is retried
  // until its records are too old, and those behind it age out with it. The rule for records skipped for their age
  // asks whether a shard took 90% of its lanes' bound; shard 1's 400 records/s times the stream's ratio made 647, over
  // 0.9 × 601, so "function duration". By each shard's own user records none is, and the failures hold the records.
  const aged = (poisonRecords: number, perRecord = "2.33ms") => {
    const r = run({
      stream: { name: "s", shards: 3 },
      producers: [
        kpl("p0", "1", 200, false),
        kpl("p1", "113427455640312821154458202477256070486", 400, false),
        kpl("p2", "226854911280625642308916404954512140971", 400, true),
      ],
      consumers: [fanoutLambda(10, perRecord, { errors: { poisonRecords } }, { maximumRecordAge: "60s" })],
    });
    return { a: r.consumers[0]!.accounting, v: verdictOf(r).consumers[0]! };
  };

  it("is held back by its function's errors, not its duration", () => {
    const { a, v } = aged(4e-6);
    expect(v.fallingBehind).toBe(false);
    expect(a.skippedByAge).toBeGreaterThan(0);
    expect(v.bottleneck).toBe("function errors");
  });

  it("without poison records none is skipped; with half the time a record some still are", () => {
    expect(aged(0).a.skippedByAge).toBe(0);
    expect(aged(4e-6, "1.165ms").a.skippedByAge).toBeGreaterThan(0);
  });
});

describe("a Lambda consumer's child shard, opened by a split after warmup", () => {
  // One shard of 300 records/s, split at 7 min (the children open at 7.5 min), when the traffic steps up to 1,400/s:
  // about 700 a child, over the 333 a shard's lane can process (batches of 100 at 100 ms + 2 ms a record). Over the
  // 9 minutes after warmup a child's mean is under 200 records/s: judged by its rate while open, and what the lanes would
  // process at the bound over the time each shard was open, the child is what holds the consumer back.
  const split = (perRecord: string) =>
    lambda({
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "step", levels: [{ at: "0s", value: "300/s" }, { at: "450s", value: "1400/s" }] }, recordSize: { dist: "fixed", size: "100B" } }],
      consumers: [{ name: "l0", kind: "lambda", startingPosition: "TRIM_HORIZON", batchSize: 100, function: { timeout: "60s", duration: { perInvocation: "100ms", perRecord, variability: 0 } } }],
      reshards: [{ at: "7m", kind: "split", stream: "s", shard: 0 }],
    });

  it("names the child and its rate while open", () => {
    const v = split("2ms");
    expect(v.bottleneck).toBe("function duration");
    expect(v.shardBound!.shardId).toMatch(/^shardId-00000000000[12]$/);
    expect(v.shardBound!.incomingPerSecond).toBeGreaterThan(650);
    expect(v.shardBound!.boundPerSecond).toBeCloseTo(100 / 0.3, 6);
  });

  // With half the duration a record a lane does 100 ÷ (100 ms + 100 × 1 ms) = 500 records/s, still under a child's 700:
  // from 7.5 min the consumer processes at most 2 × 500 of the 1,400 arriving, its backlog growing 400 a second and its
  // age (1,400 − 1,000) ÷ 1,400 = 0.29 s a second. Run to 10 min its records wait under a minute (43 s), and it read
  // "none" (keeps up) before a growing backlog counted as falling behind whatever its age.
  it("with half the duration a record its records wait under a minute, but its backlog grows at the end: it falls behind on a child", () => {
    const v = split("1ms");
    expect(v.bottleneck).toBe("function duration");
    expect(v.fallingBehind).toBe(true);
    expect(v.shardBound!.shardId).toMatch(/^shardId-00000000000[12]$/);
    expect(v.shardBound!.boundPerSecond).toBeCloseTo(100 / 0.2, 6);
    expect(v.shardBound!.oldestUnprocessedAgeUs).toBeLessThan(60_000_000);
    expect(v.backlogGrowth!.ageRisePerSecond).toBeGreaterThan(0);
    expect(v.explanation).toMatch(/Its backlog grew [\d,]+ records\/s over the last half after warmup/);
  });
});

describe("a Lambda consumer's invocations throttled by its function's concurrency limit", () => {
  // Four shards of 150 records/s, one lane each: batches of 100 at 50 ms + 100 × 3 ms = 350 ms, 286 records/s a lane.
  // Reserved concurrency 1 lets one invocation run at a time: at most 286 records/s for the 600 that arrive, and a
  // throttled lane waits the mapping's 1 s before it tries again.
  const four = (perRecord: string, reserved: number) =>
    lambda({
      stream: { name: "s", shards: 4 },
      producers: [0, 1, 2, 3].map((i) => producer(`p${i}`, 4, i, 150, "100B")),
      consumers: [{ name: "l0", kind: "lambda", startingPosition: "TRIM_HORIZON", batchSize: 100, function: { timeout: "60s", duration: { perInvocation: "50ms", perRecord, variability: 0 }, concurrency: { reserved } } }],
    });

  it("is held back by the limit: the lanes of its shard whose records waited longest waited after throttles", () => {
    const v = four("3ms", 1);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("function concurrency");
    expect(v.throttledLanes!.waitShare).toBeGreaterThan(0.5);
    expect(v.explanation).toMatch(/\(on shardId-00000000000\d, whose records waited longest, a lane spent \d+% of the last quarter waiting to try throttled invocations again\)/);
  });

  it("with a limit of 4 it keeps up; with half the duration a record it does not", () => {
    expect(four("3ms", 4).fallingBehind).toBe(false);
    // 200 ms a batch: one invocation at a time processes at most 500 records/s.
    expect(four("1.5ms", 1).fallingBehind).toBe(true);
  });
});

describe("a Lambda consumer with a few invocations throttled and a slow sink", () => {
  // A hot shard of 300 records/s and two quiet ones of 5. Batches of 100 at 5 ms + 100 × 0.1 ms = 15 ms, each written to
  // a DynamoDB table of `wcu` write capacity units (an item of 100 B is 1 WCU) before the invocation returns: 150 WCU
  // write 150 items/s, half what the hot shard takes. The hot lane's invocations hold one of the 2 reserved executions
  // while they write, nearly all the time; the quiet lanes share the other, and now and then one is throttled: over 1%
  // of the invocations tried. (With 1 reserved execution for 2 shards, as this case had while the writes were left out
  // of the invocations, the quiet lane's invocations, writing to the saturated table, hold the hot lane back: 21%
  // throttled, and the limit binds.)
  const sinkBound = (wcu: number, reserved: number) =>
    run({
      stream: { name: "s", shards: 3 },
      producers: [producer("hot", 3, 0, 300, "100B"), producer("cool", 3, 1, 5, "100B"), producer("cool2", 3, 2, 5, "100B")],
      consumers: [
        {
          name: "l0",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          function: { timeout: "60s", duration: { perInvocation: "5ms", perRecord: "0.1ms", variability: 0 }, concurrency: { reserved } },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write: wcu }, requestLatency: { dist: "fixed", value: "10ms" } },
        },
      ],
    });

  it("is held back by its sink, not by the concurrency limit", () => {
    const r = sinkBound(150, 2);
    const v = verdictOf(r).consumers.find((c) => c.name === "l0")!;
    // More than 1% of the invocations tried were throttled: the limit's rule would have named it.
    const fn = r.consumers.find((c) => c.name === "l0")!.lambda!;
    expect(fn.throttles / (fn.invocations + fn.throttles)).toBeGreaterThan(0.01);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    expect(v.sinkLanes!.shardId).toBe("shardId-000000000000");
  });

  it("with a limit of 3 it is as slow; with twenty times the table's capacity it keeps up", () => {
    const verdict = (r: ReturnType<typeof run>) => verdictOf(r).consumers.find((c) => c.name === "l0")!;
    const v = verdict(sinkBound(150, 2));
    expect(Math.abs(verdict(sinkBound(150, 3)).processedPerSecond / v.processedPerSecond - 1)).toBeLessThan(0.05);
    expect(verdict(sinkBound(3000, 2)).fallingBehind).toBe(false);
  });
});

describe("a Lambda consumer whose lanes are busy while other applications' calls are refused", () => {
  // One shard of 400 records/s. Batches of 100 at 50 ms + 100 × 3 ms = 350 ms, each then written to a DynamoDB table
  // (seven requests of at most 16 items, at 20 ms: 140 ms) before the invocation returns: 490 ms a batch in all, about
  // 204 records/s, the shard's bound now that it counts the write (it counted the compute alone, 286 records/s, so the
  // lane was judged by its busy time instead). The compute alone (286) is under the 400 too, so the function's duration,
  // not the sink, holds it back; and the lane waits for the sink 29% of its time, not most of it. Two KCL applications
  // polling every 200 ms take the shard's 5 calls/s.
  const busy = (perRecord: string, withPollers: boolean) =>
    lambda({
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "400/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "random", length: 16 } }],
      consumers: [
        {
          name: "l0",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          function: { timeout: "60s", duration: { perInvocation: "50ms", perRecord, variability: 0 } },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10_000 }, requestLatency: { dist: "fixed", value: "20ms" } },
        },
        ...(withPollers ? ["k0", "k1"].map((name) => ({ name, kind: "kcl", workers: 1, processing: { perRecord: "0.05ms" }, poll: { interval: "200ms" }, checkpoint: { every: "10s" } })) : []),
      ],
    });

  it("is held back by its function's duration, not by the calls refused", () => {
    const v = busy("3ms", true);
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(1);
    expect(v.bottleneck).toBe("function duration");
    expect(v.shardBound!.shardId).toBe("shardId-000000000000");
    expect(v.shardBound!.boundPerSecond).toBeCloseTo(100 / 0.49, 6);
    expect(v.shardBound!.write!.computeOnlyPerSecond).toBeCloseTo(100 / 0.35, 6);
    expect(v.processedPerSecond).toBeLessThan(0.9 * (100 / 0.35));
    expect(v.processedPerSecond).toBeGreaterThan(0.9 * (100 / 0.49));
    expect(v.explanation).toMatch(/^Lambda consumer l0 falls behind on shardId-000000000000: its records waited up to .*; it took 400 records\/s, over the 204 records\/s the function can process on a shard \(1 concurrent batch × 100 records ÷ a batch's mean duration, its sink write included: 350 ms of work and 140 ms writing a full batch, the sink not throttled\)/);
  });

  it("alone on the stream it is as slow; with half the duration a record it is 40% faster", () => {
    const v = busy("3ms", true);
    expect(Math.abs(busy("3ms", false).processedPerSecond / v.processedPerSecond - 1)).toBeLessThan(0.05);
    expect(busy("1.5ms", true).processedPerSecond).toBeGreaterThan(1.4 * v.processedPerSecond);
  });
});
