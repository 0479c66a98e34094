// The KPL's collector when RecordMaxBufferedTime T is longer than the window (awslabs/amazon-kinesis-producer
// aws/kinesis/core: reducer.h sends what a process's collector holds at its earliest deadline, or when full; collector.h;
// serializable_container.h: a container's deadline is its items' earliest). Two things a process's collector does that
// the model did not:
// - it keeps a full aggregate until its first user record's deadline: pipeline.h collector_put, with aggregation on,
//   calls extend_deadline_from_now(min(50 ms, T / 5)), which is max(its deadline, now + 50 ms) (aws/utils/
//   time_sensitive.h), so only an aggregate flushed at its deadline goes at once. The model sent every full aggregate
//   as it was made.
// - it sends its own records, not the other processes': each record waits for its own process's request. The model
//   sent every process's queued records whenever one process's request fell due, so they waited about 1/k as long.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const run = (o: { instances?: number; rate: unknown; size: string; buffered: string; aggregation?: boolean; shards?: number; duration?: string; warmup?: string }) =>
  simulate(
    scenarioOf({
      seed: 3,
      duration: o.duration ?? "3m",
      warmup: o.warmup ?? "30s",
      stream: { name: "s", shards: o.shards ?? 1 },
      producers: [
        {
          name: "k",
          client: "kpl",
          instances: o.instances ?? 1,
          rate: o.rate,
          recordSize: { dist: "fixed", size: o.size },
          partitionKey: { kind: "random", length: 36 },
          kpl: { recordMaxBufferedTime: o.buffered, aggregationEnabled: o.aggregation ?? true },
        },
      ],
    }),
  ).producers[0]!;

const within = (actual: number, expected: number, tolerance: number) => {
  expect(actual).toBeGreaterThan(expected * (1 - tolerance));
  expect(actual).toBeLessThan(expected * (1 + tolerance));
};

describe("aggregation on, RecordMaxBufferedTime 2 s: an aggregate closed full waits for its first user record's deadline", () => {
  it("one process, 100 records/s of 1 KiB: a PutRecords every 1.88 s with 4 aggregates, records buffered 1.06 s on average", () => {
    // By hand (aggregation format): a 1 KiB record's entry is 1 + 2 + (1 + 1 + 1 + 2 + 1,024) = 1,032 B and each random
    // 36-byte key adds 1 + 1 + 36 = 38 B, so 20 + 47 × 1,070 = 50,310 B fit AggregationMaxSize (51,200 B) and 48 do not:
    // an aggregate closes every 0.47 s, when its 48th record comes. Its deadline is its first record's + 2 s, which
    // comes after 4 aggregates (0.47, 0.94, 1.41, 1.88 s) and before the 256 KiB a shard that 6 would reach: a PutRecords
    // of 4 every 1.88 s, 180 ÷ 1.88 = 96 in 3 minutes. Its records were born over the 1.88 s from 2 s before it: they
    // wait 2 − 1.88 / 2 = 1.06 s on average. Before: each aggregate went as it was made, 383 requests of 1, 0.24 s.
    const p = run({ rate: { shape: "constant", value: "100/s" }, size: "1KiB", buffered: "2s" });
    within(p.requests, 180 / 1.88, 0.1);
    within(p.clientMetrics.meanBufferingTimeMs!, 1_060, 0.1);
    within(p.clientMetrics.kinesisRecordsPerPutRecords!, 4, 0.1);
  });

  it("control: at 10 records/s no aggregate fills, and each goes at its deadline, as before (1.05 s, a request every 2.1 s)", () => {
    // By hand: a buffer takes the records of the 2 s after its first, 1 + 20 on average (far from 47), and goes when its
    // first is 2 s old: a request every 2 + 0.1 s, and a record waits (2 + 20 × 1) / 21 = 1.05 s on average.
    const p = run({ rate: { shape: "poisson", value: "10/s" }, size: "1KiB", buffered: "2s" });
    within(p.requests, 180 / 2.1, 0.1);
    within(p.clientMetrics.meanBufferingTimeMs!, 1_050, 0.1);
  });
});

describe("aggregation off, several processes: each record waits for its own process's PutRecords", () => {
  // By hand (reducer.h; with aggregation off no deadline is extended): a process with r records a second sends
  // T after the first record it holds, every T + 1/r, with 1 + rT records. The first waits T, the rT others on average
  // T/2: a mean wait of (T + rT · T/2) / (1 + rT), whatever the number of processes.
  const wait = (r: number, T: number) => (T + r * T * (T / 2)) / (1 + r * T);

  it("10 processes, 1,000 records/s of 1 KiB, T = 500 ms: 255 ms on average (it was 50 ms), 51 records a request", () => {
    // r = 100/s a process: every 0.51 s with 51 records, 10 × 180 / 0.51 = 3,529 requests; (0.5 + 50 × 0.25) / 51 = 0.255 s.
    const p = run({ instances: 10, rate: { shape: "poisson", value: "1000/s" }, size: "1KiB", buffered: "500ms", aggregation: false, shards: 4 });
    within(p.clientMetrics.meanBufferingTimeMs!, wait(100, 0.5) * 1_000, 0.1);
    within(p.requests, (10 * 180) / 0.51, 0.05);
    within(p.clientMetrics.kinesisRecordsPerPutRecords!, 51, 0.05);
  });

  it("3 processes, 6 records/s of 100 KiB, T = 2 s: 1.2 s on average (it was 0.42 s), 5 records a request", () => {
    // r = 2/s a process: every 2.5 s with 5 records, 3 × 600 / 2.5 = 720 requests in 10 minutes; (2 + 4 × 1) / 5 = 1.2 s.
    const p = run({ instances: 3, rate: { shape: "poisson", value: "6/s" }, size: "100KiB", buffered: "2s", aggregation: false, duration: "10m", warmup: "1m" });
    within(p.clientMetrics.meanBufferingTimeMs!, wait(2, 2) * 1_000, 0.1);
    within(p.requests, (3 * 600) / 2.5, 0.1);
  });

  it("control: one process at 2 records/s of 100 KiB waits the same 1.2 s, as before", () => {
    const p = run({ rate: { shape: "poisson", value: "2/s" }, size: "100KiB", buffered: "2s", aggregation: false, duration: "10m", warmup: "1m" });
    within(p.clientMetrics.meanBufferingTimeMs!, wait(2, 2) * 1_000, 0.1);
    within(p.requests, 600 / 2.5, 0.1);
  });
});
