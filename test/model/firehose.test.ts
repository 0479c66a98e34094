// Firehose delivery streams against closed forms and hand counts (issue 6's references): buffering hints,
// destination outages and retry durations, the Lambda transformation, Direct PUT quotas, a Kinesis stream as
// source, and the backlog of a destination slower than its input.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { FirehoseResult } from "../../src/result/runResult.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;

/** A Direct PUT delivery stream fed by one SDK producer at a constant (evenly spaced) rate. */
function directPut(o: {
  rate: string;
  size: string;
  duration?: string;
  warmup?: string;
  firehose: Record<string, unknown>;
  faults?: unknown[];
  producer?: Record<string, unknown>;
  /** Leave the (unused) Kinesis stream out of the scenario. */
  noStream?: boolean;
}) {
  return simulate(
    scenarioOf({
      duration: o.duration ?? "20m",
      warmup: o.warmup ?? "2m",
      ...(o.noStream ? {} : { stream: { name: "unused", shards: 1 } }),
      producers: [
        { name: "app", client: "sdk", instances: 4, rate: { shape: "constant", value: o.rate }, recordSize: { dist: "fixed", size: o.size }, deliveryStream: "fh", ...o.producer },
      ],
      firehose: [{ name: "fh", source: "direct-put", ...o.firehose }],
      faults: o.faults ?? [],
    }),
  );
}

const only = (r: ReturnType<typeof simulate>): FirehoseResult => r.firehose[0]!;
const meanObjectBytes = (f: FirehoseResult) => f.delivered.bytes / f.objects.count;

describe("buffering hints: objects of min(B, r·I), a flush every min(B/r, I), latency ≈ half the period + delivery time", () => {
  const s3 = { kind: "s3", putLatency: { dist: "fixed", value: "200ms" } };

  it("size-bound: 1,000 records/s of 1,000 B with B = 5 MiB, I = 60 s → 5,242 records (5,242,000 B) every 5.242 s", () => {
    const f = only(directPut({ rate: "1000/s", size: "1000B", firehose: { buffer: { size: "5MiB", interval: "60s" }, destination: s3 } }));
    // B / record = 5,242,880 / 1,000 = 5,242.88: the buffer is cut at the last whole record under the hint.
    expect(meanObjectBytes(f)).toBeCloseTo(5_242_000, -4);
    expect(f.objects.records.p50).toBeGreaterThanOrEqual(5_237); // HDR buckets: within 0.1%
    expect(f.objects.records.p50).toBeLessThanOrEqual(5_248);
    expect(f.flushes.interval).toBe(0);
    // 1,200 s of input at 1,000/s in objects of 5,242 records: 228 flushes (the last 4 s still buffered).
    expect(f.flushes.size).toBe(Math.floor(1_200_000 / 5_242));
    // Latency: records enter in 100 ms windows (≈ 50 ms after birth on average), wait half the 5.242 s
    // period in the buffer, then the 200 ms put: 2.621 + 0.2 + ~0.05 s.
    const expected = (5.242 / 2 + 0.2 + 0.05) * S;
    expect(Math.abs(f.deliveryLatency.mean - expected) / expected).toBeLessThan(0.03);
    // The oldest record waits at most a period (plus the put) before it is delivered.
    expect(f.maxDataFreshness).toBeLessThanOrEqual(6.5 * S);
  });

  it("interval-bound: 100 records/s of 1,000 B with B = 5 MiB, I = 30 s → 3,000 records (3 MB) every 30 s", () => {
    const f = only(directPut({ rate: "100/s", size: "1000B", firehose: { buffer: { size: "5MiB", interval: "30s" }, destination: s3 } }));
    expect(f.flushes.size).toBe(0);
    // The first record enters at 0.1 s (the first 100 ms window), so flushes fall at 30.1 s, 60.1 s, …: 39 by 20 min.
    expect(f.flushes.interval).toBe(39);
    expect(meanObjectBytes(f)).toBeCloseTo(3_000_000, -4);
    const expected = (30 / 2 + 0.2 + 0.05) * S;
    expect(Math.abs(f.deliveryLatency.mean - expected) / expected).toBeLessThan(0.03);
    // DataFreshness reaches about the interval, never much more.
    expect(f.maxDataFreshness).toBeGreaterThan(29 * S);
    expect(f.maxDataFreshness).toBeLessThan(31 * S);
  });

  it("interval 0 (zero buffering): what arrives within a second is one object, delivered at the next whole second and a put later", () => {
    // Zero buffering "delivers data within a few seconds" (buffering hints page); shardcast's assumption: at each whole
    // second, what has arrived (FIREHOSE_ZERO_BUFFERING_PERIOD_S).
    const f = only(directPut({ rate: "1000/s", size: "1000B", duration: "2m", warmup: "0s", firehose: { buffer: { interval: "0s" }, destination: s3 } }));
    // A flush at each whole second, 1 s … 120 s: 120 of them, not one per 100 ms window (1,200).
    expect(f.flushes.interval).toBe(120);
    expect(f.flushes.size).toBe(0);
    // The arrivals at 1.0, 1.1, …, 1.9 s go at 2.0 s (the one at 1.0 s comes after that instant's flush): 1,000
    // records (1 MB) an object; the 120 s flush is still being put at the end.
    expect(f.objects.count).toBe(119);
    expect(meanObjectBytes(f)).toBeCloseTo(1_000_000, -4);
    // Latency: a wait of 1.0 … 0.1 s, 0.55 s on average, then the 200 ms put; records reach the delivery stream up to
    // a 100 ms window after birth.
    expect(f.deliveryLatency.mean).toBeGreaterThan(0.75 * S);
    expect(f.deliveryLatency.mean).toBeLessThan(0.9 * S);
    // The oldest record waits a second at most, plus the put.
    expect(f.maxDataFreshness).toBeLessThanOrEqual(1.2 * S);
    expect(f.notDelivered).toBe(0);
  });

  it("interval 0 with arrivals larger than the size hint: cut at the size as they come, the rest at the next whole second", () => {
    // 20,000 records/s of 1,000 B arrive as ~2 MB every 100 ms against a 1 MiB hint (quota raised to let them in).
    const f = only(
      directPut({
        rate: "20000/s",
        size: "1000B",
        duration: "1m",
        warmup: "0s",
        firehose: { quotas: { bytes: "40MiB/s" }, buffer: { size: "1MiB", interval: "0s" }, destination: s3 },
      }),
    );
    expect(f.flushes.size).toBeGreaterThan(0);
    // What the size cuts leave goes at each whole second: 60 flushes in a minute.
    expect(f.flushes.interval).toBe(60);
    // Nothing waits more than a second and the 200 ms put; nothing is overdue at the end.
    expect(f.maxDataFreshness).toBeLessThanOrEqual(1.2 * S);
    expect(f.notDelivered).toBe(0);
  });
});

describe("a destination outage of T = 300 s (OpenSearch, buffer interval 60 s, retries every 5 s)", () => {
  // 1,000 records/s of 1,000 B: 60,000 records per 60 s flush, far below the 100 MiB size hint.
  const run = (retryDuration: string) =>
    only(
      directPut({
        rate: "1000/s",
        size: "1000B",
        duration: "25m",
        warmup: "0s",
        firehose: {
          buffer: { size: "100MiB", interval: "60s" },
          retryInterval: "5s",
          destination: { kind: "opensearch", throughput: "100MiB/s", requestLatency: { dist: "fixed", value: "10ms" }, retryDuration },
        },
        faults: [{ at: "590s", kind: "destination-outage", firehose: "fh", for: "300s" }],
      }),
    );

  it("with a retry duration ≥ T nothing is lost: the backlog is delivered when the domain comes back", () => {
    const f = run("300s");
    expect(f.accounting.gaveUp).toBe(0);
    expect(f.accounting.expired).toBe(0);
    expect(f.failedAttempts).toBeGreaterThan(0);
    // Everything but the last (partial) buffer is delivered by the end.
    expect(f.accounting.delivered + f.accounting.inside.buffer).toBe(f.accounting.in);
    // Deliveries pause for the outage and resume at its end (890 s): the records of ~5 flushes arrive together.
    const step = 1; // s per series point for a 25 min run
    const during = f.series.deliveredRecords.slice(600 / step, 885 / step).reduce((a, b) => a + b, 0);
    const after = f.series.deliveredRecords.slice(890 / step, 900 / step).reduce((a, b) => a + b, 0);
    expect(during).toBe(0);
    expect(after).toBe(5 * 60_000);
    // DataFreshness: the oldest record waited about the outage plus a buffer interval.
    expect(f.maxDataFreshness).toBeGreaterThan(300 * S);
    expect(f.maxDataFreshness).toBeLessThan(365 * S);
  });

  it("with a retry duration of 60 s < T, the flushes whose every attempt fell in the outage go to the S3 backup: exactly 4 × 60,000 records", () => {
    const f = run("60s");
    // A flush at f is attempted at f, f + 5 s, …, f + 60 s and then given up; it is lost to the domain when all of
    // those fall in [590 s, 890 s): f in [590 s, 830 s) — the flushes at ≈ 600, 660, 720 and 780 s.
    expect(f.accounting.gaveUp).toBe(4 * 60_000);
    expect(f.notDelivered).toBe(4 * 60_000);
    expect(f.accounting.expired).toBe(0);
    expect(f.accounting.balanced).toBe(true);
    expect(f.accounting.in).toBe(f.accounting.delivered + f.accounting.gaveUp + f.accounting.inside.buffer + f.accounting.inside.destination);
  });
});

describe("S3 keeps retrying for the delivery stream's retention (24 h for Direct PUT), then the data is lost", () => {
  it("an S3 outage of 25 h loses about the first hour of the outage's records, nothing else", () => {
    const f = only(
      directPut({
        rate: "1/s",
        size: "1000B",
        duration: "27h",
        warmup: "0s",
        firehose: { buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "s3" } },
        faults: [{ at: "1h", kind: "destination-outage", firehose: "fh", for: "25h" }],
      }),
    );
    // Records that entered in [1 h − 60 s, 2 h) are 24 h old before the bucket is back at 26 h: 3,600 s (+ up to
    // one 60 s buffer that was waiting when the outage began) at 1 record/s; later ones make it.
    expect(f.accounting.expired).toBeGreaterThanOrEqual(3_600 - 5);
    expect(f.accounting.expired).toBeLessThanOrEqual(3_660 + 5);
    expect(f.accounting.gaveUp).toBe(0);
    expect(f.accounting.balanced).toBe(true);
  });
});

describe("the Lambda transformation", () => {
  it("Dropped and ProcessingFailed shares split the records; Ok records grow by the size factor", () => {
    const f = only(
      directPut({
        rate: "2000/s",
        size: "500B",
        firehose: {
          buffer: { size: "5MiB", interval: "60s" },
          transform: { results: { dropped: 0.2, processingFailed: 0.05 }, sizeFactor: 2 },
          destination: { kind: "s3" },
        },
      }),
    );
    const t = f.transform!;
    const n = t.ok + t.dropped + t.processingFailed;
    // Binomial shares: 20% ± 3σ and 5% ± 3σ of ~2.4 M records.
    expect(Math.abs(t.dropped / n - 0.2)).toBeLessThan(3 * Math.sqrt((0.2 * 0.8) / n));
    expect(Math.abs(t.processingFailed / n - 0.05)).toBeLessThan(3 * Math.sqrt((0.05 * 0.95) / n));
    // Ok records are 1,000 B after the transformation.
    expect(f.delivered.bytes / f.delivered.records).toBeCloseTo(1_000, 6);
    expect(f.accounting.droppedByTransform).toBe(t.dropped);
    expect(f.accounting.balanced).toBe(true);
    // A 1 MB Lambda buffer of 500 B records: 2,000 records an invocation, one a second at 2,000/s.
    expect(t.invocations).toBeGreaterThan(1_150);
    expect(t.invocations).toBeLessThan(1_250);
  });

  it("a lambda-errors window fails every invocation: each batch is tried 1 + NumberOfRetries times, then goes to processing-failed/", () => {
    const f = only(
      directPut({
        rate: "1000/s",
        size: "1000B",
        warmup: "0s",
        firehose: { buffer: { size: "5MiB", interval: "60s" }, transform: { retries: 3 }, destination: { kind: "s3" } },
        faults: [{ at: "5m", kind: "lambda-errors", firehose: "fh", for: "2m", share: 1 }],
      }),
    );
    const t = f.transform!;
    expect(t.failedBatches).toBeGreaterThan(0);
    expect(t.failedInvocations).toBe(4 * t.failedBatches);
    // The batches of the 2 minutes: 120,000 records (± the batch straddling each edge: 1 MB = 1,000 records).
    expect(t.failedBatchRecords).toBeGreaterThanOrEqual(120_000 - 2_000);
    expect(t.failedBatchRecords).toBeLessThanOrEqual(120_000 + 2_000);
    expect(f.accounting.processingFailed).toBe(t.failedBatchRecords);
    expect(f.accounting.balanced).toBe(true);
  });

  it("with a Kinesis stream as source at most 5 invocations run per shard: a slow function builds a backlog", () => {
    const r = simulate(
      scenarioOf({
        duration: "10m",
        stream: { name: "clicks", shards: 2 },
        producers: [{ name: "web", client: "sdk", instances: 2, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
        // 2 MB/s in 1 MB invocations of 10 s each: 20 would have to run at once, 10 may (5 × 2 shards).
        firehose: [{ name: "fh", source: "clicks", transform: { duration: { perInvocation: "10s", perMB: "0ms" } }, destination: { kind: "s3" } }],
      }),
    );
    const t = only(r).transform!;
    expect(t.concurrency).toBe(10);
    expect(t.maxRunning).toBe(10);
    // At most 10 invocations per 10 s: the transformed rate is 1 MB/s, half the input; the rest waits.
    expect(only(r).accounting.inside.transform).toBeGreaterThan(250_000);
  });
});

describe("Direct PUT quotas", () => {
  it("10,000 records/s of 1 KiB against 5 MiB/s: the delivery stream takes 5 MiB/s and throttles the rest", () => {
    const f = only(directPut({ rate: "10000/s", size: "1KiB", firehose: { destination: { kind: "s3" } } }));
    const seconds = 1_080;
    expect(f.incoming.bytes / seconds / 5_242_880).toBeGreaterThan(0.99);
    expect(f.incoming.bytes / seconds / 5_242_880).toBeLessThan(1.001);
    expect(f.directPut!.throttled).toBeGreaterThan(0);
  });

  it("3,000 PutRecord calls/s against 2,000 requests/s: 2,000 records/s get in", () => {
    const f = only(directPut({ rate: "3000/s", size: "100B", producer: { api: "PutRecord" }, firehose: { destination: { kind: "s3" } } }));
    expect(f.incoming.records / 1_080 / 2_000).toBeGreaterThan(0.99);
    expect(f.incoming.records / 1_080 / 2_000).toBeLessThan(1.001);
    expect(f.directPut!.throttledCalls).toBeGreaterThan(0);
  });

  it("settable quotas (another region: 1 MiB/s): half of 2 MiB/s throttled", () => {
    const f = only(directPut({ rate: "2048/s", size: "1KiB", firehose: { quotas: { bytes: "1MiB/s" }, destination: { kind: "s3" } } }));
    expect(f.incoming.bytes / 1_080 / 1_048_576).toBeCloseTo(1, 2);
  });
});

describe("a Kinesis stream as source", () => {
  it("polls each shard once a second, from LATEST, and delivers the data blobs (not the partition keys)", () => {
    const r = simulate(
      scenarioOf({
        duration: "10m",
        warmup: "1m",
        stream: { name: "clicks", shards: 4 },
        producers: [{ name: "web", client: "sdk", instances: 4, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "600B" }, partitionKey: { kind: "random", length: 36 } }],
        firehose: [{ name: "fh", source: "clicks", buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "s3" } }],
      }),
    );
    const f = only(r);
    const sr = f.sourceRead!;
    // 4 shards × 540 s after warmup.
    expect(sr.getRecordsCalls).toBe(4 * 540);
    expect(sr.throttledCalls).toBe(0);
    expect(f.delivered.bytes / f.delivered.records).toBe(600);
    expect(sr.read + sr.unread + sr.expiredUnread).toBe(r.accounting.accepted);
    expect(f.accounting.balanced).toBe(true);
  });

  it("KPL aggregates arrive de-aggregated: the delivery stream counts user records", () => {
    const r = simulate(
      scenarioOf({
        duration: "5m",
        stream: { name: "clicks", shards: 2 },
        producers: [{ name: "events", client: "kpl", instances: 2, rate: { shape: "constant", value: "3000/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        firehose: [{ name: "fh", source: "clicks", buffer: { interval: "10s" }, destination: { kind: "s3" } }],
      }),
    );
    const f = only(r);
    expect(f.sourceRead!.read + f.sourceRead!.unread).toBe(r.accounting.accepted);
    expect(f.accounting.in).toBe(f.sourceRead!.read);
    expect(f.accounting.in).toBeGreaterThan(0.95 * r.accounting.accepted);
  });
});

describe("destinations slower than their input", () => {
  it("Redshift: COPYs run one at a time, so a 20 s COPY against 5 s buffers loads four staged objects per COPY", () => {
    const f = only(
      directPut({
        rate: "100/s",
        size: "1000B",
        warmup: "2m",
        firehose: { buffer: { size: "5MiB", interval: "5s" }, destination: { kind: "redshift", copy: { fixed: "20s", perMiB: "0ms" } } },
      }),
    );
    // 1,080 s after warmup / 20 s per COPY.
    expect(f.copies.count).toBeGreaterThanOrEqual(53);
    expect(f.copies.count).toBeLessThanOrEqual(55);
    expect(f.copies.objects / f.copies.count).toBeCloseTo(4, 1);
    // A record waits for its buffer (≤ 5 s), for the running COPY to end (≤ 20 s) and for its own (20 s).
    expect(f.deliveryLatency.p50).toBeGreaterThan(20 * S);
    expect(f.deliveryLatency.max).toBeLessThan(50 * S);
  });

  it("OpenSearch at 1 MiB/s under 2 MiB/s of input: the buffer grows, bulk requests of the size hint go at the domain's throughput", () => {
    const f = only(
      directPut({
        rate: "2048/s",
        size: "1KiB",
        firehose: { buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "opensearch", throughput: "1MiB/s", requestLatency: { dist: "fixed", value: "1ms" } } },
      }),
    );
    expect(f.delivered.bytes / 1_080 / 1_048_576).toBeGreaterThan(0.97);
    expect(f.delivered.bytes / 1_080 / 1_048_576).toBeLessThan(1.03);
    // Requests stay within the 5 MiB hint; what the domain cannot take waits in the growing buffer: about half
    // of the input, 1 MiB/s × 1,200 s.
    expect(f.objects.bytes.max).toBeLessThanOrEqual(5 * 1_048_576 * 1.001);
    expect(f.accounting.inside.buffer).toBeGreaterThan(0.45 * f.accounting.in);
    expect(f.maxDataFreshness).toBeGreaterThan(500 * S);
    expect(f.accounting.balanced).toBe(true);
  });

  it("a destination-slowdown window makes the S3 puts started in it take `factor` times as long", () => {
    const f = only(
      directPut({
        rate: "1000/s",
        size: "1000B",
        warmup: "0s",
        firehose: { buffer: { size: "5MiB", interval: "10s" }, destination: { kind: "s3", putLatency: { dist: "fixed", value: "1s" } } },
        faults: [{ at: "0s", kind: "destination-slowdown", firehose: "fh", for: "30m", factor: 30 }],
      }),
    );
    // Every put takes 30 s instead of 1 s: delivery latency ≈ 5.24 / 2 + 30 s.
    expect(f.deliveryLatency.mean).toBeGreaterThan(32 * S);
    expect(f.deliveryLatency.mean).toBeLessThan(33.5 * S);
  });
});

describe("granularity", () => {
  it("record granularity agrees with batches: same objects, delivery latency within one batch window (Poisson arrivals, Direct PUT to S3)", () => {
    const run = (granularity: "batch" | "record") =>
      only(
        simulate(
          scenarioOf({
            duration: "10m",
            warmup: "1m",
            fidelity: { granularity },
            stream: { name: "unused", shards: 1 },
            producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: "500/s" }, recordSize: { dist: "fixed", size: "1000B" }, deliveryStream: "fh" }],
            firehose: [{ name: "fh", source: "direct-put", buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "s3", putLatency: { dist: "fixed", value: "100ms" } } }],
          }),
        ),
      );
    const batch = run("batch");
    const record = run("record");
    // 1 MiB at 500 KB/s: a flush every ~2.1 s, by size.
    expect(batch.flushes.interval).toBe(0);
    expect(record.flushes.interval).toBe(0);
    expect(Math.abs(meanObjectBytes(record) - meanObjectBytes(batch)) / meanObjectBytes(batch)).toBeLessThan(0.01);
    // Latency: 2.097 s / 2 in the buffer + 0.1 s put + ~0.05 s in the producer (record: 1.20 s). Batches hand
    // a window's records over at its end, half a 100 ms window later on average: within one window.
    expect(record.deliveryLatency.mean).toBeGreaterThan(1.15 * S);
    expect(record.deliveryLatency.mean).toBeLessThan(1.25 * S);
    expect(Math.abs(record.deliveryLatency.mean - batch.deliveryLatency.mean)).toBeLessThan(0.1 * S);
    expect(record.accounting.balanced && batch.accounting.balanced).toBe(true);
  });
});

describe("interval 0 (zero buffering) at batch and record granularity: the same objects and invocations, one a second", () => {
  // Before, each producer batch of a read (batch granularity) or each record (record granularity) was its own object
  // and its own invocation: 6,000 against 22,469 objects in 5 minutes (review h82's probe). Now what has arrived is
  // delivered (and transformed) at each whole second, however finely it arrived.
  const run = (granularity: "batch" | "record", source: "stream" | "direct-put") =>
    only(
      simulate(
        scenarioOf({
          duration: "4m",
          warmup: "1m",
          fidelity: { granularity },
          stream: { name: "clicks", shards: 2 },
          producers: [
            {
              name: "web",
              client: "sdk",
              instances: 4,
              rate: { shape: "poisson", value: "600/s" },
              recordSize: { dist: "lognormal", median: "700B", p99: "4KiB" },
              partitionKey: { kind: "random", length: 36 },
              ...(source === "stream" ? { stream: "clicks" } : { deliveryStream: "fh" }),
            },
          ],
          firehose: [
            {
              name: "fh",
              source: source === "stream" ? "clicks" : "direct-put",
              buffer: { size: "64MiB", interval: "0s" },
              ...(source === "stream" ? { transform: { buffer: { size: "1MB", interval: "0s" }, duration: { perInvocation: "50ms", perMB: "400ms" } } } : {}),
              destination: { kind: "s3", putLatency: { dist: "fixed", value: "100ms" } },
            },
          ],
        }),
      ),
    );
  const near = (a: number, b: number, tolerance: number) => expect(Math.abs(a / b - 1), `${a} vs ${b}`).toBeLessThan(tolerance);

  it("a 2-shard stream source with a transformation: an invocation a second over the 4-minute run (240), an object a second over the 3 minutes after warmup (180), at either granularity", () => {
    const batch = run("batch", "stream");
    const record = run("record", "stream");
    for (const f of [batch, record]) {
      // 600 records/s of ~934 B (~0.56 MB/s) never fill the 1 MB transformation buffer in a second: one invocation a
      // second over the run's 240 s (the first read at 0 s), one object a second over the 180 s after warmup.
      near(f.transform!.invocations, 240, 0.01);
      near(f.objects.count, 180, 0.01);
      expect(f.accounting.balanced).toBe(true);
    }
    near(record.objects.count, batch.objects.count, 0.02);
    near(record.transform!.invocations, batch.transform!.invocations, 0.02);
  });

  it("Direct PUT: 180 objects after warmup at either granularity", () => {
    const batch = run("batch", "direct-put");
    const record = run("record", "direct-put");
    near(batch.objects.count, 180, 0.01);
    near(record.objects.count, batch.objects.count, 0.02);
  });
});

describe("a scenario without a stream (Direct PUT only)", () => {
  const o = { rate: "1000/s", size: "1000B", duration: "5m", warmup: "1m", firehose: { buffer: { size: "1MiB", interval: "60s" } } };
  const withStream = directPut(o);
  const without = directPut({ ...o, noStream: true });

  it("runs the delivery stream exactly as with an idle stream beside it", () => {
    expect(without.firehose).toEqual(withStream.firehose);
    expect(without.producers).toEqual(withStream.producers);
  });

  it("reports no stream, no shards, and no Kinesis Data Streams cost (1 shard × 730 h × $0.015 = $10.95 with the idle one)", () => {
    expect(without.stream.declared).toBe(false);
    expect(without.stream.shardCount).toBe(0);
    expect(without.shards).toEqual([]);
    expect(without.cost.items.map((i) => i.item)).toEqual(["Firehose fh: ingestion", "Firehose fh: S3 PUT requests"]);
    expect(withStream.cost.items.find((i) => i.item === "shard-hours")!.usd).toBeCloseTo(10.95, 9);
    expect(withStream.cost.total - without.cost.total).toBeCloseTo(10.95, 9);
  });
});
