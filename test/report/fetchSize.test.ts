// A KCL application whose calls cannot carry a shard's records falls behind for its fetch size, not its processing:
// a GetRecords call returns at most poll.maxRecords records, and the next call comes poll.interval after its response
// (KCL 2.x/3.x: idleTimeBetweenReadsInMillis, 1,500 ms), so a shard is read at most maxRecords ÷ (interval + the call's
// mean round trip) records a second. When processing is slower than that, processing is the bottleneck.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/**
 * The mean GetRecords round trip (s) of the default poll.latency, lognormal with median 20 ms and p99 100 ms: σ = ln(5) ÷
 * z(0.99), mean = median × e^(σ²/2), about 25.4 ms.
 */
const ROUND_TRIP_S = 0.02 * Math.exp((Math.log(5) / 2.3263478740408408) ** 2 / 2);

/** 10 minutes of one shard written at 900 records/s of 100 B, read by `app` (a KCL application with these settings). */
const scenario = (app: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  scenarioOf({
    duration: "10m",
    warmup: "1m",
    stream: { shards: 1 },
    producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: "900/s" }, recordSize: { dist: "fixed", size: "100B" } }],
    consumers: [{ name: "app", kind: "kcl", processing: { perRecord: "0.01ms" }, ...app }],
    ...extra,
  });
const run = (maxRecords: number) => verdictOf(simulateScenario(scenario({ workers: 1, poll: { maxRecords } }))).consumers[0]!;

describe("a KCL application reading 900 records/s from one shard", () => {
  it("with poll.maxRecords 500 can read at most 500 ÷ (1.5 s + 25 ms) = 328 records/s: it falls behind for its fetch size", () => {
    const c = run(500);
    expect(c.fallingBehind).toBe(true);
    expect(c.bottleneck).toBe("fetch size");
    expect(c.fetch!.boundPerSecond).toBeCloseTo(500 / (1.5 + ROUND_TRIP_S), 6);
    expect(c.fetch!.busiestPerSecond).toBeCloseTo(900, 0);
    // It processes what its calls bring: about the bound, far under the 900 arriving (processing takes 10 µs a record).
    expect(c.processedPerSecond).toBeLessThan(1.05 * (500 / (1.5 + ROUND_TRIP_S)));
    expect(c.explanation).toMatch(/^Consumer app falls further behind: each GetRecords call returns at most 500 records, and the next call comes 1\.5 s after its response, about 1,525 ms a round with the call's mean round trip \(poll\.maxRecords, poll\.interval, poll\.latency\), so a shard is read at most 328(\.\d+)? records\/s, while its busiest shard takes 900(\.\d+)? records\/s; /);
  });

  it("with poll.maxRecords 500 but 5 ms a record (200 records/s, under the 328 its calls bring): processing, not the fetch size", () => {
    const c = verdictOf(simulateScenario(scenario({ workers: 1, poll: { maxRecords: 500 }, processing: { perRecord: "5ms", concurrency: 1 } }))).consumers[0]!;
    expect(c.fallingBehind).toBe(true);
    expect(c.processedPerSecond).toBeLessThan(0.9 * (500 / 1.5));
    expect(c.bottleneck).toBe("processing");
  });

  it("with the default 10,000 keeps up", () => {
    const c = run(10_000);
    expect(c.fallingBehind).toBe(false);
    expect(c.bottleneck).toBe("none");
  });
});

describe("a missed end-to-end SLO of that application, with a worker crash as well", () => {
  it("does not blame the crash, whose added lag is far under the minutes the slow records waited in the shard", () => {
    const r = simulateScenario(
      scenario({ kcl: { version: 2 }, workers: 2, poll: { maxRecords: 500 } }, { faults: [{ at: "3m", kind: "worker-crash", consumer: "app", workers: 1 }], slo: { endToEndP99: "1s" } }),
    );
    const v = verdictOf(r);
    const slo = v.slos.find((s) => s.name === "endToEndP99")!;
    const crash = r.faults[0]!;
    expect(crash.effect?.kind).toBe("lag");
    expect(slo.cause).toMatchObject({ kind: "stages", stage: "readWait" });
    const waited = (slo.cause as { stagesUs: { readWait: number } }).stagesUs.readWait;
    // The lag the crash added (its peak over the lag just before it, which the fetch size already made; none when it had no visible effect) is under half of it.
    const e = crash.effect!;
    expect((e.visible ? e.maxUs : e.beforeUs) - e.beforeUs).toBeLessThan(0.5 * waited);
    expect(slo.why).not.toContain("worker crash");
    expect(slo.why).toContain("Consumer app falls further behind: each GetRecords call returns at most 500 records");
  });
});

describe("a shard split while its reader is held to its fetch size", () => {
  // One shard of 600 records/s (random keys) split at 2 min; the application calls every 1 s for at most 100 records, so
  // a shard is read at most 100 records/s. The parent's backlog is never worked off, so its children are never read (the
  // KCL reads a child once its parents are finished): the application processes about 100 records/s, under 90% of the
  // 100 + 2 × 100 its calls could bring from the three shards. Judged on the shard whose records wait longest (the
  // parent, read at its bound while its processor waits for records), the fetch size holds it back.
  const split = (maxRecords: number, perRecord: string) =>
    verdictOf(
      simulateScenario(
        scenarioOf({
          duration: "10m",
          warmup: "1m",
          stream: { name: "s", shards: 1 },
          producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: "600/s" }, recordSize: { dist: "fixed", size: "100B" } }],
          consumers: [{ name: "app", kind: "kcl", workers: 1, poll: { interval: "1s", maxRecords }, processing: { perRecord } }],
          reshards: [{ at: "2m", kind: "split", stream: "s", shard: 0 }],
        }),
      ),
    ).consumers[0]!;

  it("at 0.2 ms a record is held back by its fetch size on the parent, not by processing", () => {
    const c = split(100, "0.2ms");
    expect(c.fallingBehind).toBe(true);
    expect(c.readThrottledPercent).toBe(0);
    // Under 90% of the three shards' fetch bounds: the consumer-wide comparison alone does not find the fetch size.
    expect(c.processedPerSecond).toBeLessThan(0.9 * 3 * 100);
    expect(c.bottleneck).toBe("fetch size");
    expect(c.fetch!.boundPerSecond).toBeCloseTo(100 / (1 + ROUND_TRIP_S), 6);
    expect(c.processor!.shardId).toBe("shardId-000000000000");
    expect(c.processor!.processedPerSecond).toBeGreaterThan(0.9 * 100);
    expect(c.processor!.idle).toBeGreaterThan(0.9);
    expect(c.explanation).toMatch(/; on shardId-000000000000, whose records waited up to [\d.]+ min in the last quarter, its calls brought 9\d records\/s in that quarter, (9\d|100)% of that, and its record processor waited for records 9\d% of it; /);
  });

  it("halving processing does not raise its rate; 10,000 records a call does, and it keeps up", () => {
    const base = split(100, "0.2ms");
    expect(split(100, "0.1ms").processedPerSecond).toBeLessThan(1.05 * base.processedPerSecond);
    const fetch = split(10_000, "0.2ms");
    expect(fetch.fallingBehind).toBe(false);
    expect(fetch.processedPerSecond).toBeGreaterThan(5 * base.processedPerSecond);
  });

  it("at 12 ms a record (83 records/s, under the 100 its calls bring) processing holds the parent back", () => {
    const c = split(100, "12ms");
    expect(c.fallingBehind).toBe(true);
    expect(c.processedPerSecond).toBeLessThan(0.9 * 100);
    expect(c.bottleneck).toBe("processing");
  });
});

describe("a KCL application reading an on-demand stream that split its shards", () => {
  // 2,400 records/s of 200 B on an on-demand stream: four shards of 600 records/s until its scaling splits each in two
  // at 3 min, then eight of 300. One worker reads 150 records a call, the next call 500 ms after the response: about
  // 285 records/s a shard. The parents' backlog is read to its end before their children, which then take about as
  // much as their calls bring.
  const onDemand = (poll: Record<string, unknown>, perRecord: string) =>
    verdictOf(
      simulateScenario(
        scenarioOf({
          seed: 1,
          duration: "10m",
          warmup: "1m",
          stream: { name: "s", mode: "on-demand", onDemand: { scaleDelay: "3m" } },
          producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "2400/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random" } }],
          consumers: [{ name: "c", kind: "kcl", workers: 1, processing: { perRecord }, checkpoint: { every: "10s" }, poll: { interval: "500ms", ...poll } }],
        }),
      ),
    ).consumers[0]!;

  it("is held back by its fetch size: a parent's rate counts while it was open, and a round counts the call's round trip", () => {
    const c = onDemand({ maxRecords: 150 }, "50us");
    expect(c.fallingBehind).toBe(true);
    expect(c.bottleneck).toBe("fetch size");
    expect(c.fetch!.boundPerSecond).toBeCloseTo(150 / (0.5 + ROUND_TRIP_S), 6);
    // A parent took 600 records/s for the 2 minutes it was open after warmup (over the 9 minutes, 133).
    expect(c.fetch!.busiestPerSecond).toBeGreaterThan(590);
    expect(c.fetch!.busiestPerSecond).toBeLessThan(610);
  });

  it("halving processing does not raise its rate; 10,000 records a call keeps up", () => {
    const base = onDemand({ maxRecords: 150 }, "50us");
    expect(Math.abs(onDemand({ maxRecords: 150 }, "25us").processedPerSecond / base.processedPerSecond - 1)).toBeLessThan(0.05);
    expect(onDemand({ maxRecords: 10_000 }, "50us").fallingBehind).toBe(false);
  });
});
