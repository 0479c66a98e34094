// A Lambda consumer whose sink serves one write at a time for all its lanes — a Redshift cluster's COPYs (each
// invocation runs its own COPY of its own staged object; COPYs into one table wait for each other's write lock), an
// OpenSearch domain's bulk requests — writes at most a batch's records ÷ that write's time a second, whatever the lanes
// (src/model/sinks/batchWrite.ts oneAtATimeWriteOf). The bound counts it, and the verdict names the sink.
//
// By hand, records of 500 B, batches of 100, no variability:
// A. 4 shards of 50 records/s, 20 ms of compute, a Redshift staging put of 100 ms and a COPY of 1 s: a lane alone takes
//    100 ÷ (0.02 + 0.1 + 1) s = 89.3 records/s, 4 lanes 357.1; but one COPY at a time loads at most 100 records ÷ 1 s =
//    100 records/s. The run processes 100/s of the 200 offered. Before, the bound read 357.1.
// B. 8 shards of 60 records/s, 1.2 s of compute, the staging put of 100 ms and a COPY of 250 ms: the lanes alone 8 × 100 ÷
//    1.55 s = 516.1 records/s, over the 480 offered; the COPYs at most 100 ÷ 0.25 s = 400. The run processes 400/s, its
//    lanes waiting for flushes only 40% of their time (each lane's cycle is 8 COPYs of 250 ms = 2 s, 1.2 s of it compute),
//    under the sink rule's half: before, the judge named the function's duration, at a bound of 516.
// C. OpenSearch, 4 shards, bulk requests of 1 s + 50,000 B at 1 GiB/s (46.6 µs): at most 100 ÷ 1.0000466 s = 99.995
//    records/s, where 4 lanes alone would take 4 × 100 ÷ 1.0200466 s = 392.1.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import type { RunResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

function run(o: {
  shards: number;
  rate: string;
  spike?: string;
  compute: string;
  perRecord?: string;
  batchSize?: number;
  parallelization?: number;
  duration: string;
  sink: Record<string, unknown>;
  endToEndP99?: string;
}): RunResult {
  return simulateScenario(
    scenarioOf({
      duration: o.duration,
      warmup: "1m",
      stream: { shards: o.shards },
      producers: [
        {
          name: "p",
          client: "sdk",
          rate: o.spike ? { shape: "spikes", base: o.rate, spikes: [{ at: "3m", for: "2m", value: o.spike }] } : { shape: "constant", value: o.rate },
          recordSize: { dist: "fixed", size: "500B" },
          partitionKey: { kind: "random" },
        },
      ],
      ...(o.endToEndP99 ? { slo: { endToEndP99: o.endToEndP99 } } : {}),
      consumers: [
        {
          name: "f",
          kind: "lambda",
          startingPosition: "TRIM_HORIZON",
          batchSize: o.batchSize ?? 100,
          parallelization: o.parallelization ?? 1,
          poll: { latency: { dist: "fixed", value: "20ms" } },
          function: { timeout: "30s", duration: { perInvocation: o.compute, perRecord: o.perRecord ?? "0ms", variability: 0 }, coldStart: { init: { dist: "fixed", value: "0ms" } } },
          sink: o.sink,
        },
      ],
    }),
  );
}

const redshift = (copy: string, perMiB = "0ms") => ({ kind: "redshift", putLatency: { dist: "fixed", value: "100ms" }, copy: { fixed: copy, perMiB } });

describe("A. 4 shards, a Redshift COPY of 1 s a batch of 100: at most 100 records/s, not 4 lanes' 357", () => {
  const r = run({ shards: 4, rate: "200/s", compute: "20ms", duration: "5m", sink: redshift("1s") });
  const l = r.consumers[0]!.lambda!;
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("the bound is 100 ÷ 1 s; the lanes alone 4 × 100 ÷ 1.12 s", () => {
    expect(l.laneThroughput).toBeCloseTo(100 / 1.12, 6);
    expect(l.sinkWriteBound).toEqual({
      perSecond: 100,
      batchUsers: 100,
      writeUs: 1_000_000,
      lanesPerSecond: (4 * 100) / 1.12,
      write: { fixedUs: 1_000_000, perRequestUs: 0, recordsPerRequest: 1, perRecordUs: 0 },
    });
    // Before: 357.1.
    expect(l.throughputBound).toBeCloseTo(100, 6);
  });

  it("the run processes that bound: each COPY loads one batch, one at a time", () => {
    expect(cv.processedPerSecond / 100).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / 100).toBeLessThan(1.01);
    const a = r.sinks[0]!.afterWarmup;
    expect(Math.abs(a.copies - a.flushes)).toBeLessThanOrEqual(1);
  });

  it("the verdict: held back by the sink, one COPY at a time for its 4 lanes", () => {
    expect(cv.fallingBehind).toBe(true);
    expect(cv.bottleneck).toBe("sink");
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain(
      "its cluster runs one COPY at a time for all 4 of its lanes, so it writes at most 100 records/s whatever the lanes (a batch of 100 records ÷ 1 s a COPY), and the function processes 100 records/s, where its lanes alone could process 357 records/s",
    );
  });
});

describe("B. 8 shards whose lanes alone would take 516 records/s, COPYs of 250 ms letting through 400: the sink, not the function's duration", () => {
  const r = run({ shards: 8, rate: "480/s", compute: "1200ms", duration: "10m", sink: redshift("250ms") });
  const l = r.consumers[0]!.lambda!;
  const cv = judge(r).consumers.find((x) => x.name === "f")!;

  it("the bound is 400 records/s (was 516.1)", () => {
    expect(l.sinkWriteBound!.lanesPerSecond).toBeCloseTo((8 * 100) / 1.55, 6);
    expect(l.throughputBound).toBeCloseTo(400, 6);
    expect(cv.processedPerSecond / 400).toBeGreaterThan(0.99);
    expect(cv.processedPerSecond / 400).toBeLessThan(1.01);
  });

  it("its lanes wait for flushes 40% of their time, under the sink rule's half, yet the sink is named (was 'function duration')", () => {
    expect(r.sinks[0]!.afterWarmup.waitShare).toBeCloseTo(0.4, 2);
    expect(cv.fallingBehind).toBe(true);
    expect(cv.bottleneck).toBe("sink");
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain("held back by its sink, Amazon Redshift");
    expect(text).toContain("so it writes at most 400 records/s whatever the lanes (a batch of 100 records ÷ 250 ms a COPY), and the function processes 400 records/s, where its lanes alone could process 516 records/s");
  });
});

describe("C. OpenSearch: one bulk request of 1 s at a time for 4 lanes", () => {
  const r = run({ shards: 4, rate: "200/s", compute: "20ms", duration: "5m", sink: { kind: "opensearch", requestLatency: { dist: "fixed", value: "1s" }, throughput: "1GiB/s" } });
  const l = r.consumers[0]!.lambda!;

  it("the bound is 100 ÷ (1 s + 50,000 B at 1 GiB/s) = 99.995 records/s, not 4 lanes' 392.1", () => {
    const write = 1 + 50_000 / 2 ** 30;
    expect(l.throughputBound).toBeCloseTo(100 / write, 6);
    expect(l.sinkWriteBound!.lanesPerSecond).toBeCloseTo((4 * 100) / (0.02 + write), 6);
    expect(judge(r).consumers[0]!.bottleneck).toBe("sink");
  });
});

// D. The sink not yet the bound, the remedies must not ask more of it than it lets through (a remedy the report offers,
// applied and rerun, keeps the consumer up). 8 shards of 60 records/s, 50 ms + 21 ms a record, the staging put of 100 ms
// and COPYs of 250 ms, batches of 100: a lane takes 100 ÷ (0.05 + 2.1 + 0.1 + 0.25) s = 40 records/s, the 8 lanes 320,
// under the 400 (100 ÷ 0.25 s) the COPYs let through: the lanes are the bound ("function duration"). A shard's lanes need
// 1.1 × its ~60.8 = 66.9 a second: a factor of ⌈66.9 ÷ 40⌉ = 2, which asks 8 × 2 × 40 = 640 of the sink; it loads 400, under
// the 480 arriving, so that factor alone, rerun, leaves the consumer held back by its sink (the old remedy). The sink must
// carry 1.1 × 480 = 528 records/s: a COPY of 250 ms for every ⌈528 × 0.25⌉ = 132 records (132 ÷ 0.25 s = 528). With a
// batch of 132 a lane takes 132 ÷ (0.05 + 2.772 + 0.35) s = 41.6 a second: a factor of 2 still, or under (132 ÷ 66.88 −
// 0.05 − 0.35) ÷ 132 = 11.92 ms a record, or the shard's records over 2 shards; or COPYs under 100 ÷ 528 = 189.4 ms at
// batches of 100. No batch alone: at 21 ms a record a lane processes under 1 ÷ 0.021 = 47.6 a second.
describe("D. lanes that need a factor of 2 where the COPYs let through 400 of 480 records/s: the remedies go with a batch of 132", () => {
  const base = { shards: 8, rate: "480/s", compute: "50ms", perRecord: "21ms", duration: "10m", sink: redshift("250ms") };
  const r = run(base);
  const cv = judge(r).consumers.find((x) => x.name === "f")!;
  const m = cv.shardBound!.remedy;

  it("the lanes are the bound, 320 records/s, under the sink's 400", () => {
    const l = r.consumers[0]!.lambda!;
    expect(l.laneThroughput).toBeCloseTo(40, 6);
    expect(l.sinkWriteBound!.perSecond).toBeCloseTo(400, 6);
    expect(l.throughputBound).toBeCloseTo(320, 6);
    expect(cv.bottleneck).toBe("function duration");
  });

  it("the sink must carry 528 records/s: at batches of 100 it loads 400, at 132 it loads 528", () => {
    expect(m.sink!.needPerSecond).toBeCloseTo(528, 6);
    expect(m.sink!.perSecond).toBeCloseTo(400, 6);
    expect(m.sink!.carries).toBe(false);
    expect(m.sink!.batchSize).toBe(132);
    expect(m.sink!.batchSizePerSecond).toBeCloseTo(528, 6);
    expect(m.sink!.writeUnderUs).toBeCloseTo(1e6 * (100 / 528), 3);
    // Before: a factor of 2 alone, with no batch to go with it.
    expect(m.lanesAtBatch).toBe(132);
    expect(m.lanePerSecond).toBeCloseTo(132 / (0.05 + 2.772 + 0.35), 6);
    expect(m.parallelization).toBe(2);
    expect(m.perRecordUs! / 1_000).toBeCloseTo((132 / m.targetPerSecond - 0.4) / 132 * 1_000, 2);
    expect(m.splitInto).toBe(2);
    expect(m.batchSize).toBeNull();
  });

  it("the words say the sink would become the limit, and what would raise it", () => {
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toContain("a parallelization factor of 2 with a batch of 132 records (2 lanes a shard, 83 records/s; its cluster then loads 528 records/s)");
    expect(text).toContain("a function under 11.9 ms a record with a batch of 132 records");
    expect(text).toContain("records split over 2 with a batch of 132 records");
    expect(text).toContain(
      "Its cluster runs one COPY at a time for all the lanes of its 8 shards: at batches of 100 records it loads at most 400 records/s (100 records ÷ 250 ms a COPY), under the 528 records/s they need (their 480 records/s with 10% to spare), so more lanes, a faster function or more shards alone would leave the consumer held back by its sink; a batch of at least 132 records would raise that to 528 records/s (the lane remedies above go with it), as would a COPY of a batch of 100 records under 189.3 ms (it takes 250 ms).",
    );
  });

  it("the sink's claim holds: a factor of 2 alone, rerun, is held back by the sink at 400 records/s", () => {
    const f2 = run({ ...base, parallelization: 2 });
    const v = judge(f2).consumers[0]!;
    expect(v.fallingBehind).toBe(true);
    expect(v.bottleneck).toBe("sink");
    expect(v.processedPerSecond / 400).toBeGreaterThan(0.99);
    expect(v.processedPerSecond / 400).toBeLessThan(1.01);
  });

  it("each remedy offered, applied as the words say and rerun, keeps up: processed 480 records/s", () => {
    const b = m.lanesAtBatch ?? 100;
    const perRecord = `${Math.floor(m.perRecordUs! / 100) / 10}ms`;
    expect(perRecord).toBe("11.9ms");
    for (const fixed of [
      run({ ...base, parallelization: m.parallelization!, batchSize: b }),
      run({ ...base, perRecord, batchSize: b }),
      run({ ...base, shards: 8 * m.splitInto, batchSize: b }),
      // The faster COPY at batches of 100 with the factor: 100 ÷ 0.189 s = 529 records/s loaded; lanes 2 × 100 ÷ 2.439 s = 82 a shard.
      run({ ...base, parallelization: m.parallelization!, sink: redshift("189ms") }),
    ]) {
      const v = judge(fixed).consumers[0]!;
      expect(v.fallingBehind).toBe(false);
      expect(v.processedPerSecond / 480).toBeGreaterThan(0.99);
    }
  });
});

// E. No batch lets the sink carry them: D's lanes at batches of 500 (50 ms + 10.5 s, the staging put, a COPY of 250 ms +
// 4.194304 s a MiB: 500 B a record is 2 ms a record, 1.25 s for 500), 500 ÷ 11.9 s = 42.0 records/s a lane, 336 for the 8,
// under the 500 ÷ 1.25 s = 400 the COPYs let through. They must carry 528; at 2 ms a record a COPY loads under 1 ÷ 0.002 s =
// 500 records/s whatever its batch, so no lane remedy is offered alone or with a batch; a COPY of 500 records under 500 ÷
// 528 = 946.97 ms would (its 250 ms and under (0.94697 − 0.25) ÷ 1 s × 4.194 s = 2.92 s a MiB). Rerun, the factor of 2 the
// old remedy offered is held back by its sink at 400; the faster COPY with it keeps up.
describe("E. a COPY's time a MiB that no batch outgrows: no lane remedy, and the faster COPY that would do", () => {
  const base = { shards: 8, rate: "480/s", compute: "50ms", perRecord: "21ms", batchSize: 500, duration: "10m", sink: redshift("250ms", "4194.304ms") };
  const r = run(base);
  const cv = judge(r).consumers.find((x) => x.name === "f")!;
  const m = cv.shardBound!.remedy;

  it("the sink carries under 500 records/s at any batch, short of 528: no lane remedy", () => {
    expect(r.consumers[0]!.lambda!.throughputBound).toBeCloseTo((8 * 500) / 11.9, 6);
    expect(m.sink!.perSecond).toBeCloseTo(400, 6);
    expect(m.sink!.ceilingPerSecond).toBeCloseTo(500, 6);
    expect(m.sink!.batchSize).toBeNull();
    expect(m.sink!.writeUnderUs).toBeCloseTo(1e6 * (500 / 528), 3);
    // Before: a factor of 2 (⌈66.9 ÷ 42.0⌉), alone.
    expect(m.lanesAtBatch).toBeNull();
    expect(m.parallelization).toBeNull();
    expect(m.perRecordUs).toBeNull();
    expect(m.batchSize).toBeNull();
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).not.toContain("What would let");
    expect(text).toContain(
      "no batch would raise that enough (within 10,000 records, the 6 MB payload and its 30 s timeout: at 2 ms a record (4.2 s a MiB) it loads under 500 records/s at any batch); a COPY of a batch of 500 records under 946.9 ms (it takes 1.25 s: 250 ms and 4.2 s a MiB; at 250 ms, under 2.9 s a MiB) would.",
    );
  });

  it("rerun: the factor of 2 alone is held back by the sink at 400; with COPYs at 2.9 s a MiB (0.25 + 0.69 s for 500 records) it keeps up", () => {
    const f2 = judge(run({ ...base, parallelization: 2 })).consumers[0]!;
    expect(f2.fallingBehind).toBe(true);
    expect(f2.bottleneck).toBe("sink");
    const faster = judge(run({ ...base, parallelization: 2, sink: redshift("250ms", "2900ms") })).consumers[0]!;
    expect(faster.fallingBehind).toBe(false);
  });
});

// F. With an end-to-end p99 SLO the sink must carry what the stream's peaks need, not only its mean. D's lanes, 400
// records/s with a 2-minute spike to 700 (3 to 5 min), a 60 s p99: the stream's arrivals after warmup, 400 × 420 + 700 × 120
// = 252,000 (mean 466.7 a second). Within 60 s less the 2.5 s a batch takes once read, a wait of W = 57.5 s: by hand the
// records waiting longer than W in a fluid backlog served at R, 700 (120 − WR ÷ (700 − R)) + 400 (120 (700 − R) − WR) ÷ (R
// − 400), fall to 1% of them (2,520) at R ≈ 471.6; the run's Poisson arrivals give about 475. The sink must carry 1.1 × that,
// about 522: a batch of ⌈522 × 0.25⌉ = 131 (130 on the ideal series). Rerun: a factor of 2 alone (what the old remedy
// offered, the sink then loading 400) misses the SLO (p99 143 s); with a batch of 131, p99 58.2 s: met. The fluid sizing
// leaves the sink 91% busy through the spike; the margin is thin but the SLO holds.
describe("F. a 60 s p99 SLO through a spike: the sink is sized to the stream's peaks", () => {
  const base = { shards: 8, rate: "400/s", spike: "700/s", compute: "50ms", perRecord: "21ms", duration: "10m", sink: redshift("250ms"), endToEndP99: "60s" };
  const r = run(base);
  const m = judge(r).consumers.find((x) => x.name === "f")!.shardBound!.remedy;

  it("the sink must carry 1.1 × the stream's need through its peaks (about 475 over a mean of 467): a batch of 131", () => {
    expect(m.sink!.throughPeaks).toBe(true);
    expect(m.sink!.streamPerSecond).toBeGreaterThan(465);
    expect(m.sink!.streamPerSecond).toBeLessThan(480);
    expect(m.sink!.needPerSecond).toBeCloseTo(1.1 * m.sink!.streamPerSecond, 6);
    expect(m.sink!.batchSize).toBe(Math.ceil(m.sink!.needPerSecond * 0.25));
    expect(m.lanesAtBatch).toBe(131);
    expect(m.parallelization).toBe(2);
    const text = verdictOf(r).consumers.find((x) => x.name === "f")!.explanation;
    expect(text).toMatch(/under the 52\d records\/s they need \(their 47\d records\/s through their peaks for the 1 min end-to-end p99 SLO with 10% to spare\)/);
  });

  it("rerun: the factor of 2 alone misses the SLO; with the batch of 131 it meets it", () => {
    const e2e = (x: RunResult) => verdictOf(x).slos.find((y) => y.name === "endToEndP99")!;
    expect(e2e(run({ ...base, parallelization: 2 })).met).toBe(false);
    const fixed = e2e(run({ ...base, parallelization: m.parallelization!, batchSize: m.lanesAtBatch! }));
    expect(fixed.met).toBe(true);
    expect(fixed.actual).toBeLessThan(60_000);
  });
});
