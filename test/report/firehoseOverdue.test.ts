// Records still inside a delivery stream at the end count as not delivered when they are overdue: in longer than a
// delivery that kept up would hold them. A record waits out the transformation's buffer interval, then the destination
// buffer's, so the allowance is both (it was the destination buffer's alone: helper-43 found a healthy stream with a
// 60 s transformation interval and a 60 s destination interval 4.6–14.6% "not delivered", by the run's length alone).
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/** 20 records/s of 1 KiB by Direct PUT into an S3 delivery stream with a Lambda transformation; the intervals given. */
const run = (duration: string, transformInterval: string, bufferInterval: string, outageAt?: string) => {
  const r = simulateScenario(
    scenarioOf({
      name: "overdue",
      seed: 3,
      duration,
      warmup: "1m",
      producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "20/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "d" }],
      firehose: [{ name: "d", source: "direct-put", buffer: { size: "64MiB", interval: bufferInterval }, transform: { buffer: { size: "3MB", interval: transformInterval } }, destination: { kind: "s3" } }],
      ...(outageAt ? { faults: [{ at: outageAt, kind: "destination-outage", firehose: "d", for: "10m" }] } : {}),
      slo: { firehoseNotDeliveredPercent: 0 },
    }),
  );
  return { f: r.firehose[0]!, slo: verdictOf(r).slos[0]! };
};

describe("records overdue inside a delivery stream with a transformation", () => {
  it.each(["480s", "500s", "520s", "540s", "570s"])("a healthy stream (60 s + 60 s) delivers everything, the run %s long", (duration) => {
    const { f, slo } = run(duration, "60s", "60s");
    // Up to two intervals' records are inside at the end, none of them overdue.
    expect(f.atEnd.censored).toBeGreaterThan(0);
    expect(f.atEnd.overdue).toBe(0);
    expect(slo.met).toBe(true);
  });

  it("a record in longer than both intervals is overdue: a destination outage over the last 3 minutes", () => {
    const { f, slo } = run("8m", "60s", "60s", "5m");
    // Records that entered before 6:00 (8:00 − 60 s − 60 s) are overdue; with 20 records/s that is about a minute's.
    expect(f.atEnd.overdue).toBeGreaterThan(50 * 20);
    expect(f.atEnd.overdue).toBeLessThan(f.atEnd.censored);
    expect(slo.met).toBe(false);
  });
});

describe("a missed firehoseNotDeliveredPercent's reasons (helper-43)", () => {
  // Lambda errors fail every record in the warmup (processing-failed/); after it, a 40 s OpenSearch outage outlasts a
  // 30 s retry duration. The share is after warmup: only the outage's records count in it.
  const run = (faults: Record<string, unknown>[]) => {
    const r = simulateScenario(
      scenarioOf({
        name: "not-delivered",
        seed: 3,
        duration: "8m",
        warmup: "3m",
        producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "d" }],
        firehose: [
          {
            name: "d",
            source: "direct-put",
            buffer: { size: "5MiB", interval: "60s" },
            transform: { buffer: { size: "1MB", interval: "10s" }, retries: 0 },
            destination: { kind: "opensearch", throughput: "8MiB/s", retryDuration: "30s" },
          },
        ],
        faults,
        slo: { firehoseNotDeliveredPercent: 1 },
      }),
    );
    return { r, slo: verdictOf(r).slos[0]! };
  };
  const errors = { at: "30s", kind: "lambda-errors", firehose: "d", for: "2m", share: 1 };
  const outage = { at: "5m", kind: "destination-outage", firehose: "d", for: "40s" };

  it("lists the records lost after warmup, the faults under way then and the bottleneck: not the warmup's failures", () => {
    const { r, slo } = run([errors, outage]);
    const f = r.firehose[0]!;
    expect(f.accounting.processingFailed).toBeGreaterThan(100_000); // the warmup's, whole run
    expect(f.notDeliveredByReason.processingFailed).toBe(0);
    expect(f.notDeliveredByReason.gaveUp).toBe(f.notDelivered);
    expect(slo.met).toBe(false);
    expect(slo.cause).toEqual({ kind: "delivery", reasons: { overdueAtEnd: 0, processingFailed: 0, gaveUp: f.notDelivered, expired: 0 }, bottleneck: "destination" });
    expect(slo.why).toBe(
      `after warmup, ${f.notDelivered.toLocaleString("en-US")} given up by the destination; faults: destination outage at 0:05:00 for 40 s; the bottleneck is its destination, Amazon OpenSearch Service`,
    );
    // Counterfactuals: without the outage it is met; without the warmup's errors it is as missed.
    expect(run([errors]).slo.met).toBe(true);
    expect(run([outage]).slo.met).toBe(false);
  });
});
