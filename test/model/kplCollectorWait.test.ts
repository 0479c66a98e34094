// With aggregation on, an aggregate flushed at its deadline reaches its process's collector due min(50 ms,
// RecordMaxBufferedTime × 0.2) = D later at the earliest (awslabs/amazon-kinesis-producer aws/kinesis/core/pipeline.h
// collector_put, extend_deadline_from_now), and the collector sends all it holds at its earliest deadline (reducer.h
// set_deadline, deadline_reached): so each aggregate waits there before its PutRecords is made. BufferingTime is that
// PutRecords' start less the user record's arrival (retrier.cc emit_metrics; the start is set when the request is made,
// pipeline.h send_put_records_request), so the wait is in it, and in every later stage's time. The model counted the
// collector's requests (collectorCycles) but not their wait: with RecordMaxBufferedTime no longer than the window, every
// window's records went at its end, the mean BufferingTime half a window whatever the collector did.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const run = (o: { instances: number; shards: number; rate: string; aggregation?: boolean }) => {
  const r = simulateScenario(
    scenarioOf({
      name: "collector-wait",
      // (The fan-out consumer's first read comes at 30.8 s: a warmup past it keeps its catch-up out of the end-to-end times.)
      duration: "100s",
      warmup: "40s",
      stream: { name: "s", shards: o.shards },
      producers: [
        {
          name: "p",
          client: "kpl",
          instances: o.instances,
          recordSize: { dist: "fixed", size: "100B" },
          rate: { shape: "constant", value: o.rate },
          kpl: { aggregationEnabled: o.aggregation ?? true },
        },
      ],
      consumers: [{ name: "c", kind: "fanout" }],
    }),
  );
  return { p: r.producers[0]!, c: r.consumers[0]! };
};

const within = (actual: number, expected: number, tolerance: number) => {
  expect(actual).toBeGreaterThan(expected * (1 - tolerance));
  expect(actual).toBeLessThan(expected * (1 + tolerance));
};

// A collector's cycle (by hand): a record reaching an empty collector waits D and starts it; those reaching it within the D
// go with it, waiting D/2 on average; the next cycle begins with the next record after it. With records reaching a
// process's collector as a Poisson stream of ρ a second, a cycle holds 1 + ρD of them and a record waits
// (D + ρD · D/2) / (1 + ρD) on average. The window model sends at window ends: the aggregator's part is half a window
// (T = the window, 100 ms: records born over it go at its end), and the collector's wait is added whole windows at a
// time, in the share that makes its mean.
describe("the KPL's collector wait is in BufferingTime and the records' end-to-end time (aggregation on, T = 100 ms)", () => {
  it("4 processes, 40,000 records/s of 100 B on 50 shards: 50 + 10.95 ms, where it was 50 ms", () => {
    // A process's shard gets 200 records/s, λ = 20 in a buffer's 100 ms: 21 user records an aggregate, 200 ÷ 21 = 9.52
    // aggregates a second a shard, ρ = 50 × 9.52 = 476 a second reaching a process's collector. D = min(50 ms, 100 ms ×
    // 0.2) = 20 ms, ρD = 9.52: (20 + 9.52 × 10) ÷ 10.52 = 10.95 ms. (An event-by-event sketch of one process's 50
    // buffers and its collector gives 62.9 ms in all: 52.4 ms in the aggregator, where the first record of a buffer waits
    // the whole T, and 10.5 ms in the collector.)
    const { p, c } = run({ instances: 4, shards: 50, rate: "40000/s" });
    within(p.clientMetrics.meanBufferingTimeMs!, 50 + 10.95, 0.01);
    // Born → written, nothing throttled (a record is written when its PutRecords is sent): the same wait.
    within((c.endToEnd.mean - c.putToProcess.mean) / 1_000, 50 + 10.95, 0.02);
  });

  it("1 process, 1,000 records/s on 1 shard: an aggregate a window, each its own cycle: 51 + 18.35 ms, where it was 51 ms", () => {
    // λ = 100: 101 user records an aggregate, 1,000 ÷ 101 = 9.9 a second reaching the collector, ρD = 0.198:
    // (20 + 0.198 × 10) ÷ 1.198 = 18.35 ms (nearly D: a cycle seldom takes a second aggregate). The aggregator's part is
    // 51 ms here: a window's expected Kinesis records are 100 ÷ 101 = 0.99, so the carry of whole ones rounds to none in
    // one window of about a hundred, and the next sends two windows' records, 2% of them 50 ms older.
    const { p, c } = run({ instances: 1, shards: 1, rate: "1000/s" });
    within(p.clientMetrics.meanBufferingTimeMs!, 51 + 18.35, 0.01);
    within((c.endToEnd.mean - c.putToProcess.mean) / 1_000, 51 + 18.35, 0.02);
  });

  it("control: aggregation off, no collector wait is added (pipeline.h extends a deadline only with aggregation on): 50 ms", () => {
    // Each record is passed on at once with its own deadline, T after it: at T = the window, all go at the window's end.
    const { p } = run({ instances: 1, shards: 1, rate: "1000/s", aggregation: false });
    within(p.clientMetrics.meanBufferingTimeMs!, 50, 0.01);
  });
});
