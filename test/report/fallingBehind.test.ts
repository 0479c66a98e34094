// Falling further behind: the oldest unprocessed record's age in the last quarter after warmup is over a minute and
// twice the first quarter's, or over the first quarter's while the consumer processes under 98% of what arrives in the
// last half (its backlog grows). The second finds a consumer that started behind and never catches up, whose age grows
// less than twofold (helper-38's repro k1a: a KCL application that processes nothing until its lease is assigned).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/** 10 minutes of one shard of 500 records/s of 200 B, read by one KCL worker polling every 500 ms: the run and its verdict. */
const oneShard = (perRecord: string, poll: Record<string, unknown> = {}) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 1,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random" } }],
      consumers: [{ name: "c", kind: "kcl", workers: 1, processing: { perRecord }, checkpoint: { every: "10s" }, poll: { interval: "500ms", ...poll } }],
    }),
  );
  return { r, v: verdictOf(r).consumers[0]! };
};

describe("a KCL application slower than its shard from the start", () => {
  // One shard of 500 records/s. One worker processes 2.2 ms a record, a call's 1,000 records at a time: at most
  // 1,000 ÷ 2.2 s = 455 records/s, so the backlog grows about 45 records a second from the start on.
  const run = (perRecord: string) => oneShard(perRecord, { maxRecords: 1000 });

  it("falls further behind, held back by processing, though its age grows less than twofold", () => {
    const { r, v } = run("2.2ms");
    const ages = r.consumers[0]!.series.oldestUnprocessedAge.slice(Math.floor(r.warmupUs / r.resolutionUs));
    const q = Math.floor(ages.length / 4);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const early = mean(ages.slice(0, q));
    const late = mean(ages.slice(-q));
    expect(late).toBeGreaterThan(60_000_000);
    expect(late).toBeGreaterThan(early);
    expect(late).toBeLessThan(2 * early);
    expect(v.processedPerSecond).toBeLessThan(0.98 * 500);
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("processing");
    expect(v.processingBound).toBeCloseTo(1000 / 2.2, 6);
  });

  it("with half the processing time it keeps up", () => {
    expect(run("1.1ms").v.fallingBehind).toBe(false);
  });
});

describe("a KCL application slower than its shard, in large slow batches", () => {
  // One shard of 500 records/s; calls of up to 10,000 records (the default), 2.1 ms a record: a full batch takes 21 s,
  // at most 476 records/s. Records count as processed when their batch is done, so a quarter of the run holds one
  // batch more or less than its share (helper-38's k1b: the last quarter processed more than arrived).
  const run = (perRecord: string) => oneShard(perRecord).v;

  it("falls further behind, held back by processing", () => {
    const v = run("2.1ms");
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("processing");
    expect(v.processedPerSecond).toBeLessThan(0.98 * 500);
  });

  it("with half the processing time it keeps up", () => {
    expect(run("1.05ms").fallingBehind).toBe(false);
  });
});
