// A latency SLO's stage cause counts the put attempts throttled into what the records were read from: the consumer's
// stream (its producers and the applications' writers), a delivery stream's source stream, or its Direct PUT. Before,
// it was every put attempt of the run: a consumer of an unthrottled stream was told its records' puts were throttled
// because another stream's were.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/result/judge.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

// raw: 1 shard offered 1,300 records/s (30% over its 1,000): its producer's puts throttle and retry. side: 1 shard at
// 300 records/s, never throttled. The consumer `tail` and the delivery stream `archive` read side only.
const r = simulateScenario(
  scenarioOf({
    seed: 21,
    duration: "3m",
    warmup: "30s",
    streams: [
      { name: "raw", shards: 1 },
      { name: "side", shards: 1 },
    ],
    producers: [
      { name: "web", client: "sdk", stream: "raw", instances: 2, rate: { shape: "poisson", value: "1300/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random", length: 16 } },
      { name: "iot", client: "sdk", stream: "side", instances: 2, rate: { shape: "poisson", value: "300/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random", length: 16 } },
    ],
    consumers: [
      { name: "main", kind: "kcl", stream: "raw", workers: 1 },
      { name: "tail", kind: "kcl", stream: "side", workers: 1, processing: { perBatch: "2s" } },
    ],
    firehose: [{ name: "archive", source: "side", buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "s3" } }],
    // Both missed: `tail` is the slowest consumer (2 s a batch), and the delivery stream waits for its 60 s buffer.
    slo: { endToEndP99: "1s", deliveryP99: "1s" },
  }),
);
const web = r.producers.find((p) => p.name === "web")!;
const iot = r.producers.find((p) => p.name === "iot")!;

describe("a stage cause counts the puts into the stream its records came from", () => {
  it("web's puts into raw throttle, iot's into side do not: the run's share is web's diluted by iot's attempts", () => {
    expect(web.throttledAttempts).toBeGreaterThan(0.1 * web.attempts);
    expect(iot.throttledAttempts).toBe(0);
    expect(judge(r).putThrottledPercent).toBeCloseTo((100 * web.throttledAttempts) / (web.attempts + iot.attempts), 9);
  });

  it("tail reads side: its end-to-end cause counts side's puts, none throttled", () => {
    const s = judge(r).slos.find((x) => x.name === "endToEndP99")!;
    expect(s.of).toBe("tail");
    expect(s.cause).toMatchObject({ kind: "stages", putThrottledPercent: 0 });
    expect(verdictOf(r).slos.find((x) => x.name === "endToEndP99")!.why).not.toContain("throttled");
  });

  it("archive reads side: its delivery cause counts side's puts, none throttled", () => {
    const s = judge(r).slos.find((x) => x.name === "deliveryP99")!;
    expect(s.of).toBe("archive");
    expect(s.cause).toMatchObject({ kind: "stages", putThrottledPercent: 0 });
  });

  it("main reads raw: with tail's SLO left out, its cause counts web's puts alone, and names raw when they held the records", () => {
    // Retried after backoffs from a 4 s base, the throttled records wait longer before the stream than in it.
    const producers = r.scenario.producers.map((p) => (p.name === "web" && p.client === "sdk" ? { ...p, retry: { ...p.retry, base: 4_000_000, cap: 20_000_000, maxAttempts: 10 } } : p));
    const only = simulateScenario({ ...r.scenario, producers, consumers: r.scenario.consumers.filter((c) => c.name === "main"), firehose: [], slo: { endToEndP99: 1_000 } });
    const w = only.producers.find((p) => p.name === "web")!;
    const s = judge(only).slos.find((x) => x.name === "endToEndP99")!;
    expect(s.of).toBe("main");
    const share = (100 * w.throttledAttempts) / w.attempts;
    expect(s.cause).toMatchObject({ kind: "stages", stage: "beforeStream", putThrottledPercent: share });
    expect(verdictOf(only).slos.find((x) => x.name === "endToEndP99")!.why).toContain(`of the put attempts into stream raw were throttled`);
  });
});
