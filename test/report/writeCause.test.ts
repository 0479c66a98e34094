// Why a missed put-throttling SLO was missed names who throttled the puts: a Kinesis stream's shard limits, a
// delivery stream's Direct PUT quotas, or both, with the attempts each throttled. And a delivery stream's bottleneck
// is added to a missed delivery latency only when the slow records spent most of their time where it acts. Each
// case is built to have its one cause.
import { describe, expect, it } from "vitest";
import { formatDuration } from "../../src/report/format.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/** 2,000 records/s of 1 KiB: about 2 MiB/s, twice a 1 MiB/s Direct PUT byte quota and twice one shard's write bytes. */
const producer = (target: Record<string, unknown>) => ({
  name: "app",
  client: "sdk",
  instances: 4,
  rate: { shape: "poisson", value: "2000/s" },
  recordSize: { dist: "fixed", size: "1KiB" },
  ...target,
});
const deliveryStream = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  source: "direct-put",
  quotas: { bytes: "1MiB/s" },
  buffer: { size: "5MiB", interval: "60s" },
  destination: { kind: "s3" },
  ...extra,
});

describe("a missed writeThrottledPercent SLO", () => {
  it("with only Direct PUT, throttled by a 1 MiB/s byte quota, names the delivery stream's quotas and no stream", () => {
    const r = simulateScenario(
      scenarioOf({ duration: "5m", warmup: "1m", producers: [producer({ deliveryStream: "logs" })], firehose: [deliveryStream("logs")], slo: { writeThrottledPercent: 1 } }),
    );
    const v = verdictOf(r);
    const slo = v.slos.find((s) => s.name === "writeThrottledPercent")!;
    expect(slo.met).toBe(false);
    const throttled = r.producers[0]!.throttledAttempts;
    expect(throttled).toBeGreaterThan(0);
    expect(slo.cause).toMatchObject({ kind: "writes", streamThrottledAttempts: 0, directPutThrottledAttempts: throttled, directPutStreams: ["logs"] });
    expect(slo.why).toBe(`the Direct PUT quotas of delivery stream logs throttled ${throttled.toLocaleString("en-US")} put attempts`);
  });

  it("with a stream over its write limit and a Direct PUT stream within its quotas, names the stream only", () => {
    const r = simulateScenario(
      scenarioOf({
        duration: "5m",
        warmup: "1m",
        stream: { name: "clicks", shards: 1 },
        producers: [producer({}), { ...producer({ deliveryStream: "logs" }), name: "quiet", rate: { shape: "poisson", value: "100/s" } }],
        firehose: [deliveryStream("logs")],
        slo: { writeThrottledPercent: 1 },
      }),
    );
    const v = verdictOf(r);
    const slo = v.slos.find((s) => s.name === "writeThrottledPercent")!;
    expect(slo.met).toBe(false);
    const [app, quiet] = r.producers;
    expect(quiet!.throttledAttempts).toBe(0);
    expect(slo.cause).toMatchObject({ kind: "writes", stream: "clicks", streamThrottledAttempts: app!.throttledAttempts, directPutThrottledAttempts: 0, directPutStreams: [] });
    // 2,000 records of 1 KiB a second against 1 MiB/s and 1,000 records/s: both limits refuse, records the most.
    expect(slo.why).toMatch(new RegExp(`^stream clicks throttled ${app!.throttledAttempts.toLocaleString("en-US")} put attempts, mainly by its shard write (records|bytes) limit \\(1 shard throttled; hottest: shardId-000000000000\\)$`));
    expect(slo.why).not.toContain("Direct PUT");
  });
});

describe("a missed deliveryP99 SLO of a delivery stream whose Direct PUT is throttled", () => {
  it("names its bottleneck only where the slow records waited: not the Direct PUT quotas when they waited in the buffer or at the destination; the destination when they waited there", () => {
    const scenario = (extra: Record<string, unknown>) => ({
      duration: "20m",
      warmup: "2m",
      producers: [producer({ deliveryStream: "logs" })],
      firehose: [deliveryStream("logs", extra)],
      slo: { deliveryP99: "1s" },
    });
    // The destination down from 5 to 15 minutes.
    const withOutage = (input: Record<string, unknown>) => scenarioOf({ ...input, faults: [{ at: "5m", kind: "destination-outage", firehose: "logs", for: "10m" }] });
    // Throttled puts retried by the SDK: the slow records' time goes to before the delivery stream (and its 60 s buffer).
    const plain = verdictOf(simulateScenario(scenarioOf(scenario({}))));
    // The same, with the destination down for 10 minutes: the slow records wait there.
    const outage = simulateScenario(withOutage(scenario({})));
    const ov = verdictOf(outage);
    expect(ov.firehose[0]!.bottleneck).toBe("direct put quotas");
    const oslo = ov.slos.find((s) => s.name === "deliveryP99")!;
    expect(oslo.cause).toMatchObject({ kind: "stages", stage: "destination" });
    expect(oslo.why).not.toContain("the bottleneck is its Direct PUT quotas");
    expect(plain.firehose[0]!.bottleneck).toBe("direct put quotas");
    const pslo = plain.slos.find((s) => s.name === "deliveryP99")!;
    expect(pslo.cause).toMatchObject({ kind: "stages", stage: "buffer" });
    expect(pslo.why).not.toContain("the bottleneck is");
    // The outage without the quota's throttling: the destination is the bottleneck, where the slow records waited.
    const unthrottled = verdictOf(simulateScenario(withOutage(scenario({ quotas: { bytes: "10MiB/s" } }))));
    expect(unthrottled.firehose[0]!.bottleneck).toBe("destination");
    const uslo = unthrottled.slos.find((s) => s.name === "deliveryP99")!;
    expect(uslo.cause).toMatchObject({ kind: "stages", stage: "destination" });
    expect(uslo.why).toContain("; the bottleneck is its destination, Amazon S3 (destination outage at 0:05:00 for 10 min)");
  });
});

describe("a missed put-latency SLO", () => {
  // One shard offered 1,000 records/s of 100 B, Poisson: a few seconds pass its 1,000 records/s, so a few attempts
  // in 10,000 are throttled. A 1 ms target is under any round trip (lognormal, median 20 ms).
  const r = simulateScenario(
    scenarioOf({
      duration: "5m",
      warmup: "1m",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "poisson", value: "1000/s" }, recordSize: { dist: "fixed", size: "100B" } }],
      slo: { putLatencyP50: "1ms", putLatencyP99: "1ms" },
    }),
  );
  const v = verdictOf(r);

  it("when the records' first round trips miss it alone, blames the requests' round trip, not the retries", () => {
    const share = (100 * r.producers[0]!.throttledAttempts) / r.producers[0]!.attempts;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
    for (const [name, p] of [["putLatencyP99", "p99"], ["putLatencyP50", "p50"]] as const) {
      const slo = v.slos.find((s) => s.name === name)!;
      expect(slo.met).toBe(false);
      expect(slo.cause).toMatchObject({ kind: "puts", setBy: "round trip", roundTripUs: r.putLatencyRoundTrip[p] });
      expect(r.putLatencyRoundTrip[p]).toBeGreaterThan(1_000);
      expect(slo.why).toBe(
        `it is the requests' own round trip: the records' first attempts alone took ${p} ${formatDuration(r.putLatencyRoundTrip[p])} (their put latency had none been throttled), over the target; ${share.toFixed(2)}% of the producers' put attempts were throttled and retried, which barely moves it`,
      );
    }
  });
});
