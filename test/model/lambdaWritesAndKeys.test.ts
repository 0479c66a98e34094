// A Lambda consumer's sink writes are part of its invocations, and its concurrent batches follow partition keys, both
// against hand computations:
// - the handler writes its batch before it returns, so the write is inside the invocation: its Duration, its timeout,
//   its concurrency and its bill ("Timeout is the maximum amount of time in seconds that a Lambda function can run";
//   among its common causes, "A function makes a request to another service, which takes longer to respond": Lambda
//   developer guide, https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), and a write the timeout
//   cuts fails the invocation (a timeout is a function error: "The runtime terminated your function because it ran out
//   of time", https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html), the batch tried again (at least once:
//   what the cut write wrote is written again);
// - with a parallelization factor above 1, "Lambda still ensures in-order processing at the partition-key level"
//   (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html): a key's records all go to one concurrent batch, so
//   a hot key's lane takes the key's whole rate, however many lanes the shard has.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/engine/random.js";
import { createStreamRanges, hashKeyOf, shardIndexFor } from "../../src/model/kinesis/hashing.js";
import { routeKeys } from "../../src/model/kinesis/keyRouting.js";
import { allotByShares, keyLaneShares } from "../../src/model/lambda/keyLanes.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { keyPopulation } from "../../src/workload/partitionKeys.js";
import { scenarioOf } from "./scenarioOf.js";

const run = (input: Record<string, unknown>): RunResult => simulateScenario(scenarioOf(input));

/** One SDK producer of `rate` records a second of 500 B (1 WCU an item) at a constant rate, with these keys. */
const writes = (rate: number, partitionKey: Record<string, unknown> = { kind: "random" }) => ({
  name: "p",
  client: "sdk",
  rate: { shape: "constant", value: `${rate}/s` },
  recordSize: { dist: "fixed", size: "500B" },
  partitionKey,
});

/** A Lambda consumer with a fixed duration (no variability, no cold start) and a fixed 20 ms GetRecords. */
function fn(extra: Record<string, unknown>, duration: Record<string, unknown>, fnExtra: Record<string, unknown> = {}) {
  return {
    name: "f",
    kind: "lambda",
    startingPosition: "TRIM_HORIZON",
    poll: { latency: { dist: "fixed", value: "20ms" } },
    ...extra,
    function: { duration: { ...duration, variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } }, ...fnExtra },
  };
}

/** A DynamoDB table that never throttles, BatchWriteItem of 16 items taking `latency` each. */
const table = (latency: string) => ({
  kind: "dynamodb",
  table: { capacity: "provisioned", write: 40_000 },
  itemsPerRequest: 16,
  requestLatency: { dist: "fixed", value: latency },
  retry: { limit: 3, backoff: "1s" },
});

describe("a Lambda function's sink writes are part of its invocation", () => {
  it("Duration is the compute and the writes: 20 ms + 4 BatchWriteItem of 16 items at 10 ms = 60 ms, each billed 60 ms", () => {
    // 50 records/s polled about once a second: batches of 49..64 records, 4 requests of at most 16 items each.
    // Before: Duration 20 ms, the compute alone; the writes came after the invocation had ended.
    const r = run({ duration: "3m", warmup: "30s", stream: { shards: 1 }, producers: [writes(50)], consumers: [fn({ sink: table("10ms") }, { perInvocation: "20ms", perRecord: "0ms" })] });
    const l = r.consumers[0]!.lambda!;
    expect(l.invocations).toBeGreaterThan(140);
    expect(Math.abs(l.duration.p50 - 60_000) / 60_000).toBeLessThan(0.002);
    expect(Math.abs(l.duration.max - 60_000) / 60_000).toBeLessThan(0.002);
    expect(Math.abs(l.duration.mean - 60_000) / 60_000).toBeLessThan(0.002);
    expect(l.billedDurationUs).toBe(l.invocations * 60_000);
    expect(l.errors).toBe(0);
    expect(r.accounting.balanced).toBe(true);
  });

  it("a write the 1 s timeout cuts fails the invocation; the halves (bisection) write the batch again: per 100 records, 3 invocations, 1 timeout, 180 items written, 80 processed again", () => {
    // Batches of 100 (the lane is always behind: 200 records/s offered, it takes about 27/s): 20 ms of compute, then 7
    // BatchWriteItem requests of 16 items at 200 ms each. By the 1 s timeout 5 have been sent (at 20, 220, 420, 620,
    // 820 ms): 80 items written, the other 20 interrupted, and the invocation times out. Bisected, each half of 50
    // writes in 4 requests: 20 ms + 800 ms = 820 ms, within the timeout. So each 100 records take 3 invocations (1 timed
    // out at 1 s, 2 of 820 ms), 180 items written, and the 80 the cut write wrote are written again (processed again).
    // Before: 100 records, one 20 ms invocation (the writes after it), no timeout, 100 items written once.
    const r = run({
      duration: "5m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [writes(200)],
      consumers: [fn({ batchSize: 100, bisectBatchOnFunctionError: true, sink: table("200ms") }, { perInvocation: "20ms", perRecord: "0ms" }, { timeout: "1s" })],
    });
    const c = r.consumers[0]!;
    const l = c.lambda!;
    expect(l.timeouts).toBeGreaterThan(60);
    expect(l.errors).toBe(l.timeouts);
    expect(Math.abs(l.invocations / l.timeouts - 3)).toBeLessThan(0.05);
    expect(Math.abs(l.duration.max - 1_000_000) / 1_000_000).toBeLessThan(0.002);
    expect(Math.abs(l.duration.p50 - 820_000) / 820_000).toBeLessThan(0.002);
    const processed = c.accounting.processed;
    expect(processed).toBeGreaterThan(6_000);
    expect(Math.abs(c.reprocessed / processed - 0.8)).toBeLessThan(0.02);
    const sk = r.sinks.find((x) => x.consumer === "f")!;
    expect(Math.abs(sk.accounting.written / processed - 1.8)).toBeLessThan(0.03);
    expect(Math.abs(sk.accounting.interrupted / processed - 0.2)).toBeLessThan(0.02);
    expect(sk.accounting.balanced).toBe(true);
    expect(c.accounting.balanced).toBe(true);
    expect(r.accounting.balanced).toBe(true);
  });
});

/** The lane of a key among `lanes`, as the model takes it: the key's MD5, read as a 128-bit integer, modulo the lanes. */
const laneOf = (key: string, lanes: number) => Number(BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`) % BigInt(lanes));

describe("a shard's concurrent batches (lanes) follow partition keys", () => {
  it("a hot key of 60% on one shard, factor 4: its lane gets 0.6 + 0.4 ÷ 4 = 70% of the shard's records, each other lane 10%", () => {
    const pop = keyPopulation({ kind: "hotKeys", keys: [{ key: "hot", share: 0.6 }], otherLength: 36 }, RandomStream.root(1));
    const [shares] = keyLaneShares(pop, createStreamRanges(1), 4);
    const hot = laneOf("hot", 4);
    shares!.forEach((s, l) => expect(s).toBeCloseTo(l === hot ? 0.7 : 0.1, 12));
  });

  it("random keys spread evenly: each of 4 lanes gets exactly a quarter", () => {
    const pop = keyPopulation({ kind: "random", length: 36 }, RandomStream.root(1));
    for (const shares of keyLaneShares(pop, createStreamRanges(3), 4)) for (const s of shares) expect(s).toBe(1 / 3 / 4);
  });

  it("p1-lambda-slow's shard 13 (Zipf 0.8 over cust-1..cust-5000, 40 shards): cust-1 alone is 1 ÷ H(5000, 0.8) = 434 of 10,000 records/s, all in one lane", () => {
    const pop = keyPopulation({ kind: "zipf", keys: 5_000, exponent: 0.8, prefix: "cust-", names: "ranked" }, RandomStream.root(5));
    const ranges = createStreamRanges(40);
    let h = 0;
    for (let k = 1; k <= 5_000; k++) h += k ** -0.8;
    const hot = 10_000 / h;
    expect(hot).toBeCloseTo(434.3, 1);
    const shard = shardIndexFor(ranges, hashKeyOf("cust-1"));
    expect(shard).toBe(13);
    const shares = keyLaneShares(pop, ranges, 4)[shard]!;
    // The lanes together hold the shard's share, as Kinesis routes the keys.
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(routeKeys(pop, ranges).shares[shard]!, 12);
    // cust-1's lane gets at least its 434 records/s: more than the 100 ÷ (20 ms + 100 × 5 ms) = 192 a lane processes.
    expect(10_000 * shares[laneOf("cust-1", 4)]!).toBeGreaterThanOrEqual(hot);
    expect(hot).toBeGreaterThan(100 / 0.52);
  });

  it("splitting records by shares keeps each lane within a record of its share, one record at a time or many", () => {
    const shares = Float64Array.of(0.7, 0.1, 0.1, 0.1);
    const owed = new Float64Array(4);
    const given = [0, 0, 0, 0];
    let n = 0;
    for (const k of [1, 1, 1, 7, 100, 3, 1, 250, 1, 1]) {
      allotByShares(owed, shares, k).forEach((c, l) => (given[l]! += c));
      n += k;
      given.forEach((g, l) => expect(Math.abs(g - shares[l]! * n)).toBeLessThan(1));
    }
    expect(given.reduce((a, b) => a + b, 0)).toBe(n);
  });

  // One shard, 20 ms + 5 ms a record, batches of 100: a lane processes at most 100 ÷ 0.52 s = 192.3 records/s.
  const lane = 100 / 0.52;
  const slow = (parallelization: number, extra: Record<string, unknown> = {}) =>
    fn({ parallelization, poll: { latency: { dist: "fixed", value: "20ms" }, maxRecords: 500 }, ...extra }, { perInvocation: "20ms", perRecord: "5ms" });

  it("one partition key: factor 4 processes what one lane does, 192 records/s of the 300 offered (before: all 300, split evenly)", () => {
    const r = run({ duration: "4m", warmup: "30s", stream: { shards: 1 }, producers: [writes(300, { kind: "hotKeys", keys: [{ key: "only", share: 1 }] })], consumers: [slow(4)] });
    const v = judge(r).consumers[0]!;
    expect(Math.abs(v.processedPerSecond - lane) / lane).toBeLessThan(0.03);
    expect(v.fallingBehind).toBe(true);
    expect(r.accounting.balanced).toBe(true);
  });

  it("a hot key of 60% of 500 records/s, factor 4: its lane is offered 350/s, processes 192/s, and holds the shard's reads, so the shard processes 192 ÷ 0.7 = 275/s (before: 500/s, 125/s a lane)", () => {
    const r = run({ duration: "4m", warmup: "30s", stream: { shards: 1 }, producers: [writes(500, { kind: "hotKeys", keys: [{ key: "hot", share: 0.6 }] })], consumers: [slow(4)] });
    const v = judge(r).consumers[0]!;
    const expected = lane / 0.7;
    expect(Math.abs(v.processedPerSecond - expected) / expected).toBeLessThan(0.03);
    expect(v.fallingBehind).toBe(true);
    expect(r.accounting.balanced).toBe(true);
  });

  it("random keys, factor 4: the run is the same as with the records split evenly (partitionKeysPerShard many)", () => {
    const of = (extra: Record<string, unknown>) => run({ duration: "2m", warmup: "30s", stream: { shards: 2 }, producers: [writes(500)], consumers: [slow(4, extra)] }).consumers[0]!;
    const keyed = of({});
    const even = of({ partitionKeysPerShard: 1_000_000_000 });
    expect(keyed.accounting).toEqual(even.accounting);
    expect(keyed.lambda!.duration).toEqual(even.lambda!.duration);
    expect(keyed.endToEnd).toEqual(even.endToEnd);
  });
});
