// A KCL application falling behind is judged by the record processor of the shard whose records wait longest: when its
// reader waited for room in the prefetch cache longer than the processor waited for records, the processor side holds
// that shard back (processing, or its sink), whatever the reads refused; when the processor waited for records
// longer, its reads starve it, however long it waited for its sink's flushes. Each case is built for its one cause,
// with a counterfactual that moves (or does not move) the rate.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { producerPerShard, scenarioOf } from "../model/scenarioOf.js";

const consumer = (input: Record<string, unknown>, name: string) => {
  const r = simulateScenario(scenarioOf({ seed: 3, duration: "12m", warmup: "1m", ...input }));
  return verdictOf(r).consumers.find((c) => c.name === name)!;
};

describe("a hot shard processed too slowly, while other consumers' calls take its 5 calls/s", () => {
  // Shard 0 takes 900 records/s, the other three 50/s each. At 2 ms a record shard 0's processor can do at most 500/s:
  // it falls behind there, and the application processes about 500 + 3 × 50 = 650 records/s. Two more applications
  // poll every 200 ms, so the shard is called about 7.5 times a second and over half of the calls are refused.
  const hot = (perRecord: string) =>
    consumer(
      {
        stream: { name: "s", shards: 4 },
        producers: producerPerShard(4, [900, 50, 50, 50]),
        consumers: [
          { name: "a", kind: "kcl", workers: 1, processing: { perRecord } },
          { name: "o0", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
          { name: "o1", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
        ],
      },
      "a",
    );

  it("is held back by processing on that shard, not by the read calls", () => {
    const v = hot("2ms");
    expect(v.fallingBehind).toBe(true);
    expect(v.readThrottledPercent).toBeGreaterThan(10);
    expect(v.processedPerSecond).toBeGreaterThan(650 * 0.98);
    expect(v.processedPerSecond).toBeLessThan(650 * 1.02);
    expect(v.bottleneck).toBe("processing");
    expect(v.processor?.shardId).toBe("shardId-000000000000");
    expect(v.processor!.processing).toBeGreaterThan(0.95);
    expect(v.processor!.room).toBeGreaterThan(v.processor!.idle);
    // It processes at 1 ÷ 2 ms = 500 records a second of processing, under the 900/s its shard takes.
    expect(v.processor!.capacityPerSecond!).toBeCloseTo(500, -1);
    expect(v.processor!.incomingPerSecond).toBeCloseTo(900, -1);
    expect(v.explanation).toMatch(/its record processor was busy processing 100% of that quarter \(500 records a second of processing, under the 90\d records\/s the shard took in that quarter\)/);
    expect(v.explanation).toContain("processing holds that shard back, ahead of its refused reads");
  });

  it("keeps up at 1 ms a record, with as many calls refused: processing was the limit", () => {
    const v = hot("1ms");
    expect(v.readThrottledPercent).toBeGreaterThan(10);
    expect(v.fallingBehind).toBe(false);
    expect(v.processedPerSecond).toBeGreaterThan(1_050 * 0.98);
  });
});

describe("a consumer starved by its reads, waiting for a slow sink more than half the time", () => {
  // One shard of 900 records/s of 1,000 B read by three applications polling every 200 ms: together they need about
  // 2.6 MiB/s of its 2 MiB/s, and nearly every call is refused. Application a writes to a table whose writes take
  // `latency`; with 12 ms its record processor waits for flushes over half the time, yet it waits for records longer than
  // its reader waits for room: a faster table (8 ms) does not raise its rate, a slower one (40 ms) lowers it.
  const starved = (latency: number) =>
    consumer(
      {
        duration: "15m",
        stream: { name: "s", shards: 1 },
        producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: "900/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
        consumers: [
          {
            name: "a",
            kind: "kcl",
            workers: 1,
            poll: { interval: "200ms" },
            sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "lognormal", median: `${latency}ms`, p99: `${latency * 1.2}ms` } },
          },
          { name: "b", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
          { name: "c", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
        ],
      },
      "a",
    );
  const at12 = starved(12);

  it("is held back by the shard's read bytes, not its sink", () => {
    expect(at12.fallingBehind).toBe(true);
    expect(at12.readThrottledPercent).toBeGreaterThan(90);
    expect(at12.bottleneck).toBe("shard read bytes");
    expect(at12.explanation).not.toContain("held back by its sink");
  });

  it("a faster table does not raise its rate; a much slower one makes the sink its bottleneck and lowers it", () => {
    const at8 = starved(8);
    expect(at8.bottleneck).toBe("shard read bytes");
    expect(at8.processedPerSecond).toBeLessThan(at12.processedPerSecond * 1.05);
    const at40 = starved(40);
    expect(at40.bottleneck).toBe("sink");
    expect(at40.processor!.held).toBeGreaterThan(0.5);
    expect(at40.processor!.room).toBeGreaterThan(at40.processor!.idle);
    expect(at40.processedPerSecond).toBeLessThan(at12.processedPerSecond * 0.7);
  });
});

describe("the processor that holds a shard back, among shards behind for other reasons", () => {
  const table = (latency: number) => ({ kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "fixed", value: `${latency}ms` } });

  // Three shards of 300 records/s share one worker slot (concurrency 1); each flush of a 20 ms table holds the slot, so
  // a shard's processor spends most of its time queued behind the others' flushes. The sink holds it back: a 12 ms
  // table keeps up, and halving perRecord barely moves the rate.
  it("one slot for three shards, a slow table: the sink, its slot's queueing counted with the flushes that held it", () => {
    const at = (latency: number, perRecord: string) =>
      consumer({ stream: { name: "s", shards: 3 }, producers: producerPerShard(3, 300), consumers: [{ name: "a", kind: "kcl", workers: 1, processing: { perRecord, concurrency: 1 }, sink: table(latency) }] }, "a");
    const slow = at(20, "0.1ms");
    expect(slow.fallingBehind).toBe(true);
    expect(slow.bottleneck).toBe("sink");
    expect(slow.processor!.queued).toBeGreaterThan(0.4);
    expect(slow.processor!.busyHeld).toBeGreaterThan(0.9);
    expect(slow.explanation).toContain("for a slot its worker's other processors held");
    expect(at(20, "0.05ms").processedPerSecond).toBeLessThan(slow.processedPerSecond * 1.1);
    expect(at(12, "0.1ms").fallingBehind).toBe(false);
  });

  // Shard 0 (950 records/s) falls behind on a 20 ms table; shard 1 (100/s) was left unread by a worker crash until its
  // lease moved (4 minutes' failover) and has the older records. The sink is still what holds shard 0 back: a 12 ms
  // table brings its records' wait under a minute.
  it("a crash's backlog on one shard does not hide the sink holding back another", () => {
    const run = (latency: number) =>
      simulateScenario(
        scenarioOf({
          seed: 1,
          duration: "12m",
          warmup: "1m",
          stream: { name: "s", shards: 2 },
          producers: producerPerShard(2, [950, 100]),
          consumers: [
            { name: "a", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms" }, lease: { failover: "240s" }, kcl: { leaseAssignmentIntervalMillis: "20s" }, checkpoint: { every: "10s" }, sink: table(latency) },
          ],
          faults: [{ at: "4m", kind: "worker-crash", consumer: "a", workers: 1 }],
        }),
      );
    const r = run(20);
    const v = verdictOf(r).consumers[0]!;
    const ages = r.consumers[0]!.processorTime!.oldestUnprocessedAge;
    expect(ages[1]!).toBeGreaterThan(ages[0]!); // the crashed shard's records are the oldest
    expect(v.bottleneck).toBe("sink");
    expect(v.processor?.shardId).toBe("shardId-000000000000");
    const faster = run(12);
    expect(faster.consumers[0]!.processorTime!.oldestUnprocessedAge[0]!).toBeLessThan(60e6);
    // With the 12 ms table only the crash's backlog is left, worked off before the end: no steady limit, the fault.
    const after = verdictOf(faster).consumers[0]!;
    expect(after.fallingBehind).toBe(true);
    expect(after.bottleneck).toBe("catch-up after a fault");
    expect(after.explanation).toMatch(/fell behind after the worker crash at 0:04:00 .*and it caught up at 0:1\d:\d\d; no steady limit held it back/);
  });

  // Two shards of 800 records/s of 1,000 B at 1 ms a record: each processor can do 1,000/s, so without a fault it keeps
  // up. A worker crash at 3 min leaves one shard unread until its lease moves after 4 minutes' failover; then its new
  // owner works the backlog off at 200 records/s net and has not caught up by the end.
  it("a crash's backlog worked off at the pace processing allows: catch-up after the fault, not processing", () => {
    const v = consumer(
      {
        stream: { name: "s", shards: 2 },
        producers: producerPerShard(2, [800, 800]).map((p) => ({ ...p, recordSize: { dist: "fixed", size: "1000B" } })),
        consumers: [{ name: "a", kind: "kcl", workers: 2, processing: { perRecord: "1ms" }, lease: { failover: "240s" }, kcl: { leaseAssignmentIntervalMillis: "20s" }, checkpoint: { every: "10s" } }],
        faults: [{ at: "3m", kind: "worker-crash", consumer: "a", workers: 1 }],
      },
      "a",
    );
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("catch-up after a fault");
    expect(v.processor!.capacityPerSecond!).toBeGreaterThan(v.processor!.incomingPerSecond!);
    expect(v.explanation).toContain("has not caught up since the worker crash at 0:03:00");
  });

  // A shard's records wait for puts to an output stream that take 2.5 s a batch (not throttled), at most 500 records a
  // batch: at most 200 records/s. Faster puts (1.2 s) raise the rate; faster processing does not.
  it("slow puts to the output stream, not throttled: the output stream", () => {
    const at = (latency: string, perRecord: string) =>
      consumer(
        {
          streams: [
            { name: "s", shards: 1 },
            { name: "out", shards: 16 },
          ],
          producers: producerPerShard(1, 900).map((p) => ({ ...p, stream: "s" })),
          consumers: [{ name: "a", kind: "kcl", stream: "s", workers: 1, processing: { perRecord }, poll: { maxRecords: 500 }, output: { stream: "out", latency: { dist: "fixed", value: latency } } }],
        },
        "a",
      );
    const slow = at("2500ms", "0.2ms");
    expect(slow.fallingBehind).toBe(true);
    expect(slow.bottleneck).toBe("output stream");
    expect(slow.processedPerSecond).toBeLessThan(200 * 1.01);
    expect(slow.explanation).not.toContain("throttled");
    expect(slow.explanation).toContain("waited for its puts");
    expect(at("1200ms", "0.2ms").processedPerSecond).toBeGreaterThan(slow.processedPerSecond * 1.5);
    expect(at("2500ms", "0.1ms").processedPerSecond).toBeLessThan(slow.processedPerSecond * 1.05);
  });

  // One shard of 900 records/s of 1,000 B read by three applications, split 2 min 15 s before the end: the parent's
  // processor works its backlog after the close, longer than the shard was open in the last quarter. Its time is
  // counted until it reaches the parent's end (SHARD_END), so it is not taken for busy all the time: the reads still
  // hold it back, as without the split.
  it("a split near the end: the parent's processor is judged over its time until SHARD_END", () => {
    const at = (reshard: boolean) =>
      simulateScenario(
        scenarioOf({
          seed: 3,
          duration: "12m",
          warmup: "1m",
          stream: { name: "s", shards: 1 },
          producers: producerPerShard(1, 900).map((p) => ({ ...p, recordSize: { dist: "fixed", size: "1000B" } })),
          consumers: [
            { name: "a", kind: "kcl", workers: 1, processing: { perRecord: "1ms" } },
            { name: "o0", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
            { name: "o1", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
          ],
          ...(reshard ? { reshards: [{ at: "585s", kind: "split", shard: 0 }] } : {}),
        }),
      );
    expect(verdictOf(at(false)).consumers[0]!.bottleneck).toBe("shard read bytes");
    const r = at(true);
    const pt = r.consumers[0]!.processorTime!;
    const closedAt = r.shards[0]!.life!.closedAt!;
    // The parent's processor processed longer after the last quarter began than the parent was open in it.
    expect(pt.processing[0]!).toBeGreaterThan(closedAt - pt.fromUs);
    expect(pt.finishedAtUs[0] ?? r.durationUs).toBeGreaterThan(closedAt); // finished after the close, or not by the end
    expect(verdictOf(r).consumers[0]!.bottleneck).toBe("shard read bytes");
  });
});

describe("processing judged by the shard's own records and time (helper-33's cases)", () => {
  const others = [
    { name: "o0", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
    { name: "o1", kind: "kcl", workers: 1, poll: { interval: "200ms" } },
  ];
  const space = 1n << 128n;
  const key = (shards: number, i: number) => ((space / BigInt(shards)) * BigInt(i)).toString();

  // A Flink job with one subtask for 4 shards of 300 records/s at 1 ms a record: 1.2 s of work a second for one thread.
  // Each shard's processor waits for the subtask most of the time; that wait is the other shards' processing. At 0.5 ms
  // it keeps up, with a third of its calls still refused by the other applications' calls.
  it("a Flink job with fewer subtasks than shards: processing, its slot waits counted as processing", () => {
    const at = (perRecord: string) => consumer({ seed: 1, stream: { name: "s", shards: 4 }, producers: producerPerShard(4, 300), consumers: [{ name: "f", kind: "flink", parallelism: 1, processing: { perRecord } }, ...others] }, "f");
    const slow = at("1ms");
    expect(slow.fallingBehind).toBe(true);
    expect(slow.bottleneck).toBe("processing");
    expect(slow.processor!.queued).toBeGreaterThan(0.5);
    // A quarter of the subtask's time each, less than the 300 records/s its shard takes: about 250 a second.
    expect(slow.processor!.capacityPerSecond!).toBeLessThan(slow.processor!.incomingPerSecond!);
    expect(slow.explanation).toContain("its reader waited for the batch in hand to be processed");
    const fast = at("0.5ms");
    expect(fast.fallingBehind).toBe(false);
    expect(fast.readThrottledPercent).toBeGreaterThan(10);
  });

  // Shard 0 takes 1,000 user records/s from a KPL producer (aggregated: a few Kinesis records a second), shard 1 200/s
  // from an SDK producer. At 1.5 ms a record shard 0's processor can do 667/s: processing, judged against the user
  // records its own shard takes (not the stream's mean records per aggregate). At 0.75 ms it keeps up.
  it("KPL aggregates on one shard, plain records on another: processing, against the shard's own user records", () => {
    const at = (perRecord: string) =>
      consumer(
        {
          seed: 1,
          stream: { name: "s", shards: 2 },
          producers: [
            { name: "k", client: "kpl", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: [key(2, 0)] } },
            { name: "q", client: "sdk", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: [key(2, 1)] } },
          ],
          consumers: [{ name: "a", kind: "kcl", workers: 1, processing: { perRecord } }, ...others],
        },
        "a",
      );
    const slow = at("1.5ms");
    expect(slow.bottleneck).toBe("processing");
    expect(slow.processor!.shardId).toBe("shardId-000000000000");
    expect(slow.processor!.capacityPerSecond!).toBeCloseTo(1000 / 1.5, -1);
    expect(slow.processor!.incomingPerSecond).toBeGreaterThan(990);
    expect(at("0.75ms").fallingBehind).toBe(false);
  });

  // Shard 0's load steps from 20 to 900 records/s at 7 min, 2 ms a record: from then on it falls behind on processing.
  // A crash of its one worker at 6 min and a restart at 6 min 30 s do not make it a catch-up: in the last quarter the
  // shard takes 900/s, over the 500/s it can process. At 1 ms (1,000/s) it processes faster: it is catching up.
  it("a step in load after a crash: processing while it processes slower than the shard takes, catch-up when faster", () => {
    const at = (perRecord: string) =>
      consumer(
        {
          seed: 1,
          stream: { name: "s", shards: 2 },
          producers: [
            { name: "h", client: "sdk", rate: { shape: "step", levels: [{ at: "0s", value: "20/s" }, { at: "7m", value: "900/s" }], arrivals: "even" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: [key(2, 0)] } },
            { name: "c", client: "sdk", rate: { shape: "constant", value: "50/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: [key(2, 1)] } },
          ],
          consumers: [{ name: "a", kind: "kcl", workers: 1, processing: { perRecord }, checkpoint: { every: "10s" } }],
          faults: [
            { kind: "worker-crash", at: "6m", consumer: "a" },
            { kind: "worker-restart", at: "390s", consumer: "a" },
          ],
        },
        "a",
      );
    const slow = at("2ms");
    expect(slow.bottleneck).toBe("processing");
    expect(slow.processor!.incomingPerSecond).toBeGreaterThan(880); // the last quarter's rate, not the run's mean
    const fast = at("1ms");
    expect(fast.bottleneck).toBe("catch-up after a fault");
    expect(fast.fault?.kind).toBe("worker-crash"); // the first fault it has not recovered from, not the restart after it
    expect(fast.explanation).toContain("has not caught up since the worker crash at 0:06:00");
  });
});

// Generated scenarios where 8089597's verdict was false (helper-34's differential review of 950 generated scenarios
// against b4360bf's judgement), each with the counterfactual that shows what holds the consumer back.
describe("generated cases (helper-34)", () => {
  const judged = (input: Record<string, unknown>, name = "c0") => {
    const r = simulateScenario(scenarioOf(input));
    return verdictOf(r).consumers.find((c) => c.name === name)!;
  };
  const producer = (rate: Record<string, unknown>, size: string, extra: Record<string, unknown> = {}) => ({
    name: "p0",
    client: "sdk",
    rate,
    recordSize: { dist: "fixed", size },
    partitionKey: { kind: "explicit", hashKeys: ["1"] },
    ...extra,
  });

  // A fan-out application already far behind at 2 ms a record (1,000 records/s, at most 500 processed) when its worker
  // crashes at 9 min and restarts 32 s later: the fault did not put it behind. Halving perRecord raises its rate.
  it("a fault after it was already behind is not its catch-up", () => {
    const at = (perRecord: string) =>
      judged({
        seed: 51786,
        duration: "11m",
        warmup: "1m",
        stream: { name: "s", shards: 1 },
        producers: [producer({ shape: "constant", value: "1000/s" }, "500B", { instances: 2 })],
        consumers: [{ name: "c0", kind: "fanout", workers: 1, processing: { perRecord, concurrency: 1 }, checkpoint: { every: "10s" }, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 500 }, requestLatency: { dist: "fixed", value: "10ms" } } }],
        faults: [
          { at: "9m", kind: "worker-crash", consumer: "c0", workers: 1 },
          { at: "572s", kind: "worker-restart", consumer: "c0", workers: 1 },
        ],
      });
    const v = at("2ms");
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("processing");
    expect(at("1ms").processedPerSecond).toBeGreaterThan(v.processedPerSecond * 1.3);
  });

  // The application's shard is split at 8 min, a crash at 3 min: in the last quarter the judged processor works off
  // the parent's backlog after its close, no records arriving there. Without the crash it is still behind; halving
  // perRecord lets it keep up: processing, not a catch-up judged against "0 records/s the shard took".
  it("a parent closed before the last quarter: processing, not a catch-up against no arrivals", () => {
    const at = (perRecord: string, crash: boolean) =>
      judged({
        seed: 89009,
        duration: "11m",
        warmup: "1m",
        stream: { name: "s", shards: 1 },
        producers: [producer({ shape: "step", levels: [{ at: "0s", value: "500/s" }, { at: "173s", value: "1000/s" }] }, "500B")],
        consumers: [
          { name: "c0", kind: "kcl", workers: 2, processing: { perRecord }, checkpoint: { every: "10s" }, poll: { interval: "1s" } },
          { name: "c1", kind: "kcl", workers: 1, processing: { perRecord: "1.5ms", concurrency: 2 }, checkpoint: { every: "10s" }, poll: { interval: "1s" }, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "fixed", value: "10ms" } } },
        ],
        faults: crash ? [{ at: "3m", kind: "worker-crash", consumer: "c0", workers: 1 }] : [],
        reshards: [{ at: "8m", kind: "split", stream: "s", shard: 0 }],
      });
    const v = at("2ms", true);
    expect(v.bottleneck).toBe("processing");
    expect(v.explanation).not.toContain("over the 0 records/s");
    expect(at("2ms", false).fallingBehind).toBe(true);
    expect(at("1ms", true).fallingBehind).toBe(false);
  });

  // A split at 3 min; the measurement starts at 6 min 15 s; the parent reaches its end at about 6 min 43 s. The child's
  // processor waits for that before it may start: that wait is not its idle time. It is held back by its 40 ms table
  // (a 1 ms one doubles the rate), not by the reads.
  it("a child shard's wait for its parent is not idle time: the sink", () => {
    const at = (latency: string) =>
      judged({
        seed: 55255,
        duration: "8m",
        warmup: "1m",
        stream: { name: "s", shards: 1 },
        producers: [producer({ shape: "constant", value: "700/s" }, "200B", { instances: 3 })],
        consumers: [
          { name: "c0", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms", concurrency: 1 }, checkpoint: { every: "10s" }, poll: { interval: "200ms" }, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 2000 }, requestLatency: { dist: "fixed", value: latency } } },
          { name: "c1", kind: "flink", parallelism: 2, processing: { perRecord: "2ms" } },
        ],
        reshards: [{ at: "3m", kind: "split", stream: "s", shard: 0 }],
      });
    const v = at("40ms");
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    expect(at("1ms").processedPerSecond).toBeGreaterThan(v.processedPerSecond * 1.5);
  });

  // Three stream processors on four shards; shard 1 takes 1,000 user records/s in KPL aggregates of 1,500 B records.
  // Job c0 (3 subtasks, 1 ms a record) is busy 59% of the last quarter on shard 1 and idle 41%, able to process 1,000
  // records a second against the 692 the shard took: fed, it would keep up. The other jobs' reads overdraw the shard's
  // byte budget: alone it keeps up, and halving its processing time raises its rate by less than a tenth (1,017 → 1,079
  // records/s), where a job held back by its processing would go up to twice as fast.
  it("a stream processor idle a quarter of the time while it could keep up is starved by its reads (generated 1296)", () => {
    const input = (perRecord: string, alone: boolean) => {
      const kpl = (name: string, rate: number, key: string, aggregationEnabled: boolean, instances: number) => ({
        ...producer({ shape: "constant", value: `${rate}/s` }, "1500B", { instances }),
        name,
        client: "kpl",
        kpl: { aggregationEnabled },
        partitionKey: { kind: "explicit", hashKeys: [key] },
      });
      return {
        seed: 37303,
        duration: "10m",
        warmup: "1m",
        stream: { name: "s", shards: 4 },
        producers: [
          producer({ shape: "constant", value: "200/s" }, "1500B", { instances: 3 }),
          kpl("p1", 1000, "85070591730234615865843651857942052865", true, 3),
          kpl("p2", 200, "170141183460469231731687303715884105729", false, 2),
          kpl("p3", 50, "255211775190703847597530955573826158593", true, 3),
        ],
        consumers: [
          { name: "c0", kind: "flink", parallelism: 3, processing: { perRecord } },
          ...(alone
            ? []
            : [
                { name: "c1", kind: "flink", parallelism: 1, processing: { perRecord: "1ms" } },
                { name: "c2", kind: "spark", cores: 1, processing: { perRecord: "2ms" } },
              ]),
        ],
      };
    };
    const v = judged(input("1ms", false));
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("shard read bytes");
    expect(v.processor).toBeUndefined();
    expect(judged(input("0.5ms", false)).processedPerSecond).toBeLessThan(1.1 * v.processedPerSecond);
    expect(judged(input("1ms", true)).fallingBehind).toBe(false);
  });
});
