// Which limit a KCL or Lambda consumer that falls behind is held back by, when several are near: each case is built
// so that one limit is the tighter by its closed form, and the verdict must name that one (not the read limits its
// backlog's reads run into, not a limit counted in the wrong records), with counterfactuals where a rate can move.
import { describe, expect, it } from "vitest";
import { verdictOf as verdictOfReport } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const verdictOf = (input: Record<string, unknown>) => {
  const r = simulateScenario(scenarioOf(input));
  return { r, v: judge(r).consumers[0]! };
};

describe("a KCL application whose calls bring fewer records than it could process", () => {
  // One shard, 800 records/s of 100 B, one call a second of at most 5 Kinesis records. A KPL producer packs about 40
  // user records into each aggregate, so a call brings about 200 user records; processing them takes 100 ms + 200 ×
  // 0.1 ms = 120 ms of each second. The fetch, not processing, is the limit: maxRecords counts Kinesis records.
  it("KPL aggregates: fetch size, though it processes more user records a second than maxRecords", () => {
    const { r, v } = verdictOf({
      seed: 17,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "kpl", instances: 2, rate: { shape: "poisson", value: "800/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "random", length: 36 } }],
      consumers: [{ name: "k", kind: "kcl", workers: 1, poll: { maxRecords: 5, interval: "1s" }, processing: { perBatch: "100ms", perRecord: "0.1ms" } }],
    });
    const p = r.producers[0]!;
    const usersPerAggregate = p.offeredAfterWarmup / p.offeredKinesisAfterWarmup;
    expect(usersPerAggregate).toBeGreaterThan(10);
    expect(v.fallingBehind).toBe(true);
    // At most 5 aggregates a second (calls come a second after the last one, plus its latency): at most 5 × the users an aggregate holds.
    expect(v.processedPerSecond).toBeLessThanOrEqual(5 * usersPerAggregate * 1.02);
    expect(v.processedPerSecond).toBeGreaterThan(5); // more user records than maxRecords counts
    expect(v.bottleneck).toBe("fetch size");
  });

  // One shard, 400 records/s, at most 100 records a call once a second: the fetch brings under 100/s. At 9.5 ms a record
  // processing could do 105/s (the fetch binds); at 11 ms, 90.9/s (processing binds).
  for (const [perRecord, expected] of [
    ["9.5ms", "fetch size"],
    ["11ms", "processing"],
  ] as const) {
    it(`${perRecord} a record, at most 100 records a second fetched: ${expected}`, () => {
      const { v } = verdictOf({
        seed: 17,
        duration: "10m",
        warmup: "1m",
        stream: { name: "s", shards: 1 },
        producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "poisson", value: "400/s" }, recordSize: { dist: "fixed", size: "100B" } }],
        consumers: [{ name: "k", kind: "kcl", workers: 1, poll: { maxRecords: 100, interval: "1s" }, processing: { perRecord } }],
      });
      expect(v.fallingBehind).toBe(true);
      expect(v.bottleneck).toBe(expected);
      // (1% over the bound: a batch started in the warmup ends after it.)
      expect(v.processedPerSecond).toBeLessThan(1.01 * (expected === "processing" ? 1e6 / 11_000 : 100));
    });
  }
});

describe("a KCL application on a stream merged from 4 shards to 2", () => {
  // 1,900 records/s; after the merges 2 shards, each processed one batch at a time at 1.2 ms a record: at most about
  // 2 × 833 = 1,666 records/s (a little more on average: 3 shards stay open while the second merge runs, into the time
  // after warmup). Its reads, refused now
  // and then as it reads its backlog in large calls, are not what holds it back. The closed parents are not processors.
  it("is held back by processing, counted on the open shards", () => {
    const { v } = verdictOf({
      seed: 13,
      duration: "12m",
      warmup: "1m",
      stream: { name: "orders", shards: 4 },
      producers: [{ name: "checkout", client: "sdk", instances: 4, rate: { shape: "constant", value: "1900/s" }, recordSize: { dist: "fixed", size: "550B" } }],
      consumers: [{ name: "k", kind: "kcl", workers: 2, processing: { perRecord: "1.2ms", perBatch: "2ms" } }],
      reshards: [
        { at: "30s", kind: "merge", shards: ["shardId-000000000000", "shardId-000000000001"] },
        { at: "70s", kind: "merge", shards: ["shardId-000000000002", "shardId-000000000003"] },
      ],
    });
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(1);
    expect(v.processedPerSecond).toBeLessThan(1_667);
    expect(v.processedPerSecond).toBeGreaterThan(0.9 * 1_666);
    expect(v.bottleneck).toBe("processing");
    // Its bound, over the open shards: not 6 processors (the closed parents counted), which would be 5,000 records/s.
    expect(v.processingBound!).toBeGreaterThan(1_666);
    expect(v.processingBound!).toBeLessThan(1_750);
  });
});

describe("a Lambda consumer that skips records for their age, under its function's bound", () => {
  // 4 shards at 2,000 records/s; 20-record batches of 10 ms + 0.5 ms a record: at most 4 × 20 ÷ 20 ms = 4,000 records/s,
  // 1,000 a shard, twice what each takes. A record in 500,000 fails its batch; retried, the batch holds its shard until
  // the records behind it pass the 60 s maximum age. The failing batches, not the duration, hold it back.
  const run = (poisonRecords: number) =>
    verdictOf({
      seed: 5,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 4 },
      producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "LATEST",
          batchSize: 20,
          maximumRecordAge: "60s",
          function: { duration: { perInvocation: "10ms", perRecord: "0.5ms", variability: 0 }, errors: { poisonRecords } },
        },
      ],
    });

  it("is held back by its failing batches, and never said to run at its bound", () => {
    const { r, v } = run(2e-6);
    const c = r.consumers[0]!;
    const fn = c.lambda!;
    expect(fn.throughputBound).toBeCloseTo(4_000, 6);
    expect(fn.errors).toBeGreaterThan(0);
    expect(fn.errors).toBeLessThan(0.01 * fn.invocations);
    expect(c.accounting.skippedByAge).toBeGreaterThan(0);
    // Its busiest step, from the series: under 90% of the bound.
    const steps = c.series.recordsProcessed.slice(Math.floor(r.warmupUs / r.resolutionUs));
    expect(Math.max(...steps) / (r.resolutionUs / 1e6)).toBeLessThan(0.9 * 4_000);
    expect(v.atBound).toBe(false);
    expect(v.bottleneck).toBe("function errors");
    const explanation = verdictOfReport(r).consumers[0]!.explanation;
    expect(explanation).not.toContain("ran at its function's bound");
    expect(explanation).toContain(`; ${c.accounting.skippedByAge!.toLocaleString("en-US")} records behind them were older than the maximum record age and skipped (whole run);`);
  });

  it("skips none without the failing record (the counterfactual: the skips come from the retried batches)", () => {
    expect(run(0).r.consumers[0]!.accounting.skippedByAge ?? 0).toBe(0);
  });

  // One shard takes 950 records/s of 200 B, three take 100; batches of 100 at 10 ms + 1.5 ms a record: 625 records/s a
  // shard at most. The hot shard's records age out at its share of the bound whether or not a few invocations fail.
  const hot = (share: number) =>
    verdictOf({
      seed: 5,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 4 },
      producers: perShard([950, 100, 100, 100], "200B"),
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "LATEST",
          batchSize: 100,
          maximumRecordAge: "60s",
          function: { duration: { perInvocation: "10ms", perRecord: "1.5ms", variability: 0 }, errors: { share } },
        },
      ],
    });

  it("a hot shard at its share of the bound: function duration, with or without a few failures", () => {
    for (const share of [0, 0.0005]) {
      const { r, v } = hot(share);
      expect(r.consumers[0]!.accounting.skippedByAge).toBeGreaterThan(0);
      if (share > 0) expect(r.consumers[0]!.lambda!.errors).toBeGreaterThan(0);
      expect(v.bottleneck).toBe("function duration");
    }
  });
});

/** One producer a shard, each writing `rate` records a second of `size` to its shard by an explicit hash key. */
function perShard(rates: number[], size: string) {
  const space = 1n << 128n;
  return rates.map((rate, i) => ({
    name: `p${i}`,
    client: "sdk",
    rate: { shape: "constant", value: `${rate}/s` },
    recordSize: { dist: "fixed", size },
    partitionKey: { kind: "explicit", hashKeys: [((space / BigInt(rates.length)) * BigInt(i) + 1n).toString()] },
  }));
}

describe("a KCL application whose busy shards are few (helper-31's cases)", () => {
  // Two shards at 800 and 250 records/s of 200 B; 0.05 ms a record; a roomy DynamoDB table at 40 ms a request. The
  // busy shard's processor waits on flushes nearly all the time, the other's little: the sink holds it back.
  const sunk = (latency: number) =>
    verdictOf({
      seed: 3,
      duration: "12m",
      warmup: "1m",
      stream: { name: "s", shards: 2 },
      producers: perShard([800, 250], "200B"),
      consumers: [
        {
          name: "a",
          kind: "kcl",
          workers: 1,
          processing: { perRecord: "0.05ms" },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "lognormal", median: `${latency}ms`, p99: `${latency * 1.2}ms` } },
        },
      ],
    });

  it("one busy shard of two, held by a slow sink: 'sink'; a 10 ms table keeps up", () => {
    const { v } = sunk(40);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    const fast = sunk(10).v;
    expect(fast.bottleneck).toBe("none");
    expect(fast.processedPerSecond).toBeGreaterThan(1.5 * v.processedPerSecond);
  });

  // Four shards at 1,100 records/s; one worker processing one batch at a time (concurrency 1) at 1 ms a record: at
  // most 1,000 records/s for all four shards. Two other applications polling every 200 ms have its calls refused.
  const slots = (perRecord: string) =>
    verdictOf({
      seed: 3,
      duration: "12m",
      warmup: "1m",
      stream: { name: "s", shards: 4 },
      producers: perShard([1100, 1100, 1100, 1100], "100B"),
      consumers: [
        { name: "a", kind: "kcl", workers: 1, poll: { maxRecords: 1000, interval: "1s" }, processing: { perRecord, concurrency: 1 } },
        { name: "o0", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
        { name: "o1", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
      ],
    });

  it("concurrency 1 for four shards: 'processing' at 1 ÷ perRecord, though its calls were refused; at 0.5 ms it doubles", () => {
    const { v } = slots("1ms");
    expect(v.readThrottledPercent).toBeGreaterThan(1);
    expect(v.processedPerSecond).toBeGreaterThan(0.98 * 1_000);
    expect(v.processedPerSecond).toBeLessThan(1.01 * 1_000);
    expect(v.processingBound).toBeCloseTo(1_000, 6);
    expect(v.bottleneck).toBe("processing");
    expect(slots("0.5ms").v.processedPerSecond).toBeGreaterThan(1.9 * v.processedPerSecond);
  });
});
