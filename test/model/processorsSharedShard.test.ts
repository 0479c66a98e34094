// Two Flink jobs (FlinkKinesisConsumer) sharing a shard's reads (5 GetRecords calls/s, 2 MiB/s): jobs alike in demand
// are refused alike and read alike, whichever was declared first and whatever the seed. Each shard's fetch loop sleeps
// what is left of its 200 ms in whole milliseconds (PollingRecordPublisher.adjustRunLoopFrequency: interval − elapsed
// ms, a long division, then Thread.sleep), so a loop lasts 200 ms and the part of a millisecond its work took; a Spark
// task's loop sleeps the same way.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const flink = (name: string, extra: Record<string, unknown> = {}) => ({ name, kind: "flink", parallelism: 1, processing: { perRecord: "0.01ms" }, ...extra });

function run(o: { seed: number; rate: string; duration: string; consumers: unknown[] }) {
  return simulateScenario(
    scenarioOf({
      seed: o.seed,
      duration: o.duration,
      warmup: "30s",
      stream: { name: "clicks", shards: 1 },
      producers: [{ name: "web", client: "sdk", instances: 4, rate: { shape: "constant", value: o.rate }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random" } }],
      consumers: o.consumers,
    }),
  );
}

/** The smaller of two values as a share of the larger. */
const ratio = ([a, b]: number[]) => Math.min(a!, b!) / Math.max(a!, b!);

describe("a FlinkKinesisConsumer loop sleeps in whole milliseconds", () => {
  // Alone on a shard, the calls from the 1 min warmup to the end of a 6 min run (both instants included), loops from
  // t = 0 (no processing time). A 20 ms round trip is whole milliseconds: 200 − 20 = 180 ms of sleep, a loop every
  // 200 ms, calls k with 60 ≤ 0.2 k ≤ 360, k = 300..1,800: 1,501. A 20.4 ms one counts as 20 ms: 180 ms of sleep after
  // 20.4, a loop every 200.4 ms, 60 ≤ 0.2004 k ≤ 360, k = 300..1,796: 1,497 (before, every 200 ms whatever the round
  // trip: 1,501).
  const alone = (latency: string) =>
    simulateScenario(
      scenarioOf({
        duration: "6m",
        warmup: "1m",
        stream: { name: "orders", shards: 1 },
        producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "200/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        consumers: [{ name: "job", kind: "flink", poll: { latency: { dist: "fixed", value: latency } } }],
      }),
    ).consumers[0]!;

  it("a 20 ms round trip: a loop every 200 ms, 1,501 calls from 60 s to 360 s", () => {
    const c = alone("20ms");
    expect(c.getRecordsCalls).toBe(1501);
    expect(c.readThrottles).toBe(0);
  });

  it("a 20.4 ms round trip: a loop every 200.4 ms, 1,497 calls from 60 s to 360 s", () => {
    const c = alone("20.4ms");
    expect(c.getRecordsCalls).toBe(1497);
    expect(c.readThrottles).toBe(0);
  });
});

describe("a Spark task's loop sleeps in whole milliseconds too", () => {
  // PollingRecordBatchPublisher.adjustToFetchInterval (awslabs/spark-sql-kinesis-connector) sleeps fetchIntervalMs −
  // elapsed ms the same way. A query alone on a shard written at 1,000 records/s, 100 records a call: 5 calls/s read
  // 500 records/s, so its task never catches up and (maxFetchRecordsPerShard out of reach) loops through the run. A
  // 20.4 ms round trip: a loop every 200.4 ms, and the 300 s after warmup hold 1,497.0 loops: 1,497 or 1,498 calls
  // whatever the loop's phase (before, every 200 ms: 1,500 or 1,501).
  it("a 20.4 ms round trip: a loop every 200.4 ms, 1,497 or 1,498 calls in 300 s", () => {
    const c = simulateScenario(
      scenarioOf({
        duration: "6m",
        warmup: "1m",
        stream: { name: "orders", shards: 1 },
        producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "100B" } }],
        consumers: [{ name: "query", kind: "spark", maxFetchRecordsPerShard: 1e9, poll: { maxRecords: 100, latency: { dist: "fixed", value: "20.4ms" } } }],
      }),
    ).consumers[0]!;
    expect(c.readThrottles).toBe(0);
    expect([1497, 1498]).toContain(c.getRecordsCalls);
  });
});

describe("two Flink jobs sharing a shard are refused alike", () => {
  // 100 records/s of 1 KiB: far under 2 MiB/s; two loops of about 5 calls/s each against the shard's 5. Each job's
  // refused calls within 15% of the other's, and the bytes they read within 10%, at two seeds. Before, the loops ran
  // exactly 200 ms apart, in step with the bucket's refill of a call every 200 ms: the job that held the step was
  // admitted every call and the other refused until a backlog it finally read overdrew the byte budget. Seed 1: 2,206
  // and 287 refused, 53.5 and 178.9 MiB read; seed 2: 2,055 and 614. Now 1,744 and 1,630, 178.9 MiB each; 1,744 and
  // 1,568, 179.2 and 178.9 MiB.
  for (const seed of [1, 2]) {
    it(`over 5 calls/s, 30 min, seed ${seed}`, () => {
      const r = run({ seed, rate: "100/s", duration: "30m", consumers: [flink("flink0"), flink("flink1")] });
      expect(ratio(r.consumers.map((c) => c.readThrottles))).toBeGreaterThan(0.85);
      expect(ratio(r.consumers.map((c) => c.bytesRead))).toBeGreaterThan(0.9);
      for (const c of r.consumers) expect(c.accounting.balanced).toBe(true);
    });
  }

  // 950 records/s of 1 KiB (0.93 MiB/s) read by both: 1.86 MiB/s asked of 2, large calls after a refusal overdraw the
  // budget, and most calls are refused while it is repaid. Before, seed 1: 762 and 501 refused, 350 and 539 MiB read;
  // seed 2: 757 and 543, 410 and 509 MiB. Now 752 and 744, 497 and 538 MiB; 757 and 750, 537 and 507 MiB.
  for (const seed of [1, 2]) {
    it(`near 2 MiB/s, 10 min, seed ${seed}`, () => {
      const r = run({ seed, rate: "950/s", duration: "10m", consumers: [flink("flink0"), flink("flink1")] });
      expect(ratio(r.consumers.map((c) => c.readThrottles))).toBeGreaterThan(0.85);
      expect(ratio(r.consumers.map((c) => c.bytesRead))).toBeGreaterThan(0.9);
      for (const c of r.consumers) expect(c.accounting.balanced).toBe(true);
    });
  }
});
