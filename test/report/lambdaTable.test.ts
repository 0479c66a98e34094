// The Lambda functions table of a quiet function: a batching window of 40 s on two shards invokes it about once every
// 20 s, and each figure must still be true of the run (helper-57's 13): its invocations a second not "0.0", and its
// duration percentiles never above its maximum (HDR reads a percentile as the highest value of its bucket).
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { formatDuration } from "../../src/report/format.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

describe("a Lambda function invoked once a batching window", () => {
  // 50 records/s over 2 shards, 25 a shard: a 40 s window gathers 1,000 records, under BatchSize 10,000, so each shard's
  // lane invokes the function once every 40 s: 2 ÷ 40 s = 0.05 invocations a second, about 13 after a 1-minute warmup of
  // a 6-minute run (300 s × 0.05 = 15, less the windows under way at the end).
  const r = simulateScenario(
    scenarioOf({
      seed: 5,
      duration: "6m",
      warmup: "1m",
      stream: { name: "s", shards: 2 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "poisson", value: "50/s" }, recordSize: { dist: "fixed", size: "300B" } }],
      consumers: [{ name: "fn", kind: "lambda", startingPosition: "LATEST", batchSize: 10000, batchingWindow: "40s" }],
    }),
  );
  const l = r.consumers[0]!.lambda!;
  const row = buildReportMarkdown(r, { scenarioFile: "t.yaml", scenarioSha256: "0" })
    .split("\n")
    .find((x) => x.startsWith("| fn | 10,000 (40 s) "))!
    .split(" | ");

  it("reads its invocations a second as about 0.05, not 0.0", () => {
    expect(l.invocations).toBeGreaterThanOrEqual(12);
    expect(l.invocations).toBeLessThanOrEqual(15);
    expect(row[5]).toBe(String(+(l.invocations / 300).toPrecision(2)));
    expect(Number(row[5])).toBeGreaterThanOrEqual(0.04);
    expect(Number(row[5])).toBeLessThanOrEqual(0.05);
  });

  it("never reads a duration percentile above the maximum: with about 13 invocations the p99 is the slowest, the max", () => {
    expect(l.duration.p99).toBeLessThanOrEqual(l.duration.max);
    expect(l.duration.p99).toBe(l.duration.max);
    const [p50, p99, max] = row[8]!.split(" / ");
    expect(p99).toBe(max);
    expect(p50).toBe(formatDuration(l.duration.p50));
  });
});
