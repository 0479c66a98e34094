// An OpenSearch sink's "capacity used" is the share of time its domain is busy with a bulk request — one at a time for
// every writer, each taking its request latency plus its bytes at the domain's throughput — not its bytes ÷ the
// throughput alone, which reads 0% beside a domain busy all the time with requests that are mostly latency.
//
// A Lambda consumer, records of 500 B, batches of 100 (a bulk request of 50,000 B), no variability. By hand:
// A. 4 shards of 50 records/s, 20 ms of compute, bulk requests of 1 s + 50,000 B at 1 GiB/s (46.6 µs) = 1.0000466 s:
//    the domain lets through 100 ÷ 1.0000466 s = 99.995 records/s (lambdaSinkSharedWrites.test C), and the verdict names
//    the sink. Its 4 lanes keep it busy: 100 records/s ÷ 100 a request = 1 request a second × 1.0000466 s = 100%.
//    Before: 99.995 records/s × 500 B ÷ 1 GiB/s = 0.0047%, "it used 0% of its capacity" beside "held back by its sink".
// B. 1 shard, 1 s of compute, the same requests: the one lane computes 1 s then writes 1.0000466 s, so the domain is busy
//    1.0000466 ÷ 2.0000466 = 50.001% of the time (before: 50 records/s × 500 B ÷ 1 GiB/s = 0.0023%).
// C. 4 shards, 20 ms of compute, bulk requests of 100 ms + 50,000 B at 100 KiB/s (0.48828 s) = 0.58828 s: at most
//    100 ÷ 0.58828 = 170.0 records/s, 1.7 requests a second × 0.58828 s = 100% (before, bytes alone: 170.0 × 500 B ÷
//    102,400 B/s = 83.0%).
// Each share is also checked against the run's own requests: those done after warmup, each its 1.0000466 s (or 0.58828 s),
// over the 240 s after warmup, less at most one request's time (the first may have begun before warmup).
//
// Firehose's own OpenSearch delivery has no "capacity used" figure; its bulk requests already take latency + bytes ÷
// throughput (destinations.ts OpenSearchDestination.serve), which sets its delivery latency. D checks that it stays so
// (it passes before and after this change, by design): Direct PUT 200 records/s of 1 KiB (200 KiB/s), buffer 1 MiB /
// 60 s, a domain of 2 s a request at 1 GiB/s: a flush by size every 1 MiB ÷ 200 KiB/s = 5.12 s, its oldest record then
// waiting 5.12 s + 2 s + 1 MiB ÷ 1 GiB/s (0.98 ms) = 7.121 s (+ the producer's put) before delivery.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

function run(o: { shards: number; compute: string; latency: string; throughput: string }): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: "5m",
      warmup: "1m",
      stream: { shards: o.shards },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "30s", duration: { perInvocation: o.compute, perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: { kind: "opensearch", requestLatency: { dist: "fixed", value: o.latency }, throughput: o.throughput },
        },
      ],
    }),
  );
}

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };
const statSeconds = 240;

/**
 * The busy share the run's own bulk requests make: each `requestS` (the model's virtual time rounds it to the µs: at most
 * 1 µs more), less at most one (begun before warmup).
 */
function expectBusyOf(r: RunResult, requestS: number): void {
  const a = r.sinks[0]!.afterWarmup;
  expect(a.requests).toBe(a.flushes);
  expect(a.utilisation!).toBeLessThanOrEqual((a.requests * (requestS + 1e-6)) / statSeconds);
  expect(a.utilisation!).toBeGreaterThanOrEqual(((a.requests - 1) * requestS) / statSeconds - 1e-9);
}

describe("A. a latency-bound domain named the limit: 4 lanes, one bulk request of 1 s at a time", () => {
  const r = run({ shards: 4, compute: "20ms", latency: "1s", throughput: "1GiB/s" });
  const request = 1 + 50_000 / 2 ** 30;
  const a = r.sinks[0]!.afterWarmup;

  it("is the sink's bound: 100 ÷ 1.0000466 s = 99.995 records/s, the verdict naming the sink", () => {
    expect(r.consumers[0]!.lambda!.throughputBound).toBeCloseTo(100 / request, 6);
    expect(judge(r).consumers[0]!.bottleneck).toBe("sink");
  });

  it("used about 100% of its capacity (1 request a second × 1.0000466 s), not 0.0047%", () => {
    expect(a.utilisation!).toBeGreaterThan(0.99);
    expectBusyOf(r, request);
  });

  it("the verdict, the sink's sentence and report.md's table say so", () => {
    const text = verdictOf(r).consumers[0]!.explanation;
    expect(text).toContain("its domain indexes one bulk request at a time for all 4 of its lanes");
    expect(text).toContain("it used 100% of its capacity");
    const md = buildReportMarkdown(r, provenance, verdictOf(r));
    expect(md).toContain("Amazon OpenSearch Service (a bulk request per flush, 1 GiB/s)");
    expect(md).toContain("using 100% of its capacity");
    expect(md).toMatch(/\| f \| Amazon OpenSearch Service[^\n]*\| 99\.\d% \|/);
  });
});

describe("B. one lane computing 1 s, then writing 1.0000466 s", () => {
  const r = run({ shards: 1, compute: "1s", latency: "1s", throughput: "1GiB/s" });

  it("keeps the domain busy half the time: 1.0000466 ÷ 2.0000466 = 50.001% (not 0.0023%)", () => {
    const request = 1 + 50_000 / 2 ** 30;
    expect(r.sinks[0]!.afterWarmup.utilisation!).toBeCloseTo(request / (1 + request), 3);
    expectBusyOf(r, request);
  });
});

describe("C. a request's latency counts on top of its bytes: 100 ms + 50,000 B at 100 KiB/s", () => {
  const r = run({ shards: 4, compute: "20ms", latency: "100ms", throughput: "100KiB/s" });
  const request = 0.1 + 50_000 / 102_400;

  it("runs at its bound, 100 ÷ 0.58828 s = 170.0 records/s, busy about 100% (bytes alone: 83.0%)", () => {
    expect(r.consumers[0]!.lambda!.throughputBound).toBeCloseTo(100 / request, 6);
    expect(r.sinks[0]!.afterWarmup.utilisation!).toBeGreaterThan(0.99);
    expectBusyOf(r, request);
  });
});

describe("D. Firehose's own OpenSearch delivery keeps counting a request's latency (unchanged)", () => {
  it("a record waits a buffer's filling (5.12 s) and a bulk request (2 s + 0.98 ms): delivery latency at most about 7.12 s", () => {
    const r = simulateScenario(
      scenarioOf({
        duration: "10m",
        warmup: "1m",
        producers: [
          { name: "p", client: "sdk", deliveryStream: "archive", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } },
        ],
        firehose: [
          { name: "archive", source: "direct-put", buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "opensearch", throughput: "1GiB/s", requestLatency: { dist: "fixed", value: "2s" } } },
        ],
      }),
    );
    const f = r.firehose[0]!;
    // Flushes by size, one bulk request each (540 s ÷ 5.12 s = 105.5 after warmup).
    expect(f.flushes.interval).toBe(0);
    expect(Math.abs(f.objects.count - 540 / 5.12)).toBeLessThanOrEqual(1);
    const byHand = 5.12 + 2 + 2 ** 20 / 2 ** 30;
    expect(f.deliveryLatency.max / 1e6).toBeGreaterThan(byHand);
    expect(f.deliveryLatency.max / 1e6).toBeLessThan(byHand + 0.2);
  });
});
