// The KPL's MaxConnections (awslabs/amazon-kinesis-producer default_config.properties: default 24, 1..256, "Maximum number
// of connections to open to the backend. HTTP requests are sent in parallel over multiple connections"). The KPL hands it
// to the AWS SDK as ClientConfiguration.maxConnections (kinesis_producer.cc make_sdk_client_cfg), the size of the SDK's
// curl handle pool (aws-sdk-cpp CurlHandleContainer): a PutRecords holds a connection for its round trip, and one that
// finds none free waits for one (AcquireCurlHandle blocks) before it is sent. Before, every request went as it was made.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { parseScenario, ScenarioError } from "../../src/scenario/index.js";
import { scenarioOf } from "./scenarioOf.js";

const SECONDS = 60;
const run = (producer: Record<string, unknown>, shards: number) =>
  simulate(
    scenarioOf({
      duration: `${SECONDS}s`,
      warmup: "0s",
      stream: { shards },
      producers: [{ name: "p", client: "kpl", instances: 1, recordSize: { dist: "fixed", size: "100B" }, ...producer }],
    }),
  ).producers[0]!;

describe("the KPL sends at most MaxConnections PutRecords at once per process", () => {
  // 5,000 records/s of 100 B over 10 shards (500 records/s each: never throttled), aggregation off: a PutRecords of 500
  // records every window of 100 ms, 10 a second. Each holds a connection for its 1 s round trip.
  const slow = (maxConnections?: number) =>
    run({ rate: { shape: "constant", value: "5000/s" }, latency: { dist: "fixed", value: "1s" }, kpl: { aggregationEnabled: false, ...(maxConnections ? { maxConnections } : {}) } }, 10);

  it("MaxConnections 2, 1 s round trips: 2 PutRecords a second, 1,000 attempts a second (it sent 10 a second, 5,000)", () => {
    const p = slow(2);
    // 2 connections ÷ 1 s = 2 requests a second of 500 records: 1,000 attempts a second. Over 60 s: both connections free
    // at the start, the first window's one request goes at once and the second window's on the other connection
    // (2 requests), then one every 0.5 s: 2 + 2 × 59.9 s = 121.8 → 121 whole requests, 60,500 attempts.
    expect(p.requests).toBe(121);
    expect(p.attempts).toBe(121 * 500);
    expect(p.attempts / SECONDS).toBeGreaterThan(1_000 * 0.99);
    expect(p.attempts / SECONDS).toBeLessThan(1_000 * 1.01);
    expect(p.throttledAttempts).toBe(0);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBe(500);
    // Nothing throttled, so every record sent is accepted; the rest wait for a connection, made into requests not yet
    // sent: buffered, none lost.
    expect(p.accepted).toBe(p.attempts);
    expect(p.inFlight.buffered).toBe(5_000 * SECONDS - p.accepted);
    expect(p.lostAfterWarmup).toBe(0);
    // First sends, not requests made: no retries (it read −0.80 when first attempts counted as requests were made).
    expect(p.clientMetrics.retriesPerKinesisRecord).toBe(0);
  });

  it("the wait counts in put latency, not in buffering time: the median record acknowledged waited about 24 s", () => {
    const p = slow(2);
    // Requests leave at 1,000 records a second while 5,000 come: a record born at x s is sent at about 5x s (FIFO) and
    // acknowledged 1 s later. Those acknowledged within the run were born in its first 60,500 ÷ 5,000 = 12.1 s; the
    // median of them at 6.05 s waited 4 × 6.05 = 24.2 s, plus 1 s round trip less ~0.45 s (the first requests went at
    // once, the record was made into a request at its window's end): about 24.75 s.
    expect(p.putLatency.p50 / 1e6).toBeGreaterThan(24.75 * 0.97);
    expect(p.putLatency.p50 / 1e6).toBeLessThan(24.75 * 1.03);
    // BufferingTime ends when the request is made (the KPL starts its attempt before it waits for a connection,
    // pipeline.h send_put_records_request; retrier.cc emits BufferingTime to the attempt's start): half a window.
    expect(p.clientMetrics.meanBufferingTimeMs).toBe(50);
  });

  it("enough connections change nothing: MaxConnections 10 carries the 10 requests a second", () => {
    const p = slow(10);
    expect(p.requests).toBe(SECONDS * 10);
    expect(p.attempts).toBe(5_000 * SECONDS);
    expect(p.putLatency.p50).toBe(1_000_000);
  });

  it("a process writing to two streams shares its connections between them (one Kinesis client): 500 attempts a second, not 1,000", () => {
    // One process, 2 connections, 1 s round trips, 5,000 records/s split evenly over two streams of 10 shards: each
    // stream's pipeline makes a request of 250 records a window. The 2 connections start 2 requests a second, whichever
    // stream made them: 2 × 250 = 500 attempts a second. With 2 connections for each stream it would be 1,000.
    const r = simulate(
      scenarioOf({
        duration: `${SECONDS}s`,
        warmup: "0s",
        streams: [
          { name: "a", shards: 10 },
          { name: "b", shards: 10 },
        ],
        producers: [
          {
            name: "p",
            client: "kpl",
            streams: [
              { name: "a", share: 0.5 },
              { name: "b", share: 0.5 },
            ],
            rate: { shape: "constant", value: "5000/s" },
            recordSize: { dist: "fixed", size: "100B" },
            latency: { dist: "fixed", value: "1s" },
            kpl: { aggregationEnabled: false, maxConnections: 2 },
          },
        ],
      }),
    );
    const attempts = r.producers.reduce((n, p) => n + p.attempts, 0);
    expect(r.producers).toHaveLength(2);
    expect(attempts / SECONDS).toBeGreaterThan(500 * 0.98);
    expect(attempts / SECONDS).toBeLessThan(500 * 1.03);
  });

  // Stop 43's overloaded KPL without aggregation: 2,000 records/s of 100 B to one shard (1,000 records/s), one process,
  // 60 s, default round trip (lognormal, median 20 ms, p99 100 ms). Every throttled record is retried each window.
  const storm = (kpl: Record<string, unknown>) => run({ rate: { shape: "constant", value: "2000/s" }, kpl: { aggregationEnabled: false, ...kpl } }, 1);

  it("stop 43's retry storm with RecordTtl 1 h: 24 connections cap it in its last 12 s, 16.61 M attempts (by hand 16.68 M ± 0.08 M)", () => {
    const p = storm({ recordTtl: "1h" });
    // Unlimited first (MaxConnections 256), by hand. The shard's record bucket starts full (1,000) and refills 100 a
    // window, the first window's refill lost to the cap: through window m it has accepted 1,000 + 100 (m − 1) records,
    // against 200 m offered; from the 11th window on the backlog is never gone. A throttled record is resent at the
    // first window's end its response has come by (retrier.cc), so window n sends all offered but not yet accepted:
    // 200 n − (1,000 + 100 (n − 2)) = 100 n − 800 attempts, save those of a window whose response came after the next
    // window's end. The run draws one round trip a window (lognormal, median 20 ms, p99 100 ms): 1% of them exceed the
    // 100 ms window, and those windows' failures, 100 n − 900, skip one window's resend.
    //   every window: Σ n = 11..600 (100 n − 800) + 10 × 200 = 100 × 180,245 − 800 × 590 + 2,000 = 17,554,500
    //   skipped, in expectation: 1% × Σ n = 11..600 (100 n − 900) = 1% × 17,493,500 = 174,935
    //   so 17,379,565 ± about 80,000 (some 6 slow windows, each skipping up to 59,100: a 1σ spread).
    const unlimited = storm({ recordTtl: "1h", maxConnections: 256 });
    expect(unlimited.attempts).toBeLessThanOrEqual(17_554_500);
    expect(unlimited.attempts).toBeGreaterThan(17_379_565 - 250_000);
    expect(unlimited.attempts).toBeLessThan(17_379_565 + 250_000);
    // 24 connections: the mean round trip σ = ln(100/20) / 2.3263 = 0.6918, 20 ms × e^(σ²/2) = 25.41 ms, so they start
    // 24 ÷ 0.02541 s = 944.6 requests a second, 94.46 a window, of ~496 records: 46,850 attempts a window. Window n's
    // 100 n − 800 passes that at n = 476.5 (47.65 s); from then the cap binds and a slow window's skipped records only
    // leave the queue of waiting requests longer. Unlimited from 47.65 s: Σ n = 477..600 (100 n − 800) = 100 × 66,774 −
    // 800 × 124 = 6,578,200, less 1% skipped (Σ (100 n − 900) = 6,565,800: 65,658) = 6,512,542; capped 46,850 × 124 =
    // 5,809,400: 703,142 fewer. Before 47.65 s both runs send alike (the same draws): 17,379,565 − 703,142 = 16,676,423
    // expected, the same spread as the unlimited run's.
    expect(p.attempts).toBeGreaterThan(16_676_423 - 250_000);
    expect(p.attempts).toBeLessThan(16_676_423 + 250_000);
    expect(unlimited.attempts - p.attempts).toBeGreaterThan(703_142 * 0.9);
    expect(unlimited.attempts - p.attempts).toBeLessThan(703_142 * 1.1);
    // Every record accepted, waiting or awaiting its retry (RecordTtl 1 h expires none).
    expect(p.accepted + p.inFlight.buffered + p.inFlight.awaitingRetry).toBe(2_000 * SECONDS);
    // Put latency, by hand. The shard's 100 records a window are shared among the window's batches in proportion
    // (stream.ts admitWindow), so a record in the backlog B(t) ≈ 1,000 (t − 0.9) is accepted at a rate of 1 ÷ (t − 0.9)
    // a second: one born at b (b' = b − 0.9 s) is still waiting at t' = t − 0.9 with probability b' / t', its wait b'
    // (1/U − 1) for U uniform on (0, 1]. Of those acknowledged by the end (T' = 59.1 s), the number with a wait ≤ x is
    // 2,000/s × (x ln(T'/x) + x² / 2T'), besides the ~1,800 of the first second, accepted on their first attempt: of
    // 60,900, the median solves x ln(59.1/x) + x²/118.2 = (30,450 − 1,800) / 2,000 = 14.325: x = 6.22 s; the 99th
    // percentile solves it = (60,291 − 1,800) / 2,000 = 29.25: x = 41.55 s.
    expect(p.accepted).toBe(60_900);
    expect(p.putLatency.p50 / 1e6).toBeGreaterThan(6.22 * 0.98);
    expect(p.putLatency.p50 / 1e6).toBeLessThan(6.22 * 1.02);
    expect(p.putLatency.p99 / 1e6).toBeGreaterThan(41.55 * 0.98);
    expect(p.putLatency.p99 / 1e6).toBeLessThan(41.55 * 1.02);
  });

  it("stop 43's retry storm at the default RecordTtl (30 s): the backlog stays under what 24 connections carry, nothing changes", () => {
    // RecordTtl caps the backlog near 42,000 records: (42,000 + 200) ÷ 496 ≈ 85 requests a window, under the 94.46 that
    // 24 connections start. The run is the same as with 256 connections (15.50 M attempts).
    const p = storm({});
    const unlimited = storm({ maxConnections: 256 });
    expect(p.attempts).toBe(unlimited.attempts);
    expect(p.requests).toBe(unlimited.requests);
    expect(p.attempts).toBeGreaterThan(15e6);
    // Records expire wherever they wait: none is acknowledged later than RecordTtl after its first attempt, and a round
    // trip (a retry waiting for a late response stays behind the window's failures put back in front of it; when
    // expiry looked only at the front of a shard's queue, records behind a younger batch outlived RecordTtl: 57 s).
    expect(p.putLatency.max / 1e6).toBeLessThan(30 + 0.2);
    expect(p.lostAfterWarmup).toBeGreaterThan(0);
  });
});

describe("kpl.maxConnections is checked against the KPL's range", () => {
  const text = (value: string) =>
    [
      "name: conn",
      "duration: 1m",
      "stream: { shards: 1 }",
      "producers:",
      "  - name: web",
      "    client: kpl",
      '    rate: { shape: constant, value: "100/s" }',
      "    recordSize: { dist: fixed, size: 100B }",
      `    kpl: { maxConnections: ${value} }`,
    ].join("\n");
  const problem = (value: string) => {
    try {
      parseScenario(text(value), "scenarios/conn.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems[0]!;
      throw e;
    }
    throw new Error("expected the scenario to be rejected");
  };

  it("300 is refused with the field, its line and 1..256", () => {
    const p = problem("300");
    // "    kpl: { maxConnections: " is 27 characters: the value is at column 28.
    expect(p).toMatchObject({ line: 9, column: 28, path: "producers[0].kpl.maxConnections", allowed: "1..256" });
    expect(p.message).toBe("must be at most 256 (allowed 1..256), got 300");
  });

  it("0 is refused; 1 and 256 are taken; the default is 24", () => {
    expect(problem("0").message).toBe("must be at least 1 (allowed 1..256), got 0");
    for (const v of [1, 256]) expect(parseScenario(text(String(v)), "scenarios/conn.yaml").producers[0]!).toMatchObject({ kpl: { maxConnections: v } });
    const s = parseScenario(text("24").replace("kpl: { maxConnections: 24 }", "kpl: {}"), "scenarios/conn.yaml");
    expect(s.producers[0]).toMatchObject({ kpl: { maxConnections: 24 } });
  });
});
