// A KCL application with a DynamoDB sink whose record processors are too slow as well (helper-57's kcl-ddb): 2 shards,
// 800 records/s of 500 B, one worker, 2 ms a batch + 2.6 ms a record. A processor takes a batch of up to 10,000 records
// (poll.maxRecords) in 2 ms + 10,000 × 2.6 ms = 26.002 s: 384.6 records/s, 769.2 for the two shards, under the ~798
// arriving. Whatever the table, processing alone cannot keep up; a slow table holds the processors besides. The
// verdict must say both, so no one relaxes one and expects it to keep up.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/** One KCL worker on `shards` shards written at `rate` records/s of 500 B, writing what it processes to a DynamoDB table. */
const consumerVerdict = (o: { shards: number; rate: string; processing: Record<string, string>; table: Record<string, unknown>; sink?: Record<string, unknown> }) => {
  const r = simulateScenario(
    scenarioOf({
      name: "kcl-ddb",
      seed: 5,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: o.shards },
      producers: [{ name: "p", client: "sdk", instances: o.shards, rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: "500B" } }],
      consumers: [{ name: "app", kind: "kcl", workers: 1, processing: o.processing, sink: { kind: "dynamodb", table: { capacity: "provisioned", ...o.table }, ...o.sink } }],
    }),
  );
  return verdictOf(r).consumers[0]!;
};

/** helper-57's kcl-ddb: 2 shards, 800 records/s, 2 ms a batch + `perRecord`, a table of `write` WCU (1 s of burst), retries 200 ms apart. */
const run = (write: number, perRecord: string) =>
  consumerVerdict({ shards: 2, rate: "800/s", processing: { perRecord, perBatch: "2ms" }, table: { write, burst: "1s" }, sink: { retry: { limit: 1000, backoff: "200ms" } } });

const BOUND = (2 * 10_000 * 1e6) / (2_000 + 10_000 * 2_600);

describe("a sink and processing that both hold a consumer back", () => {
  it("judged by processing (900 WCU): the bound with no waiting, the wait, and that a faster sink alone would not keep it up", () => {
    const v = run(900, "2.6ms");
    expect(v.bottleneck).toBe("processing");
    expect(v.processingBound).toBeCloseTo(BOUND, 6);
    expect(v.arrivingPerSecond!).toBeGreaterThan(BOUND);
    expect(v.explanation).toMatch(
      /about all its record processors can in the time its sink's flushes leave them \(they waited for its sink's flushes \d+% of their time\): at most 769 with no waiting \(a batch at a time on each shard's processor, at the mean processing times\), under the 79\d records\/s arriving, so a faster sink alone would not keep it up\./,
    );
    expect(v.explanation).not.toMatch(/about all its record processors can: at most/);
    // The counterfactual: a table 44 times larger, and it still falls behind, held back by processing.
    const big = run(40_000, "2.6ms");
    expect(big.fallingBehind).toBe(true);
    expect(big.bottleneck).toBe("processing");
  });

  it("judged by its sink (760 WCU): the sink sentence adds that processing could not keep up even with no waiting", () => {
    const v = run(760, "2.6ms");
    expect(v.bottleneck).toBe("sink");
    expect(v.explanation).toMatch(/; and its record processors could not keep up even with no waiting: at most 769 records\/s \(a batch at a time on each shard's processor, at the mean processing times\), under the 79\d records\/s arriving\.$/);
  });

  it("a sink alone (900 WCU, 1 ms a record: 2,000 records/s with no waiting) gets no such clause", () => {
    const v = run(900, "1ms");
    expect(v.bottleneck).toBe("sink");
    expect(v.processingBound!).toBeGreaterThan(v.arrivingPerSecond!);
    expect(v.explanation).not.toMatch(/could not keep up even/);
  });

  it("processing that could keep up with no waiting, held by 40 ms table writes: the sink, not processing (helper-60)", () => {
    // One shard, 200 records/s, 4.5 ms a record (no per-batch time): a processor takes 10,000 records in 45 s, 222.2 a second, over
    // the ~199 arriving; each flush's write holds it 40 ms, and then it falls short. With writes instant it keeps up.
    const run1 = (latency: string) =>
      consumerVerdict({
        shards: 1,
        rate: "200/s",
        processing: { perRecord: "4.5ms" },
        table: { write: 40_000 },
        sink: { requestLatency: { dist: "fixed", value: latency }, retry: { limit: 1000, backoff: "1s" } },
      });
    const v = run1("40ms");
    expect(v.bottleneck).toBe("sink");
    expect(v.processingBound).toBeCloseTo((10_000 * 1e6) / (10_000 * 4_500), 6);
    expect(v.explanation).toMatch(/^Consumer app is held back by its sink, .*; with no waiting its record processors could keep up: at most 222 records\/s \(a batch at a time on each shard's processor, at the mean processing times\), over the 19\d records\/s arriving\.$/);
    expect(run1("0ms").bottleneck).toBe("none");
  });
});
