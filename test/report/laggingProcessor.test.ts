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
    expect(v.explanation).toContain("on shardId-000000000000, where records waited longest, its record processor was busy processing");
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
