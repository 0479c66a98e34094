// A Lambda consumer (kind: lambda) against the documented rules and closed forms: GetRecords once a second per
// shard sharing the shard's 5 calls/s (Lambda developer guide, "Using Lambda with Kinesis"); the throughput bound
// shards × concurrent batches × BatchSize ÷ duration; retries, bisection and the on-failure destination counted
// invocation by invocation; the maximum record age bounding Lambda's IteratorAge; the concurrency limit; the bill
// at the documented prices ($0.20 per million requests, $0.0000166667 per GB-second).
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import type { ConsumerResult, RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { ScenarioSchema } from "../../src/spec/index.js";
import { scenarioOf } from "./scenarioOf.js";

const run = (input: Record<string, unknown>): RunResult => simulateScenario(scenarioOf(input));

/** A producer of `rate` records a second of 500 B with random keys. */
const writes = (rate: number) => ({ name: "p", client: "sdk", instances: 2, rate: { shape: "poisson", value: `${rate}/s` }, recordSize: { dist: "fixed", size: "500B" } });

/** A Lambda consumer with a fixed duration (no variability, no cold start) and a fixed 20 ms GetRecords. */
function fn(name: string, extra: Record<string, unknown> = {}, fnExtra: Record<string, unknown> = {}) {
  return {
    name,
    kind: "lambda",
    startingPosition: "TRIM_HORIZON",
    poll: { latency: { dist: "fixed", value: "20ms" } },
    ...extra,
    function: { duration: { perInvocation: "40ms", perRecord: "1.6ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } }, ...fnExtra },
  };
}

const lambdaOf = (c: ConsumerResult) => c.lambda!;
const processedPerSecond = (r: RunResult, i = 0) => judge(r).consumers[i]!.processedPerSecond;

describe("a Lambda consumer's throughput: shards × concurrent batches × BatchSize ÷ duration", () => {
  const base = { duration: "5m", warmup: "30s", stream: { shards: 2 }, producers: [writes(1_500)] };

  it("2 shards, 1 batch at a time, 100 records in 200 ms: at most 1,000 records/s, so 1,500/s offered falls behind", () => {
    const r = run({ ...base, consumers: [fn("f")] });
    const c = r.consumers[0]!;
    // 40 ms + 100 × 1.6 ms = 200 ms a batch; 2 × 1 × 100 / 0.2 s = 1,000 records/s.
    expect(lambdaOf(c).throughputBound).toBeCloseTo(1_000, 6);
    expect(Math.abs(processedPerSecond(r) - 1_000) / 1_000).toBeLessThan(0.03);
    expect(judge(r).consumers[0]!.bottleneck).toBe("function duration");
    expect(c.accounting.balanced).toBe(true);
  });

  it("the same beside a KCL application polling every 200 ms: its reads are throttled too, but the function's 1,000 records/s is what holds it back", () => {
    const r = run({ ...base, consumers: [fn("f"), { name: "k", kind: "kcl", workers: 1, poll: { interval: "200ms" } }] });
    const v = judge(r).consumers[0]!;
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(1);
    expect(Math.abs(v.processedPerSecond - 1_000) / 1_000).toBeLessThan(0.03);
    // Before the function's bound came ahead of the read limits, this was 'shard read bytes'.
    expect(v.bottleneck).toBe("function duration");
  });

  it("a parallelization factor of 2 doubles the bound to 2,000/s: the same function keeps up with 1,500/s", () => {
    const r = run({ ...base, consumers: [fn("f", { parallelization: 2 })] });
    expect(lambdaOf(r.consumers[0]!).throughputBound).toBeCloseTo(2_000, 6);
    expect(lambdaOf(r.consumers[0]!).concurrentBatchesPerShard).toBe(2);
    expect(Math.abs(processedPerSecond(r) - 1_500) / 1_500).toBeLessThan(0.03);
    expect(judge(r).consumers[0]!.bottleneck).toBe("none");
  });

  it("factor 2 with reserved concurrency 3: 3 batches at once, not 4, so at most 1,500/s, under the 1,800/s offered (helper-57's 8)", async () => {
    // 2 shards × 2 lanes want 4 invocations at once; the function runs 3: 3 × 100 / 0.2 s = 1,500 records/s.
    const r = run({ ...base, producers: [writes(1_800)], consumers: [fn("f", { parallelization: 2 }, { concurrency: { reserved: 3 } })] });
    const l = lambdaOf(r.consumers[0]!);
    expect(l.boundBatches).toBe(3);
    expect(l.throughputBound).toBeCloseTo(1_500, 6);
    // It processes about that (a throttled invocation waits before its retry, so a little less), far under 2,000.
    expect(processedPerSecond(r)).toBeLessThan(1_500);
    expect(processedPerSecond(r)).toBeGreaterThan(0.8 * 1_500);
    const { buildReportMarkdown } = await import("../../src/report/markdown.js");
    const row = buildReportMarkdown(r, { scenarioFile: "t.yaml", scenarioSha256: "0" })
      .split("\n")
      .find((x) => x.startsWith("| f | 100 "))!;
    expect(row).toMatch(/\| 1,500 records\/s \(processed 1,\d{3}\/s\) \|$/);
  });

  it("one partition key per shard (KPL aggregates sharing a key) cannot parallelise: factor 10 still runs 1 batch a shard", () => {
    const r = run({ ...base, consumers: [fn("f", { parallelization: 10, partitionKeysPerShard: 1 })] });
    expect(lambdaOf(r.consumers[0]!).concurrentBatchesPerShard).toBe(1);
    expect(Math.abs(processedPerSecond(r) - 1_000) / 1_000).toBeLessThan(0.03);
  });
});

describe("polling: GetRecords once a second per shard, sharing the shard's 5 calls/s", () => {
  it("caught up, each shard is called once per poll interval plus the call: 1 / 1.02 s with a fixed 20 ms GetRecords", () => {
    const r = run({ duration: "5m", warmup: "30s", stream: { shards: 3 }, producers: [writes(300)], consumers: [fn("f")] });
    const c = r.consumers[0]!;
    const expected = (3 * 270) / 1.02;
    expect(Math.abs(c.getRecordsCalls - expected) / expected).toBeLessThan(0.01);
    expect(c.readThrottles).toBe(0);
  });

  it("five functions fit the 5 calls/s of a shard; a sixth makes them throttle each other", () => {
    const of = (n: number) => run({ duration: "3m", warmup: "30s", stream: { shards: 1 }, producers: [writes(100)], consumers: Array.from({ length: n }, (_, i) => fn(`f${i}`)) });
    const five = of(5);
    expect(five.consumers.reduce((a, c) => a + c.readThrottles, 0)).toBe(0);
    const six = of(6);
    const throttled = six.consumers.reduce((a, c) => a + c.readThrottles, 0);
    const calls = six.consumers.reduce((a, c) => a + c.getRecordsCalls, 0);
    expect(throttled).toBeGreaterThan(0);
    // Six at 1/1.02 calls/s ask for 5.88 of the shard's 5: at least the excess is refused.
    expect(calls - throttled).toBeLessThanOrEqual(5 * 150 + 5);
  });

  it("an enhanced fan-out mapping makes no GetRecords calls: it subscribes (again every 5 minutes)", () => {
    const r = run({ duration: "6m", warmup: "30s", stream: { shards: 2 }, producers: [writes(200)], consumers: [fn("f", { reader: "fanout" })] });
    const c = r.consumers[0]!;
    expect(c.getRecordsCalls).toBe(0);
    expect(c.subscribeCalls).toBeGreaterThan(0);
    expect(c.accounting.processed).toBeGreaterThan(0);
    expect(r.cost.items.some((i) => i.item.startsWith("enhanced fan-out"))).toBe(true);
  });
});

describe("failed batches: retries, bisection and the on-failure destination", () => {
  // Full batches only (8 records: the batching window never passes), every invocation failing.
  const failing = (extra: Record<string, unknown>) =>
    run({
      duration: "2m",
      stream: { shards: 1 },
      producers: [writes(4)],
      consumers: [fn("f", { batchSize: 8, batchingWindow: "300s", retryDelay: "0s", ...extra }, { duration: { perInvocation: "10ms", perRecord: "0ms", variability: 0 }, errors: { share: 1 } })],
    });

  it("bisecting a failing batch of n records with r retries takes n(2 + r) − 1 invocations, then every record goes to the destination", () => {
    const r = failing({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, onFailure: { destination: "sqs" } });
    const c = r.consumers[0]!;
    const l = lambdaOf(c);
    const batches = c.accounting.toDestination! / 8;
    expect(Number.isInteger(batches)).toBe(true);
    expect(batches).toBeGreaterThan(20);
    // n − 1 splits, and each of the n single records is tried 1 + r times: 8 × 3 − 1 = 23 per batch (the last batch may be under way).
    expect(l.invocations - 23 * batches).toBeGreaterThanOrEqual(0);
    expect(l.invocations - 23 * batches).toBeLessThan(23);
    expect(l.errors).toBe(l.invocations);
    expect(c.accounting.processed).toBe(0);
    expect(c.accounting.discarded).toBe(0);
    expect(c.accounting.accepted).toBe(c.accounting.toDestination! + c.accounting.unread);
    expect(judge(r).consumers[0]!.bottleneck).toBe("function errors");
  });

  it("without bisection a failing batch is tried 1 + MaximumRetryAttempts times; with no destination its records are lost, and counted", () => {
    const r = failing({ maximumRetryAttempts: 2 });
    const c = r.consumers[0]!;
    const batches = c.accounting.discarded! / 8;
    expect(Number.isInteger(batches)).toBe(true);
    expect(lambdaOf(c).invocations - 3 * batches).toBeGreaterThanOrEqual(0);
    expect(lambdaOf(c).invocations - 3 * batches).toBeLessThan(3);
    expect(c.accounting.toDestination).toBe(0);
    // Lost: discarded records count in the consumer's losses.
    expect(judge(r).consumers[0]!.lostPercent).toBeCloseTo((100 * c.accounting.discarded!) / c.accounting.accepted, 9);
  });
});

describe("maximum record age and the concurrency limit", () => {
  it("records older than MaximumRecordAge are skipped, so Lambda's IteratorAge never passes it", () => {
    const r = run({ duration: "6m", warmup: "30s", stream: { shards: 2 }, producers: [writes(1_500)], consumers: [fn("f", { maximumRecordAge: "60s" })] });
    const c = r.consumers[0]!;
    expect(c.accounting.skippedByAge!).toBeGreaterThan(0);
    expect(c.maxIteratorAge).toBeLessThanOrEqual(60_000_000);
    expect(c.accounting.balanced).toBe(true);
    expect(judge(r).consumers[0]!.bottleneck).toBe("function duration");
  });

  it("a reserved concurrency of 2 on 4 shards: at most 2 executions at once, the rest throttled, and the verdict names the function's concurrency", () => {
    const r = run({ duration: "3m", warmup: "30s", stream: { shards: 4 }, producers: [writes(800)], consumers: [fn("f", {}, { concurrency: { reserved: 2 } })] });
    const l = lambdaOf(r.consumers[0]!);
    expect(l.concurrencyLimit).toBe(2);
    expect(l.maxConcurrentExecutions).toBe(2);
    expect(l.throttles).toBeGreaterThan(0);
    expect(Math.max(...l.series.concurrentExecutions)).toBe(2);
    expect(judge(r).consumers[0]!.bottleneck).toBe("function concurrency");
  });
});

describe("an error burst (function-errors fault)", () => {
  it("with the default infinite retries the burst delays records but loses none, and the fault reports its failed invocations", () => {
    const r = run({
      duration: "4m",
      warmup: "30s",
      stream: { shards: 2 },
      producers: [writes(200)],
      consumers: [fn("f")],
      faults: [{ at: "1m", kind: "function-errors", consumer: "f", for: "20s", share: 1 }],
    });
    const c = r.consumers[0]!;
    expect(c.accounting.toDestination! + c.accounting.discarded! + c.accounting.skippedByAge!).toBe(0);
    expect(lambdaOf(c).errors).toBeGreaterThan(0);
    const f = r.faults[0]!;
    expect(f.effect?.kind).toBe("errors");
    if (f.effect?.kind === "errors") {
      expect(f.effect.errors).toBe(lambdaOf(c).errors);
      expect(f.effect.visible).toBe(true);
      if (!f.effect.visible) return;
      expect(f.effect.maxUs).toBeGreaterThan(20_000_000);
      expect(f.effect.recoveredAtUs).not.toBeNull();
    }
  });
});

describe("the bill: requests and GB-seconds at Lambda's prices", () => {
  it("full batches of 8 in 18 ms at 1,024 MiB: $0.20 per million requests and 0.018 GB-s each at $0.0000166667", () => {
    const r = run({
      duration: "3m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [writes(40)],
      consumers: [fn("f", { batchSize: 8, batchingWindow: "300s" }, { memory: "1024MiB", duration: { perInvocation: "10ms", perRecord: "1ms", variability: 0 } })],
    });
    const l = lambdaOf(r.consumers[0]!);
    const month = 730 * 3_600;
    const perSecond = l.invocations / 150;
    const requests = r.cost.items.find((i) => i.item === "Lambda f: requests")!.usd;
    const gbs = r.cost.items.find((i) => i.item === "Lambda f: duration (GB-seconds)")!.usd;
    expect(requests).toBeCloseTo(((perSecond * month) / 1e6) * 0.2, 6);
    expect(gbs).toBeCloseTo(perSecond * 0.018 * 1 * month * 0.0000166667, 6);
    expect(l.billedDurationUs).toBe(l.invocations * 18_000);
  });
});

describe("scenario checks", () => {
  const parse = (consumer: Record<string, unknown>, faults: unknown[] = []) =>
    ScenarioSchema.safeParse({ name: "t", duration: "1m", stream: { shards: 1 }, producers: [writes(1)], consumers: [{ name: "f", kind: "lambda", startingPosition: "LATEST", ...consumer }], faults });
  const message = (p: ReturnType<typeof parse>) => (p.success ? "" : p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));

  it.each([
    [{ batchSize: 10_001 }, "batchSize"],
    [{ batchSize: 0 }, "batchSize"],
    [{ parallelization: 11 }, "parallelization"],
    [{ batchingWindow: "301s" }, "batchingWindow"],
    [{ maximumRetryAttempts: -2 }, "maximumRetryAttempts"],
    [{ maximumRecordAge: "30s" }, "maximumRecordAge"],
    [{ tumblingWindow: "901s" }, "tumblingWindow"],
  ])("%j is refused, naming the field", (consumer, field) => {
    const p = parse(consumer);
    expect(p.success).toBe(false);
    expect(message(p)).toContain(field);
  });

  it("the defaults are CreateEventSourceMapping's: BatchSize 100, no window, factor 1, infinite retries and age, no bisect", () => {
    const p = parse({});
    expect(p.success).toBe(true);
    const c = p.data!.consumers[0]!;
    expect(c).toMatchObject({ batchSize: 100, batchingWindow: 0, parallelization: 1, maximumRetryAttempts: -1, maximumRecordAge: -1, bisectBatchOnFunctionError: false, tumblingWindow: 0 });
  });

  it("StartingPosition is required, as the API requires it", () => {
    const p = ScenarioSchema.safeParse({ name: "t", duration: "1m", stream: { shards: 1 }, producers: [writes(1)], consumers: [{ name: "f", kind: "lambda" }] });
    expect(message(p)).toContain("startingPosition");
  });

  it("a worker crash of a Lambda consumer, and a function-errors fault of a KCL application, are refused", () => {
    expect(message(parse({}, [{ at: "10s", kind: "worker-crash", consumer: "f" }]))).toContain("function-errors");
    const kcl = ScenarioSchema.safeParse({ name: "t", duration: "1m", stream: { shards: 1 }, producers: [writes(1)], consumers: [{ name: "k", kind: "kcl" }], faults: [{ at: "10s", kind: "function-errors", consumer: "k", for: "5s", share: 1 }] });
    expect(message(kcl)).toContain("kind: lambda");
  });
});

describe("a Lambda consumer writing to a sink: each invocation writes its batch before it returns", () => {
  // 400 records/s of 500 B (1 WCU an item) on 2 shards; the function alone could take 2 × 100 / 0.2 s = 1,000/s. A
  // DynamoDB table of 200 WCU (1 s of burst) takes 200 items a second, so the function's batches wait for their
  // writes and the consumer processes what the table takes: 200 records/s, and falls behind.
  const base = { duration: "5m", warmup: "30s", stream: { shards: 2 }, producers: [writes(400)] };
  // The function's own SDK retries its unprocessed items quickly (every 50 ms, without limit), not the Connector
  // Library's 3 tries 10 s apart: set as the sink's retry.
  const table = (write: number) => ({
    kind: "dynamodb",
    table: { capacity: "provisioned", write, burst: "1s" },
    itemsPerRequest: 25,
    requestLatency: { dist: "fixed", value: "5ms" },
    retry: { limit: 1_000_000, backoff: "50ms" },
  });

  it("a 200-WCU table bounds it at 200 records/s, and the verdict names the sink", () => {
    const r = run({ ...base, consumers: [fn("f", { sink: table(200) })] });
    const seconds = (r.durationUs - r.warmupUs) / 1e6;
    const sk = r.sinks.find((x) => x.consumer === "f")!;
    expect(sk.afterWarmup.written / seconds).toBeGreaterThan(190);
    expect(sk.afterWarmup.written / seconds).toBeLessThan(210);
    expect(processedPerSecond(r)).toBeLessThan(215);
    expect(judge(r).consumers[0]!.bottleneck).toBe("sink");
    expect(r.accounting.balanced).toBe(true);
  });

  it("a 2,000-WCU table keeps up: all 400 records/s written, no bottleneck", () => {
    const r = run({ ...base, consumers: [fn("f", { sink: table(2_000) })] });
    const seconds = (r.durationUs - r.warmupUs) / 1e6;
    const sk = r.sinks.find((x) => x.consumer === "f")!;
    expect(sk.afterWarmup.written / seconds).toBeGreaterThan(380);
    expect(sk.afterWarmup.written / seconds).toBeLessThan(420);
    expect(judge(r).consumers[0]!.bottleneck).toBe("none");
    // One flush per invocation: the batch is the flush.
    expect(sk.afterWarmup.flushes).toBeGreaterThan(0);
  });
});
