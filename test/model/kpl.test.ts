// The KPL producer (awslabs/amazon-kinesis-producer): aggregation, the per-shard rate limiter, retries until RecordTtl.
import { describe, expect, it } from "vitest";
import { RandomStream, lognormalFromMedianP99 } from "../../src/engine/random.js";
import { Aggregate, keyEntrySize, recordEntrySize } from "../../src/model/producers/kplAggregation.js";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const smallRecords = (client: "sdk" | "kpl", extra: Record<string, unknown> = {}) =>
  scenarioOf({
    duration: "5m",
    warmup: "30s",
    stream: { shards: 2 },
    producers: [{ name: "p", client, instances: 4, rate: { shape: "poisson", value: "5000/s" }, recordSize: { dist: "fixed", size: "100B" }, ...extra }],
  });

describe("aggregation changes which limit binds", () => {
  it("5,000 records/s of 100 B on 2 shards: records-bound with the SDK (2,000/s of capacity), fits with KPL aggregation", () => {
    const sdk = simulate(smallRecords("sdk")).producers[0]!;
    const kpl = simulate(smallRecords("kpl")).producers[0]!;
    // SDK: 2 shards accept 2,000 records/s of the 5,000 offered: most attempts are throttled and records lost.
    expect(sdk.throttledAttempts / sdk.attempts).toBeGreaterThan(0.5);
    expect(sdk.lost.throttledPastRetries).toBeGreaterThan(0.5 * sdk.offered);
    // KPL: a few dozen user records per Kinesis record; nothing throttled, everything accepted but what the collectors
    // still hold at the end (the last window's due aggregates waiting out their collector's min(50 ms, T / 5): fewer
    // than the window's 500 records).
    expect(kpl.throttledAttempts).toBe(0);
    expect(kpl.accepted + kpl.inFlight.buffered).toBe(kpl.offered);
    expect(kpl.inFlight.buffered).toBeLessThan(500);
    expect(kpl.clientMetrics.userRecordsPerKinesisRecord).toBeGreaterThan(20);
  });
});

describe("expected aggregation against exact packing", () => {
  it("4 processes, 2,000 records/s of lognormal sizes (median 150 B, p99 2 KiB) with random 36-byte keys on 1 shard: Kinesis records and bytes within 3%", () => {
    // 2,000/s × ~330 B = 0.66 MB/s: within the shard's 1 MiB/s, so nothing is throttled or retried.
    const r = simulate(
      scenarioOf({
        duration: "2m",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "kpl", instances: 4, rate: { shape: "poisson", value: "2000/s" }, recordSize: { dist: "lognormal", median: "150B", p99: "2KiB" } }],
      }),
    );
    const p = r.producers[0]!;
    expect(p.throttledAttempts).toBe(0);
    const modelled = { perRecord: p.clientMetrics.userRecordsPerKinesisRecord!, bytes: r.shards[0]!.incomingBytes / p.accepted };

    // Exact, record by record, as the KPL's aggregator (reducer.h) does: each process's records arrive as a
    // Poisson stream (500/s); a buffer opens with a record and is flushed RecordMaxBufferedTime (100 ms) after it,
    // or when the next record would take it past AggregationMaxSize (that record opens the next one). A buffer of
    // one record goes plain, with its own 36-byte key; an aggregate's key is "a" (1 byte).
    const rng = new RandomStream("exact-packing");
    const { mu, sigma } = lognormalFromMedianP99(150, 2048);
    let users = 0;
    let kinesis = 0;
    let bytes = 0;
    const close = (agg: Aggregate) => {
      kinesis++;
      bytes += agg.count === 1 ? agg.dataBytes + 36 : agg.size + 1;
    };
    for (let proc = 0; proc < 4; proc++) {
      let agg = new Aggregate();
      let deadline = 0;
      for (let t = rng.exponential(500); t < 120; t += rng.exponential(500)) {
        const dataBytes = Math.max(1, Math.round(rng.lognormal(mu, sigma)));
        const key = `${proc}-${users}`;
        if (agg.count > 0 && (t >= deadline || agg.sizeWith(key, 36, dataBytes) > 51_200)) {
          close(agg);
          agg = new Aggregate();
        }
        if (agg.count === 0) deadline = t + 0.1;
        agg.add(key, 36, dataBytes);
        users++;
      }
      if (agg.count > 0) close(agg);
    }
    const exact = { perRecord: users / kinesis, bytes: bytes / users };
    expect(Math.abs(modelled.perRecord - exact.perRecord) / exact.perRecord).toBeLessThan(0.03);
    expect(Math.abs(modelled.bytes - exact.bytes) / exact.bytes).toBeLessThan(0.03);
  });
});

describe("a lone user record goes out plain", () => {
  // A buffer (per process and shard) is flushed RecordMaxBufferedTime T after its first user record (reducer.h:
  // the container's deadline is its earliest record's arrival + T), so with Poisson arrivals at λ/T it holds
  // N = 1 + Poisson(λ) user records (AggregationMaxSize fits 441 of these, so the cap never binds). With
  // probability e^−λ it holds one, sent as a plain Kinesis record: 100 B of data + its 8-byte key = 108 B
  // (KinesisRecord::serialize, kinesis_record.cc). Otherwise an aggregate: 20 B fixed + "a" as its key (1 B) + per
  // user record a key-table entry (1 + 1 + 8 = 10 B) and a records entry (recordEntrySize(100, i) = 106 B).
  // Bytes per Kinesis record: e^−λ·108 + (1 − e^−λ)·21 + (1 + λ − e^−λ)·116; user records per Kinesis record 1 + λ.
  const perEntry = keyEntrySize(8) + recordEntrySize(100, 0);
  const closedForm = (lambda: number) => {
    const lone = Math.exp(-lambda);
    const perKinesis = lone * 108 + (1 - lone) * 21 + (1 + lambda - lone) * perEntry;
    return { perKinesis, usersPerKinesis: 1 + lambda, perUser: perKinesis / (1 + lambda) };
  };
  const run = (instances: number, rate: string, duration: string) =>
    simulate(
      scenarioOf({
        duration,
        warmup: "10s",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "kpl", instances, rate: { shape: "poisson", value: rate }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "random", length: 8 } }],
      }),
    );

  it("the closed form's parts: 116 B per aggregated user record; at λ = 1, 242.3 B per Kinesis record", () => {
    expect(perEntry).toBe(116);
    expect(closedForm(1).perKinesis).toBeCloseTo(242.33, 2);
  });

  for (const [instances, rate] of [
    [1, "10/s"],
    [10, "100/s"],
  ] as const) {
    it(`${instances} process${instances > 1 ? "es" : ""} at 10 user records/s each (λ = 1 per 100 ms buffer): 242.3 B per Kinesis record, 2 user records per Kinesis record, within 1.5%`, () => {
      const r = run(instances, rate, instances === 1 ? "1210s" : "310s");
      const p = r.producers[0]!;
      expect(p.throttledAttempts).toBe(0);
      const shard = r.shards[0]!;
      const expected = closedForm(1);
      expect(Math.abs(shard.incomingBytes / shard.incomingRecords / expected.perKinesis - 1)).toBeLessThan(0.015);
      expect(Math.abs(p.clientMetrics.userRecordsPerKinesisRecord! / expected.usersPerKinesis - 1)).toBeLessThan(0.015);
      expect(r.accounting.balanced).toBe(true);
    });
  }

  it("at 0.1 user records/s (λ = 0.01) nearly every buffer holds one record: 108.36 B per user record, not an aggregate's 137 B", () => {
    const r = run(1, "0.1/s", "2010s");
    const p = r.producers[0]!;
    const expected = closedForm(0.01);
    expect(expected.perUser).toBeCloseTo(108.365, 3);
    const shard = r.shards[0]!;
    const perUser = shard.incomingBytes / shard.incomingRecords / p.clientMetrics.userRecordsPerKinesisRecord!;
    expect(Math.abs(perUser - expected.perUser)).toBeLessThan(0.5);
  });
});

describe("the rate limiter, retries and RecordTtl", () => {
  // Aggregation on (the limiter acts only then: with it off the KPL predicts no shard and its limiter passes records on,
  // kplNoLimiter.test.ts), with an AggregationMaxSize that no two 100 B records fit: each goes as a plain record.
  const hot = (kpl: Record<string, unknown>) =>
    simulate(
      scenarioOf({
        duration: "3m",
        warmup: "1m",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "kpl", instances: 1, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "100B" }, kpl: { aggregationMaxSize: "150B", ...kpl } }],
      }),
    ).producers[0]!;

  it("2,000 records/s to one shard, each alone in its Kinesis record: the limiter passes 1,500/s, the shard takes 1,000/s, throttled records come back until RecordTtl (30 s) and then expire", () => {
    const p = hot({});
    const seconds = 120;
    // After warmup the shard accepts 1,000 records/s; what it cannot take is retried, then expires.
    expect(p.accepted / 180).toBeLessThan(1_020);
    expect(p.lost.expiredKplTtl).toBeGreaterThan(0);
    expect(p.lost.throttledPastRetries + p.lost.failedThrottled).toBe(0);
    expect(p.clientMetrics.retriesPerKinesisRecord).toBeGreaterThan(0);
    expect(p.lostAfterWarmup / p.offeredAfterWarmup).toBeCloseTo(0.5, 1);
    expect(p.offeredAfterWarmup).toBe(2_000 * seconds);
  });

  it("with FailIfThrottled, records the shard throttles fail at once (no retries); what the limiter holds back still expires", () => {
    const p = hot({ failIfThrottled: true });
    // The limiter passes 1,500/s; the shard throttles 500/s of those: they fail at once.
    expect(p.lost.failedThrottled / 180).toBeGreaterThan(400);
    expect(p.clientMetrics.retriesPerKinesisRecord).toBe(0);
    // The other 500/s wait behind the limiter until RecordTtl.
    expect(p.lost.expiredKplTtl).toBeGreaterThan(0);
  });

  it("a million processes (one record per buffer) offer 1,500 records/s to each of 4 shards: retried oldest first, none is sent later than RecordTtl (30 s) after its first attempt, and a third of each second's records expire once they have had 30 s", () => {
    const p = simulate(
      scenarioOf({
        duration: "3m",
        warmup: "1m",
        stream: { shards: 4 },
        producers: [{ name: "p", client: "kpl", instances: 1_000_000, rate: { shape: "constant", value: "6000/s" }, recordSize: { dist: "fixed", size: "100B" } }],
      }),
    ).producers[0]!;
    // Records expire wherever they wait in their queue (once expiry looked only at its front and failed batches went back
    // newest first: the oldest hid behind them, nothing expired and records waited 2 minutes). A record's last attempt
    // starts before RecordTtl is up; its response may come a round trip later (the KPL checks RecordTtl when a response
    // fails a record, retrier.cc retry_not_expired, so an attempt that succeeds then still counts): at most 30 s and a
    // round trip, here under 0.2 s (the default's p99 is 100 ms).
    expect(p.putLatency.max).toBeLessThanOrEqual(30_200_000);
    expect(p.lost.expiredKplTtl).toBeGreaterThan(0);
    // Each shard takes 1,000 of 1,500 records/s: a third expire, but those offered in the last 30 s of the 120 s after
    // warmup are still retrying at the end: (1/3) × (1 − 30/120) = 0.25.
    expect(p.lostAfterWarmup / p.offeredAfterWarmup).toBeCloseTo(0.25, 1);
  });

  it("a shorter RecordTtl (5 s) expires records sooner: fewer wait in the KPL at the end", () => {
    const long = hot({});
    const short = hot({ recordTtl: "5s" });
    expect(short.inFlight.buffered + short.inFlight.awaitingRetry).toBeLessThan(long.inFlight.buffered + long.inFlight.awaitingRetry);
  });
});

describe("consumers de-aggregate", () => {
  for (const kind of ["kcl", "fanout"] as const) {
    it(`a ${kind === "kcl" ? "polling KCL" : "fan-out KCL"} application processes the user records inside KPL aggregates (counts and accounting in user records)`, () => {
      const r = simulate(
        scenarioOf({
          duration: "3m",
          stream: { shards: 2 },
          producers: [{ name: "p", client: "kpl", instances: 2, rate: { shape: "constant", value: "3000/s" }, recordSize: { dist: "fixed", size: "200B" } }],
          consumers: [{ name: "app", kind }],
        }),
      );
      expect(r.consumers[0]!.kind).toBe(kind);
      const c = r.consumers[0]!;
      expect(c.accounting.accepted).toBe(r.accounting.accepted);
      expect(c.accounting.processed).toBeGreaterThan(0.95 * r.accounting.accepted);
      // The stream stored far fewer Kinesis records than user records.
      const kinesis = r.shards.reduce((s, x) => s + x.storedRecords, 0);
      expect(kinesis).toBeLessThan(r.accounting.accepted / 10);
    });
  }
});

describe("the KPL's client metrics", () => {
  it("Kinesis records per PutRecords counts both after warmup: one aggregate a request reads 1, not the after-warmup records over the whole run's requests", () => {
    // 10 records/s of 1 KiB with a 2 s RecordMaxBufferedTime: each buffer's aggregate (~21 records, not full) is sent
    // alone at its deadline, one PutRecords each. Before: 0.83 with a 30 s warmup in 3 min (150 s of records over 180 s of requests).
    const p = simulate(
      scenarioOf({
        duration: "3m",
        warmup: "30s",
        seed: 3,
        stream: { shards: 1 },
        producers: [{ name: "k", client: "kpl", rate: { shape: "poisson", value: "10/s" }, recordSize: { dist: "fixed", size: "1KiB" }, kpl: { recordMaxBufferedTime: "2s" } }],
      }),
    ).producers[0]!;
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBe(1);
  });
});
