// With aggregation on, a Kinesis record reaching the KPL's collector is due min(50 ms, RecordMaxBufferedTime × 0.2) later
// at the earliest (awslabs/amazon-kinesis-producer pipeline.h collector_put, extend_deadline_from_now), and the collector
// sends all it holds at its earliest deadline (reducer.h): while due aggregates keep coming a process sends a PutRecords
// every ~20 ms at the default RecordMaxBufferedTime (100 ms), not one a window. The model sent one a process a window:
// the same records and latency, but a fifth of the requests, and with MaxConnections binding, no wait where the real
// KPL falls behind.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

/** 4 KPL processes, aggregation on, 40,000 records/s of 100 B (evenly spread keys) on 50 shards, 60 s, warmup 10 s. */
const run = (o: { latency?: string; maxConnections?: number }) => {
  const r = simulateScenario(
    scenarioOf({
      name: "collector",
      duration: "60s",
      warmup: "10s",
      stream: { name: "s", shards: 50 },
      producers: [
        {
          name: "p",
          client: "kpl",
          instances: 4,
          recordSize: { dist: "fixed", size: "100B" },
          rate: { shape: "constant", value: "40000/s" },
          ...(o.latency ? { latency: { dist: "fixed", value: o.latency } } : {}),
          kpl: { aggregationEnabled: true, ...(o.maxConnections ? { maxConnections: o.maxConnections } : {}) },
        },
      ],
    }),
  );
  return { r, p: r.producers[0]! };
};

describe("the KPL collector with aggregation on sends a PutRecords every min(50 ms, RecordMaxBufferedTime / 5) while aggregates come", () => {
  // By hand: a shard gets 800 records a second from each process, 20 in its buffer's 100 ms: E[N] = 1 + 20 = 21 user
  // records an aggregate, 20 ÷ 21 aggregates a window a shard, 50 × 20/21 = 47.6 a window a process. Each reaching the
  // collector is due 20 ms later; the next request begins with the next aggregate, w/m = 2.1 ms after: a request every
  // 22.1 ms, 47.6 × 100 ÷ (47.6 × 20 + 100) = 4.52 a window, 45.2 a second a process, 181 a second in all (before: 40, one
  // a process a window), of 47.6 ÷ 4.52 = 10.5 Kinesis records each (before 47.6).
  it("default round trip: 181 PutRecords a second of 10.5 Kinesis records; the records and their latency as before", () => {
    const { r, p } = run({});
    const perSecond = p.connections!.requestsMade / 50;
    expect(perSecond).toBeGreaterThan(181 * 0.98);
    expect(perSecond).toBeLessThan(181 * 1.02);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeGreaterThan(10.5 * 0.98);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeLessThan(10.5 * 1.02);
    expect(p.clientMetrics.userRecordsPerKinesisRecord).toBeCloseTo(21, 1);
    // Nothing waits: 24 connections ÷ 25.4 ms start 945 a second a process, against 45.
    expect(p.clientMetrics.putRecordsWaitedPercent).toBe(0);
    expect(p.inFlight.buffered + p.lostAfterWarmup).toBeLessThan(4_000);
    expect(r.putLatencyConnectionWait.max).toBe(0);
  });

  // MaxConnections 4, 250 ms round trips: 4 ÷ 0.25 s = 16 started a second a process, against 45.2 made: 16 ÷ 45.2 =
  // 35.4% of the records go; after warmup 16 × 4 × 50 s × 10.5 × 21 = 706,000 user records acknowledged of 2,000,000
  // (before: all, 10 requests a second a process being under the 16).
  it("MaxConnections 4 and 250 ms round trips: the requests wait, 35% of the records go, the rest wait in the KPL", () => {
    const { p } = run({ latency: "250ms", maxConnections: 4 });
    expect(p.clientMetrics.putRecordsWaitedPercent).toBeGreaterThan(99);
    expect(p.acceptedAfterWarmup).toBeGreaterThan(706_000 * 0.97);
    expect(p.acceptedAfterWarmup).toBeLessThan(706_000 * 1.03);
    expect(p.inFlight.buffered).toBeGreaterThan(1_000_000);
  });
});
