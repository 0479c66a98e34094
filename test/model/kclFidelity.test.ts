// What the KCL and the shard's read limits really do (issue 10), each against its source or a closed form:
// - the polling fetcher's back-off after a throttled GetRecords (KCL ≥ 2.4.7, PR #1062);
// - the GetRecords read penalty: a call returning 10 MiB throttles the shard's calls for the next 5 s (API
//   Reference GetRecords).
import { describe, expect, it } from "vitest";
import { build } from "../../src/model/build.js";
import { Stream } from "../../src/model/kinesis/stream.js";
import { simulate } from "../../src/model/simulate.js";
import { judge } from "../../src/result/judge.js";
import { summarise } from "../../src/result/summarise.js";
import { StreamSchema } from "../../src/spec/index.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;
const MiB = 1_048_576;

describe("a throttled GetRecords: the SDK's retries, then the KCL sleeps its whole idle time (KCL 2.4.7+, PR #1062)", () => {
  // One shard whose read budget is in debt for the first 100 s (200 MiB charged at t = 0, repaid at 2 MiB/s):
  // every call in that time is throttled. A round is three SDK attempts — the call, a retry after U[250, 500] ms
  // (equal jitter on the 500 ms throttling base), a retry after U[500, 1000] ms — and then the KCL's fetcher
  // sleeps idleTimeBetweenReads (1.5 s) before the next round. With a fixed 10 ms call:
  //   E[round] = 3 × 10 + 375 + 750 + 1,500 = 2,655 ms, so 100 s hold 3 × 100 / 2.655 ≈ 113 calls.
  // Before KCL 2.4.7 the fetcher called again at once: E[round] = 1,155 ms, ≈ 260 calls.
  function throttledCalls(seconds: number): { calls: number; throttled: number } {
    const scenario = scenarioOf({
      duration: `${seconds}s`,
      warmup: "0s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "fixed", size: "100B" } }],
      consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, poll: { latency: { dist: "fixed", value: "10ms" } } }],
    });
    const model = build(scenario);
    model.stream!.chargeRead(0, 0, 200 * MiB);
    const r = summarise(simulate(model));
    const c = r.consumers[0]!;
    return { calls: c.getRecordsCalls, throttled: c.readThrottles };
  }

  it("100 s of a spent read budget hold about 113 calls (3 per 2.655 s round), not the 260 of an immediate retry", () => {
    const { calls, throttled } = throttledCalls(99);
    expect(throttled).toBe(calls);
    const expected = (3 * 99) / 2.655;
    expect(calls).toBeGreaterThan(expected - 6);
    expect(calls).toBeLessThan(expected + 6);
  });
});

describe("the GetRecords read penalty (API Reference GetRecords: after a call that returns 10 MiB, calls within the next 5 s are throttled)", () => {
  const stream = () => new Stream(StreamSchema.parse({ shards: 1 }), "s", 120 * S, S, 0);

  it("a 10 MiB call blocks the shard's next calls for 5 s, even after a minute of idle credit", () => {
    const s = stream();
    s.chargeRead(0, 60 * S, 10 * MiB);
    expect(s.getRecordsCall(0, 60 * S + 4.99 * S)).toBe("bytes");
    expect(s.getRecordsCall(0, 65 * S)).toBe("ok");
  });

  it("a call larger than the budget holds is repaid in full (3 MiB: 1.5 s); one it covers spends credit and blocks nothing", () => {
    const s = stream();
    // Idle until 10 s: 1 s of credit (2 MiB, the default readBurst). A 1 MiB call spends half of it.
    s.chargeRead(0, 10 * S, MiB);
    expect(s.getRecordsCall(0, 10 * S)).toBe("ok");
    // 1 MiB of credit left: a 3 MiB call overdraws it and is repaid from nothing, 3 MiB at 2 MiB/s.
    s.chargeRead(0, 10 * S, 3 * MiB);
    expect(s.getRecordsCall(0, 11.49 * S)).toBe("bytes");
    expect(s.getRecordsCall(0, 11.5 * S)).toBe("ok");
  });

  it("a refused call says which limit refused it: five calls in one instant, then a sixth over the 5 calls/s", () => {
    const s = stream();
    const answers = [1, 2, 3, 4, 5, 6].map(() => s.getRecordsCall(0, 30 * S));
    expect(answers).toEqual(["ok", "ok", "ok", "ok", "ok", "calls"]);
  });
});

describe("the polling prefetch cache holds at most 3 batches, 8 MiB and 30,000 records (SimpleRecordsFetcherFactory, PrefetchCounters.shouldGetNewRecords)", () => {
  // 400 records/s of 2 KiB into one shard, processed at 5 ms a record (200/s): a backlog builds, and every
  // GetRecords returns its 10 MiB cap: 10,485,760 / (2,048 + 36 key bytes) ≈ 5,031 records. A cached 10 MiB batch is
  // over the 8 MiB cap, so the fetcher reads ahead one batch besides the one in processing: about 2 × 5,031
  // records read and not processed at any time (with the batch cap alone, 3 cached + 1: about 4 × 5,031).
  it("with 10 MiB batches the fetcher holds one batch besides the one in processing (about 10,060 records read ahead, not 20,120)", () => {
    const scenario = scenarioOf({
      duration: "5m",
      warmup: "0s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "400/s" }, recordSize: { dist: "fixed", size: "2KiB" } }],
      consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", processing: { perRecord: "5ms" } }],
    });
    const r = summarise(simulate(build(scenario)));
    const c = r.consumers[0]!;
    const perBatch = Math.floor(10 * MiB / (2048 + 36));
    const readAhead = c.recordsRead - c.accounting.processed;
    expect(readAhead).toBeGreaterThan(perBatch);
    expect(readAhead).toBeLessThanOrEqual(2 * perBatch + 2);
  });

  it("with 10 batches allowed, 30,000 records still stop it: 3 batches of 10,000 small records ahead, besides the one in processing", () => {
    // 1,000 records/s of 100 B per shard, processed at 2 ms a record (500/s): a backlog builds and each call returns
    // its 10,000-record cap (about 1.4 MB, far under 8 MiB). Cached batches stop at 30,000 records: at most
    // 4 × 10,000 read ahead per shard (with 10 batches allowed and no record cap, up to 11 × 10,000).
    const scenario = scenarioOf({
      duration: "3m",
      warmup: "0s",
      stream: { shards: 2 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "100B" } }],
      consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", processing: { perRecord: "2ms" }, prefetch: { batches: 10 } }],
    });
    const r = summarise(simulate(build(scenario)));
    const c = r.consumers[0]!;
    const readAheadPerShard = (c.recordsRead - c.accounting.processed) / 2;
    expect(readAheadPerShard).toBeGreaterThan(30_000);
    expect(readAheadPerShard).toBeLessThanOrEqual(40_000);
  });
});

describe("iterator age means what CloudWatch means (GetRecords.IteratorAgeMilliseconds, SubscribeToShardEvent.MillisBehindLatest)", () => {
  // 500 records/s into one shard; a polling app calling every 1 s (fixed 20 ms calls, no processing time) and a
  // fan-out app, both caught up.
  const r = (() => {
    const scenario = scenarioOf({
      duration: "5m",
      warmup: "30s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "500/s" }, recordSize: { dist: "fixed", size: "200B" } }],
      consumers: [
        { name: "poller", kind: "kcl", kcl: { version: 2 }, poll: { interval: "1s", latency: { dist: "fixed", value: "20ms" } } },
        { name: "pushed", kind: "fanout", kcl: { version: 2 } },
      ],
    });
    return summarise(simulate(build(scenario)));
  })();

  it("a caught-up polling consumer: the last record a call returns arrived moments before it (at most a producer window, 100 ms), not the 1 s its oldest record waited", () => {
    const c = r.consumers[0]!;
    // Records arrive every producer window (100 ms) and wait for the next call: the oldest waits up to the
    // 1,000 ms idle time + the 20 ms call (sampled once a second, so the highest sample is a little under).
    expect(c.maxIteratorAge / 1000).toBeLessThanOrEqual(100 + 20);
    expect(c.maxOldestUnprocessedAge / 1000).toBeGreaterThanOrEqual(900);
    expect(c.maxOldestUnprocessedAge / 1000).toBeLessThanOrEqual(1_020 + 100 + 20);
  });

  it("an SLO copied from a CloudWatch alarm (iterator age ≤ 500 ms) is met by the caught-up poller; the oldest-unprocessed SLO of the same bound is not", () => {
    const scenario = scenarioOf({
      duration: "2m",
      warmup: "10s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "500/s" }, recordSize: { dist: "fixed", size: "200B" } }],
      consumers: [{ name: "poller", kind: "kcl", kcl: { version: 2 }, poll: { interval: "1s", latency: { dist: "fixed", value: "20ms" } } }],
      slo: { maxIteratorAge: "500ms", maxOldestUnprocessedAge: "500ms" },
    });
    const v = judge(summarise(simulate(build(scenario))));
    expect(v.slos.map((x) => [x.name, x.met])).toEqual([
      ["maxIteratorAge", true],
      ["maxOldestUnprocessedAge", false],
    ]);
  });

  it("a caught-up fan-out consumer: every event reaches the tip, MillisBehindLatest 0", () => {
    const c = r.consumers[1]!;
    expect(c.maxIteratorAge).toBe(0);
    expect(c.maxOldestUnprocessedAge).toBeGreaterThan(0);
  });

  it("a consumer that falls behind: the last record a call returns is old, and both measures grow together", () => {
    const scenario = scenarioOf({
      duration: "5m",
      warmup: "0s",
      stream: { shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "200B" } }],
      // 250 records/s processed of 500/s offered: after t seconds the backlog is 250·t records, t/2 seconds old.
      consumers: [{ name: "slow", kind: "kcl", kcl: { version: 2 }, processing: { perRecord: "4ms" }, prefetch: { batches: 1 } }],
    });
    const c = summarise(simulate(build(scenario))).consumers[0]!;
    // Batches are 10,000 records (40 s of processing) and count as processed when done: the k-th batch ends about
    // 40k s in, when the first record of the next one (arrived at 20k s) is 20k s old, and it is 40 s older
    // when that batch ends. Near 300 s (k ≈ 6.5): about 20 × 6.5 + 40 = 170 s. With one batch of prefetch the
    // call for batch k + 1 is made as batch k starts (40k s in) and returns records up to those that arrived at
    // 20(k + 2) s: its last record is 20k − 40 s old, and that age grows by 20 s a call (40 s apart): about 90 s
    // at the last call before 300 s. CloudWatch's iterator age lags the backlog, but it shows it.
    expect(c.maxOldestUnprocessedAge / 1e6).toBeGreaterThan(160);
    expect(c.maxOldestUnprocessedAge / 1e6).toBeLessThan(175);
    expect(c.maxIteratorAge / 1e6).toBeGreaterThan(80);
    expect(c.maxIteratorAge / 1e6).toBeLessThan(c.maxOldestUnprocessedAge / 1e6 - 40);
  });
});
