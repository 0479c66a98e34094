// With aggregation off the KPL has no rate limiter. Its aggregator predicts a user record's shard only with aggregation
// enabled (awslabs/amazon-kinesis-producer aws/kinesis/core/aggregator.h, put: "If shard map is not available, or
// aggregation is disabled, just send the record by itself"), and its limiter passes on at once a Kinesis record with
// no predicted shard (limiter.h, Limiter::put: "Limiter doesn't work if we don't know which shard the record is going
// to"). Failed records re-enter through the aggregator (retrier.cc), so their retries are not limited either. Before,
// the model's limiter held such records back to RateLimit (150%) of the shard's limits whatever the setting: an
// overloaded shard saw at most 1,500 attempts a second, and the rest of the records waited in the limiter.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const SECONDS = 60;
const run = (kpl: Record<string, unknown>, size = "100B", rate = "2000/s") =>
  simulate(
    scenarioOf({
      duration: `${SECONDS}s`,
      warmup: "0s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "kpl", instances: 1, rate: { shape: "constant", value: rate }, recordSize: { dist: "fixed", size }, kpl: { recordTtl: "1h", ...kpl } }],
    }),
  ).producers[0]!;

describe("the KPL's rate limiter acts only with aggregation on", () => {
  it("aggregation off, 2,000 records/s of 100 B to one shard: every record is sent when due and retried every 50 ms, far past the 1,500 a second a limiter would pass", () => {
    const p = run({ aggregationEnabled: false });
    // A limiter at 150% of 1,000 records/s holding 1,000 would pass at most 1,500 × 60 + 1,000 = 91,000 attempts in 60 s.
    // Without it the 120,000 records offered all go on their first attempt, and each throttled one again once its
    // response has come, at the next window's end (retrier.cc; 1% of the default round trips, over 100 ms, the one after):
    // the backlog grows by 1,000 a second (the shard takes 1,000), retried 10 times a second, about 1,000 × 10 × 60² / 2
    // = 18 M attempts by hand (the run: 16.6 M; 17.3 M with 256 connections: 24 carry ~945 requests a second at the
    // default round trip, which caps the last 12 s, kplConnections.test.ts).
    expect(p.attempts).toBeGreaterThan(1_000_000);
    expect(p.clientMetrics.userRecordsPerKinesisRecord).toBe(1);
    // Nothing waits unsent in the KPL: the records not written are awaiting their next retry.
    expect(p.inFlight.buffered).toBeLessThan(2_000 * 0.2);
    // The shard takes its 1,000 records a second (and its one-second burst at the start).
    expect(p.accepted).toBeGreaterThan(1_000 * SECONDS * 0.98);
    expect(p.accepted).toBeLessThanOrEqual(1_000 * (SECONDS + 1));
    expect(p.accepted + p.inFlight.buffered + p.inFlight.awaitingRetry).toBe(2_000 * SECONDS);
  });

  it("aggregation on, records no two of which fit an aggregate (AggregationMaxSize 150 B): the limiter passes at most 150% of the shard's records", () => {
    const p = run({ aggregationMaxSize: "150B" });
    expect(p.clientMetrics.userRecordsPerKinesisRecord).toBe(1);
    expect(p.attempts).toBeLessThanOrEqual(1_500 * SECONDS + 1_000);
    expect(p.attempts).toBeGreaterThan(1_500 * SECONDS * 0.95);
    // What the limiter holds back waits unsent: 500 records a second.
    expect(p.inFlight.buffered).toBeGreaterThan(500 * SECONDS * 0.8);
  });

  it("under throttling, user records per Kinesis record is what the aggregator made, not records accepted per attempt", () => {
    // Before, accepted user records over every attempt, retries included: 0.0017 for plain records retried ~300 times.
    const off = run({ aggregationEnabled: false });
    expect(off.clientMetrics.retriesPerKinesisRecord).toBeGreaterThan(10);
    expect(off.clientMetrics.userRecordsPerKinesisRecord).toBe(1);
  });
});
