// What a delivery stream's records waited for in its buffer (helper-82's minor finding: the buffer's time was always
// "waiting for a buffering hint", though in destination-outage the slowest records' 42.8 s there came while the buffer
// size was raised because delivery fell behind). The model knows three waits: for a hint; under a size raised above the
// hint while delivery falls behind; with a flush due that a busy destination (an OpenSearch bulk request running) cannot
// take yet.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;
/** One SDK producer putting 1,000 B records at `rate` a second straight into delivery stream "logs" (Direct PUT). */
const run = (rate: number, firehose: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 1,
      duration: "10m",
      warmup: "2m",
      producers: [{ name: "app", client: "sdk", instances: 1, rate: { shape: "constant", value: `${rate}/s` }, recordSize: { dist: "fixed", size: "1000B" }, deliveryStream: "logs" }],
      firehose: [{ name: "logs", source: "direct-put", ...firehose }],
      ...extra,
    }),
  );
  const v = verdictOf(r);
  return { f: r.firehose[0]!, slo: v.slos.find((s) => s.name === "deliveryP99") };
};

describe("a delivery stream's buffer time, by what it waited for", () => {
  it("a flush held back by a busy OpenSearch domain: 15 s bulk requests behind a 10 s interval", () => {
    // 100 records/s (100 KB/s) never reach the 64 MiB size hint: the interval flushes the buffer 10 s after it began,
    // but a bulk request takes 15 s (its fixed latency, and 1.5 MB at 10 MiB/s), so each flush is held 5 s until the
    // domain is free and goes out 15 s after the one before. A record that reached the buffer b seconds after a flush
    // waits max(0, 10 − b) for the interval, then min(5, 15 − b) held: over the slowest half (b < 7.5 s), 6.25 s and 5 s
    // on average, then 15.1 s at the domain. (The tail is cut at the stage breakdown's 9%-wide buckets: about ±0.6 s here.)
    const opensearch = (latency: string) => ({
      buffer: { size: "64MiB", interval: "10s" },
      destination: { kind: "opensearch", throughput: "10MiB/s", requestLatency: { dist: "fixed", value: latency } },
    });
    const { f, slo } = run(100, opensearch("15s"), { slo: { deliveryP99: "10s" } });
    const half = f.stages.p50.stagesUs;
    expect(half.buffer / S).toBeGreaterThan(6.25 - 0.6);
    expect(half.buffer / S).toBeLessThan(6.25 + 0.6);
    expect(half.bufferHeld / S).toBeGreaterThan(4.8);
    expect(half.bufferHeld / S).toBeLessThan(5.2);
    expect(half.bufferRaised).toBe(0);
    expect(half.destination / S).toBeGreaterThan(15);
    expect(half.destination / S).toBeLessThan(15.4);
    // The slowest 1% reached the buffer just after a flush: 10 s for the interval, then 5 s held.
    expect(slo!.why).toMatch(/; (9\.\d|10) s \(\d+%\) in the delivery stream's buffer, waiting for a buffering hint; (4\.\d|5\.\d) s \(\d+%\) in the delivery stream's buffer with a flush due, held back while the destination was busy/);
    // With 5 s requests the domain is free at every flush: nothing is held, and the slowest half waited 5–10 s for the
    // interval, 7.5 s on average.
    const free = run(100, opensearch("5s")).f.stages.p50.stagesUs;
    expect(free.bufferHeld).toBe(0);
    expect(free.buffer / S).toBeGreaterThan(7.5 - 0.6);
    expect(free.buffer / S).toBeLessThan(7.5 + 0.6);
  });

  it("waiting under a size Firehose raised while S3 deliveries failed: a 60 s outage behind a 1 MiB hint", () => {
    // 1,000 records/s (1 MB/s) fill the 1 MiB size hint about once a second. While S3 fails, the deliveries waiting behind
    // the failing one hold a second full delivery, and the size in force doubles at each flush (up to 128 MiB): the
    // buffer holds more than the hint and does not flush, and its records wait that long past the hint. Without the
    // outage the size is never raised.
    const s3 = { buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "s3", putLatency: { dist: "fixed", value: "100ms" } } };
    const calm = run(1000, s3).f;
    expect(calm.buffer.raisedToBytes).toBe(1_048_576);
    expect(calm.stages.p50.stagesUs.bufferRaised).toBe(0);
    const { f, slo } = run(1000, s3, { faults: [{ at: "4m", kind: "destination-outage", firehose: "logs", for: "60s" }], slo: { deliveryP99: "5s" } });
    expect(f.buffer.raisedToBytes).toBeGreaterThan(1_048_576);
    expect(f.stages.p50.stagesUs.bufferRaised).toBeGreaterThan(f.stages.p50.stagesUs.buffer);
    expect(f.stages.p99.stagesUs.bufferHeld).toBe(0);
    expect(slo!.why).toMatch(/ms \(\d+%\) in the delivery stream's buffer past its 1 MiB size hint, raised \(up to \d+ MiB\) while delivery fell behind; .*the bottleneck is its destination, Amazon S3/);
  });
});
