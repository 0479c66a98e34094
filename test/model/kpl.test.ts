// The KPL producer (awslabs/amazon-kinesis-producer): aggregation, the per-shard rate limiter, retries until RecordTtl.
import { describe, expect, it } from "vitest";
import { RandomStream, lognormalFromMedianP99 } from "../../src/engine/random.js";
import { packAggregates } from "../../src/model/producers/kplAggregation.js";
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
    // KPL: a few dozen user records per Kinesis record; nothing throttled, everything accepted.
    expect(kpl.throttledAttempts).toBe(0);
    expect(kpl.accepted).toBe(kpl.offered);
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

    // Exact: every 100 ms each of the 4 processes packs the records it got (Poisson, 50 a window) with their
    // own sizes and keys; count the Kinesis records and their bytes ("a" as the aggregate's key).
    const rng = new RandomStream("exact-packing");
    const { mu, sigma } = lognormalFromMedianP99(150, 2048);
    let users = 0;
    let kinesis = 0;
    let bytes = 0;
    for (let w = 0; w < 1_200; w++) {
      for (let proc = 0; proc < 4; proc++) {
        const n = rng.poisson(50);
        const records = Array.from({ length: n }, (_, i) => ({ key: `${w}-${proc}-${i}`, keyBytes: 36, dataBytes: Math.max(1, Math.round(rng.lognormal(mu, sigma))) }));
        const sizes = packAggregates(records, 51_200);
        users += n;
        kinesis += sizes.length;
        bytes += sizes.reduce((a, b) => a + b, 0) + sizes.map((_, i) => (n === 1 && i === 0 ? 36 : 1)).reduce((a, b) => a + b, 0);
      }
    }
    const exact = { perRecord: users / kinesis, bytes: bytes / users };
    expect(Math.abs(modelled.perRecord - exact.perRecord) / exact.perRecord).toBeLessThan(0.03);
    expect(Math.abs(modelled.bytes - exact.bytes) / exact.bytes).toBeLessThan(0.03);
  });
});

describe("the rate limiter, retries and RecordTtl", () => {
  const hot = (kpl: Record<string, unknown>) =>
    simulate(
      scenarioOf({
        duration: "3m",
        warmup: "1m",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "kpl", instances: 1, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "100B" }, kpl: { aggregationEnabled: false, ...kpl } }],
      }),
    ).producers[0]!;

  it("2,000 unaggregated records/s to one shard: the limiter passes 1,500/s, the shard takes 1,000/s, throttled records come back until RecordTtl (30 s) and then expire", () => {
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
