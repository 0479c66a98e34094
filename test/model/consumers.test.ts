// Consumers against the documented references (Kinesis developer guide, KCL defaults: docs/limits.md).
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "./scenarioOf.js";

const H = 3_600_000_000;

function run(input: Record<string, unknown>): RunResult {
  return simulate(scenarioOf(input));
}

const smallWrites = { name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "500/s" }, recordSize: { dist: "fixed", size: "200B" } };
const mean = (r: RunResult, f: (c: RunResult["consumers"][number]) => number) => r.consumers.reduce((s, c) => s + f(c), 0) / r.consumers.length;

describe("put-to-process latency of polling and fan-out consumers", () => {
  it("one KCL app polling every 1 s: mean ≈ half the poll period plus the call latency (530 ms with a fixed 20 ms call)", () => {
    // A call every 1,000 ms idle + 20 ms call = 1,020 ms; a record waits on average half of that for the next
    // call, then the call's 20 ms: 530 ms (processing takes no time here).
    const r = run({
      duration: "10m",
      warmup: "1m",
      stream: { shards: 1 },
      producers: [smallWrites],
      consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, poll: { interval: "1s", latency: { dist: "fixed", value: "20ms" } } }],
    });
    const c = r.consumers[0]!;
    expect(c.readThrottles).toBe(0);
    expect(Math.abs(c.putToProcess.mean / 1000 - 530) / 530).toBeLessThan(0.05);
  });

  it("five apps polling every 200 ms share 5 calls/s: calls are throttled and latency grows from ~130 ms to about 1 s", () => {
    const consumers = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `app${i}`, kind: "kcl", kcl: { version: 2 }, poll: { interval: "200ms", latency: { dist: "fixed", value: "20ms" } } }));
    const base = { duration: "10m", warmup: "1m", stream: { shards: 1 }, producers: [smallWrites] };
    const one = run({ ...base, consumers: consumers(1) });
    const five = run({ ...base, consumers: consumers(5) });
    // Alone: (200 + 20)/2 + 20 = 130 ms, within 10%.
    expect(Math.abs(one.consumers[0]!.putToProcess.mean / 1000 - 130) / 130).toBeLessThan(0.1);
    expect(one.consumers[0]!.readThrottles).toBe(0);
    // Together they ask for 5 × 4.5 = 22.7 calls/s of the shard's 5: most calls are throttled and each app is
    // left with about one successful call a second.
    expect(mean(five, (c) => c.readThrottles / c.getRecordsCalls)).toBeGreaterThan(0.3);
    const latency = mean(five, (c) => c.putToProcess.mean) / 1000;
    expect(latency).toBeGreaterThan(600);
    expect(latency).toBeLessThan(2_500);
  });

  it("five apps polling every 1 s: 4.9 calls/s fit the 5/s limit, but reading ~2 MiB/s between them throttles and latency passes 1 s", () => {
    // 400 records/s of 1 KiB (+36 B key): each app reads 414 KB/s, five read 2.07 MB/s > 2 MiB/s (2,097,152 B/s
    // less the key bytes' margin). With little data the same five apps are not throttled at all.
    const heavy = { name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "400/s" }, recordSize: { dist: "fixed", size: "1KiB" } };
    const consumers = Array.from({ length: 5 }, (_, i) => ({ name: `app${i}`, kind: "kcl", kcl: { version: 2 }, poll: { interval: "1s" } }));
    const light = run({ duration: "10m", warmup: "1m", stream: { shards: 1 }, producers: [smallWrites], consumers });
    const loaded = run({ duration: "10m", warmup: "1m", stream: { shards: 1 }, producers: [heavy], consumers });
    expect(mean(light, (c) => c.readThrottles)).toBe(0);
    expect(mean(loaded, (c) => c.readThrottles / c.getRecordsCalls)).toBeGreaterThan(0.2);
    expect(mean(loaded, (c) => c.putToProcess.mean)).toBeGreaterThan(1_000_000);
  });

  it("enhanced fan-out stays near 70 ms whatever the number of consumers (1 or 5)", () => {
    // Default propagation: lognormal, median 65 ms, p99 150 ms: mean = 65·exp(σ²/2), σ = ln(150/65)/2.3263 → 69.3 ms.
    const sigma = Math.log(150 / 65) / 2.3263478740408408;
    const expected = 65 * Math.exp((sigma * sigma) / 2);
    for (const n of [1, 5]) {
      const r = run({
        duration: "10m",
        warmup: "1m",
        stream: { shards: 1 },
        producers: [smallWrites],
        consumers: Array.from({ length: n }, (_, i) => ({ name: `efo${i}`, kind: "fanout", kcl: { version: 2 } })),
      });
      for (const c of r.consumers) {
        expect(Math.abs(c.putToProcess.mean / 1000 - expected) / expected, `${n} consumers`).toBeLessThan(0.05);
        expect(c.getRecordsCalls).toBe(0);
      }
    }
  });
});

describe("a provisioned lease table at 10 WCU", () => {
  // Each held lease is renewed every failover/3 − 25 ms = 3,308 ms: 0.30230 writes/s. 10 WCU carry
  // 10 / 0.30230 = 33.08 leases. With `burst: 10s` the table's burst credit is small, so the steady state
  // shows within minutes (the default 300 s of burst only delays the onset).
  const lease = (shards: number, checkpoint: Record<string, unknown>) =>
    run({
      duration: "1h",
      warmup: "10m",
      fidelity: { window: "1s" },
      stream: { shards },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: `${shards * 2}/s` }, recordSize: { dist: "fixed", size: "100B" } }],
      consumers: [
        {
          name: "app",
          kind: "kcl",
          kcl: { version: 2 },
          checkpoint,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          leaseTable: { capacity: "provisioned", read: 10, write: 10, burst: "10s" },
        },
      ],
    }).consumers[0]!;

  it("with no checkpoints: 33 shards renew without throttling, 34 shards are throttled (onset at 10 / 0.3023 = 33.08)", () => {
    expect(lease(33, {}).leases!.renewalsThrottled).toBe(0);
    expect(lease(34, {}).leases!.renewalsThrottled).toBeGreaterThan(0);
  });

  it("with checkpoints every 10 s the onset moves down to 25–26 shards, where the arithmetic puts it", () => {
    // Checkpoints follow batches: one poll every 1,500 ms idle + 20 ms call = 1.52 s, so "every 10 s" is every
    // 7 polls = 10.64 s: 0.0940 writes/s. Per lease 0.30230 + 0.0940 = 0.3963 writes/s: 10 / 0.3963 = 25.2.
    const ok = lease(25, { every: "10s" });
    const over = lease(26, { every: "10s" });
    expect(ok.leases!.renewalsThrottled + ok.leases!.checkpointsThrottled).toBe(0);
    expect(over.leases!.renewalsThrottled + over.leases!.checkpointsThrottled).toBeGreaterThan(0);
    expect(ok.leases!.checkpoints).toBeGreaterThan(0);
  });
});

describe("a consumer slower than the write rate", () => {
  // 1,000 records/s written; the consumer processes 2 ms per record = 500/s. A record written at time s is
  // processed at about 2s, so the age of the oldest unprocessed record is t/2: linear.
  // Retention is 24 h: records start to expire once t/2 > 24 h, at t = 48 h; after that 500 records/s expire.
  const r = run({
    duration: "50h",
    fidelity: { window: "1s" },
    stream: { shards: 1 },
    producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "100B" } }],
    consumers: [{ name: "slow", kind: "kcl", kcl: { version: 2 }, processing: { perRecord: "2ms" }, checkpoint: { every: "1m" } }],
  });
  const c = r.consumers[0]!;
  const step = r.resolutionUs;
  const ageAt = (hours: number) => c.series.oldestUnprocessedAge[Math.floor((hours * H) / step)]!;

  it("the oldest unprocessed record ages linearly: 0.5 h per hour of run", () => {
    expect(ageAt(10) / ageAt(2)).toBeCloseTo(5, 1);
    expect(Math.abs(ageAt(10) / H - 5) / 5).toBeLessThan(0.02);
    expect(Math.abs(ageAt(40) / H - 20) / 20).toBeLessThan(0.02);
  });

  it("with a backlog longer than retention it loses exactly the records that aged out", () => {
    const a = c.accounting;
    expect(a.balanced).toBe(true);
    // Records that arrived more than 24 h before the end: 1,000/s × (50 − 24) h (the last 1-s window's 1,000
    // arrive exactly at the cut-off and are kept). Those not processed aged out — except what the consumer had
    // already fetched: the batch in processing and 3 in the prefetch cache, 10,000 records each at most.
    const agedOut = 1_000 * ((50 - 24) * 3_600) - a.processed;
    expect(a.expiredUnread).toBeLessThanOrEqual(agedOut);
    expect(a.expiredUnread).toBeGreaterThanOrEqual(agedOut - 1_000 - 4 * 10_000);
    // And that is 500/s over the 2 h since the consumer fell behind the trim horizon (within 1%).
    expect(Math.abs(a.expiredUnread - 500 * 2 * 3_600) / (500 * 2 * 3_600)).toBeLessThan(0.01);
    expect(c.maxOldestUnprocessedAge / H).toBeCloseTo(24, 1);
  });
});
