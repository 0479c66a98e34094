// Which limit a KCL or Lambda consumer that falls behind is held back by, when several are near: each case is built
// so that one limit is the tighter by its closed form, and the verdict must name that one (not the read limits its
// backlog's reads run into, not a limit counted in the wrong records).
import { describe, expect, it } from "vitest";
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
  // processing could do 105/s (the fetch binds); at 11 ms, 90.9/s (processing binds, its processors busy all the time).
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
  // 2 × 833 = 1,666 records/s. Its processors are busy all the time; its reads, refused now and then as it reads its
  // backlog in large calls, are not what holds it back. The closed parents are not processors.
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
    expect(v.processors!.processing).toBeGreaterThan(0.9);
  });
});

describe("a Lambda consumer that skips records for their age, under its function's bound", () => {
  // 4 shards at 2,000 records/s; 20-record batches of 10 ms + 0.5 ms a record: at most 4 × 20 ÷ 20 ms = 4,000 records/s,
  // twice what is offered. A record in 500,000 fails its batch; retried, the batch holds its shard until the records
  // behind it pass the 60 s maximum age. Failed invocations are far under 1%: the failing batches, not the duration.
  it("is held back by its function's errors, and never said to run at its bound", () => {
    const { r, v } = verdictOf({
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
          function: { duration: { perInvocation: "10ms", perRecord: "0.5ms", variability: 0 }, errors: { poisonRecords: 2e-6 } },
        },
      ],
    });
    const fn = r.consumers[0]!.lambda!;
    expect(fn.throughputBound).toBeCloseTo(4_000, 6);
    expect(fn.errors).toBeGreaterThan(0);
    expect(fn.errors).toBeLessThan(0.01 * fn.invocations);
    expect(r.consumers[0]!.accounting.skippedByAge).toBeGreaterThan(0);
    expect(v.atBound).toBe(false);
    expect(v.bottleneck).toBe("function errors");
  });
});

describe("a KCL application that waits on its sink more than half the time but is starved by its reads", () => {
  // One shard of 900 records/s of 1,000 B read by three KCL applications every 200 ms: 2.6 MiB/s asked of a 2 MiB/s
  // shard, nearly every call refused. Application a emits to a roomy DynamoDB table at 12 ms a request: its processors
  // wait for flushes over half the time, but are idle much of the rest, waiting for records.
  const run = (latency: number) =>
    verdictOf({
      seed: 3,
      duration: "15m",
      warmup: "1m",
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: "900/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
      consumers: [
        {
          name: "a",
          kind: "kcl",
          workers: 1,
          poll: { interval: "200ms" },
          sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "lognormal", median: `${latency}ms`, p99: `${latency * 1.2}ms` } },
        },
        { name: "b", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
        { name: "c", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
      ],
    });

  it("is held back by the shard's read limits, not by its sink", () => {
    const { r, v } = run(12);
    expect(r.sinks[0]!.afterWarmup.waitShare).toBeGreaterThan(0.5);
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(90);
    expect(v.bottleneck).toBe("shard read bytes");
  });

  it("a faster table does not make it process more (the counterfactual)", () => {
    expect(run(8).v.processedPerSecond).toBeLessThan(1.05 * run(12).v.processedPerSecond);
  });
});
