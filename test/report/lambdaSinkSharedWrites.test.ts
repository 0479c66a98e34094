// A Lambda consumer whose sink serves one write at a time for all its lanes — a Redshift cluster's COPYs (each
// invocation runs its own COPY of its own staged object; COPYs into one table wait for each other's write lock), an
// OpenSearch domain's bulk requests — writes at most a batch's records ÷ that write's time a second, whatever the lanes
// (src/model/sinks/batchWrite.ts oneAtATimeWriteOf). The bound counts it, and the verdict names the sink.
//
// By hand, records of 500 B, batches of 100, no variability:
// A. 4 shards of 50 records/s, 20 ms of compute, a Redshift staging put of 100 ms and a COPY of 1 s: a lane alone takes
//    100 ÷ (0.02 + 0.1 + 1) s = 89.3 records/s, 4 lanes 357.1; but one COPY at a time loads at most 100 records ÷ 1 s =
//    100 records/s. The run processes 100/s of the 200 offered. Before, the bound read 357.1.
// B. 8 shards of 60 records/s, 1.2 s of compute, the staging put of 100 ms and a COPY of 250 ms: the lanes alone 8 × 100 ÷
//    1.55 s = 516.1 records/s, over the 480 offered; the COPYs at most 100 ÷ 0.25 s = 400. The run processes 400/s, its
//    lanes waiting for flushes only 40% of their time (each lane's cycle is 8 COPYs of 250 ms = 2 s, 1.2 s of it compute),
//    under the sink rule's half: before, the judge named the function's duration, at a bound of 516.
// C. OpenSearch, 4 shards, bulk requests of 1 s + 50,000 B at 1 GiB/s (46.6 µs): at most 100 ÷ 1.0000466 s = 99.995
//    records/s, where 4 lanes alone would take 4 × 100 ÷ 1.0200466 s = 392.1.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

function run(o: { shards: number; rate: string; compute: string; duration: string; sink: Record<string, unknown> }): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: o.duration,
      warmup: "1m",
      stream: { shards: o.shards },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: o.rate }, recordSize: { dist: "fixed", size: "500B" }, partitionKey: { kind: "random" } }],
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: 100,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "30s", duration: { perInvocation: o.compute, perRecord: "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: o.sink,
        },
      ],
    }),
  );
}

const redshift = (copy: string) => ({ kind: "redshift", putLatency: { dist: "fixed", value: "100ms" }, copy: { fixed: copy, perMiB: "0ms" } });

describe("A. 4 shards, a Redshift COPY of 1 s a batch of 100: at most 100 records/s, not 4 lanes' 357", () => {
  const r = run({ shards: 4, rate: "200/s", compute: "20ms", duration: "5m", sink: redshift("1s") });
  const l = r.consumers[0]!.lambda!;
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("the bound is 100 ÷ 1 s; the lanes alone 4 × 100 ÷ 1.12 s", () => {
    expect(l.laneThroughput).toBeCloseTo(100 / 1.12, 6);
    expect(l.sinkWriteBound).toEqual({ perSecond: 100, batchUsers: 100, writeUs: 1_000_000, lanesPerSecond: (4 * 100) / 1.12 });
    // Before: 357.1.
    expect(l.throughputBound).toBeCloseTo(100, 6);
  });

  it("the run processes that bound: each COPY loads one batch, one at a time", () => {
    expect(cv.processedPerSecond / 100).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / 100).toBeLessThan(1.01);
    const a = r.sinks[0]!.afterWarmup;
    expect(Math.abs(a.copies - a.flushes)).toBeLessThanOrEqual(1);
  });

  it("the verdict: held back by the sink, one COPY at a time for its 4 lanes", () => {
    expect(cv.fallingBehind).toBe(true);
    expect(cv.bottleneck).toBe("sink");
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain(
      "its cluster runs one COPY at a time for all 4 of its lanes, so it writes at most 100 records/s whatever the lanes (a batch of 100 records ÷ 1 s a COPY), and the function processes 100 records/s, where its lanes alone could process 357 records/s",
    );
  });
});

describe("B. 8 shards whose lanes alone would take 516 records/s, COPYs of 250 ms letting through 400: the sink, not the function's duration", () => {
  const r = run({ shards: 8, rate: "480/s", compute: "1200ms", duration: "10m", sink: redshift("250ms") });
  const l = r.consumers[0]!.lambda!;
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("the bound is 400 records/s (was 516.1)", () => {
    expect(l.sinkWriteBound!.lanesPerSecond).toBeCloseTo((8 * 100) / 1.55, 6);
    expect(l.throughputBound).toBeCloseTo(400, 6);
    expect(cv.processedPerSecond / 400).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / 400).toBeLessThan(1.01);
  });

  it("its lanes wait for flushes 40% of their time, under the sink rule's half, yet the sink is named (was 'function duration')", () => {
    expect(r.sinks[0]!.afterWarmup.waitShare).toBeCloseTo(0.4, 2);
    expect(cv.fallingBehind).toBe(true);
    expect(cv.bottleneck).toBe("sink");
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain("held back by its sink, Amazon Redshift");
    expect(text).toContain("so it writes at most 400 records/s whatever the lanes (a batch of 100 records ÷ 250 ms a COPY), and the function processes 400 records/s, where its lanes alone could process 516 records/s");
  });
});

describe("C. OpenSearch: one bulk request of 1 s at a time for 4 lanes", () => {
  const r = run({ shards: 4, rate: "200/s", compute: "20ms", duration: "5m", sink: { kind: "opensearch", requestLatency: { dist: "fixed", value: "1s" }, throughput: "1GiB/s" } });
  const l = r.consumers[0]!.lambda!;

  it("the bound is 100 ÷ (1 s + 50,000 B at 1 GiB/s) = 99.995 records/s, not 4 lanes' 392.1", () => {
    const write = 1 + 50_000 / 2 ** 30;
    expect(l.throughputBound).toBeCloseTo(100 / write, 6);
    expect(l.sinkWriteBound!.lanesPerSecond).toBeCloseTo((4 * 100) / (0.02 + write), 6);
    expect(judge(r).consumers[0]!.bottleneck).toBe("sink");
  });
});
