// When a full batch's mean duration is over the function's timeout (retried whole), a lane's bound is counted at a smaller
// batch (src/model/lambda/laneBatch.ts laneBatchWithin): the one that processes the most a second once the tries the
// timeout cuts are counted (laneCycles), and the words say so (verdict.ts laneBatchWords). helper-124: the batch was
// chosen by its mean duration (the largest within the timeout: 1,400 records at 3 s, "466.67 a second"), which a timeout
// of the same 3 s cuts on 44% of its tries, so the bound then read 252.84, and the words said "÷ that batch's mean duration".
import { describe, expect, it } from "vitest";
import { laneBatchWithin, laneCycles, type LaneTimes } from "../../src/model/lambda/laneBatch.js";
import { laneBatchWords, verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "../report/lambdaScenario.js";

// 200 ms an invocation + 2 ms a record, variability 0.3 (σ = √ln 1.09 = 0.293560), 3 s timeout, 1 s retry delay.
const s: LaneTimes = { perInvocationUs: 200_000, perRecordUs: 2_000, timeoutUs: 3_000_000, variability: 0.3, retryDelayUs: 1_000_000 };
const rate = (b: number) => {
  const c = laneCycles(s).cycle(b);
  return c.users / (c.us / 1e6);
};

describe("the batch counted is the one that processes the most, its cut tries counted", () => {
  it("700 records by hand: m = 1.6 s, P(in time) = Φ(2.28811) = 0.98893, E[min] = 1.596335 s: 700 × 0.98893 ÷ 1.607405 s = 430.67", () => {
    // ln(3 ÷ 1.6) = 0.628609, σ²/2 = 0.043089: z = (0.628609 + 0.043089) ÷ 0.293560 = 2.28811, Φ = 0.98893; E[min(C, 3 s)] =
    // 1.6 × Φ((0.628609 − 0.043089) ÷ 0.293560 = 1.99455) + 3 × (1 − 0.98893) = 1.6 × 0.976953 + 0.03321 = 1.596335 s; each cut
    // try adds the 1 s delay: 700 × 0.98893 ÷ (1.596335 + 0.01107) = 430.67.
    expect(rate(700)).toBeCloseTo(430.67, 1);
    // 1,400 records (3 s, the old choice): P = Φ(σ/2) = Φ(0.146780) = 0.558347, E[min] = 3 × (1 − Φ(σ/2)) × 2 = 2.649918 s:
    // 1,400 × 0.558347 ÷ (2.649918 + 0.441653) = 252.84.
    expect(rate(1400)).toBeCloseTo(252.84, 1);
  });

  it("a full batch of 2,000 (4.2 s) over the timeout: counted at 706 records, 430.68 a second, not at 1,400 (252.84)", () => {
    const b = laneBatchWithin(s, 2000);
    expect(b.records).toBe(706);
    expect(b.perSecond).toBeCloseTo(430.683, 2);
    // The most of every batch from 1 to 2,000 (an exhaustive scan, not the search laneBatchWithin makes).
    let most = 0;
    for (let x = 1; x <= 2000; x++) most = Math.max(most, rate(x));
    expect(b.perSecond).toBe(most);
  });

  it("with no variability it is the old choice: the largest batch within the timeout, 1,400 at 3 s, 466.67 a second", () => {
    expect(laneBatchWithin({ ...s, variability: 0 }, 2000)).toEqual({ records: 1400, perSecond: expect.closeTo(1400 / 3, 6) as number });
  });
});

describe("runs with a backlog at those batch sizes", () => {
  // 600 records/s on one shard, 20 min (1 min warmup), a backlog throughout.
  const run = (batchSize: number) =>
    simulateScenario(lambdaScenario({ duration: "20m", warmup: "1m", rate: "600/s", fn: { timeout: "3s", duration: { perInvocation: "200ms", perRecord: "2ms", variability: 0.3 } }, mapping: { batchSize } }));
  const at = (batchSize: number) => verdictOf(run(batchSize)).consumers[0]!.processedPerSecond;

  it("batches of 706 process 1.7 times what batches of 1,400 do, each near its cut-counted rate (430.7, 252.8)", () => {
    const best = at(706);
    const old = at(1400);
    // About 700 tries of 706 records (1.2% cut) and 370 of 1,400 (44% cut: one s.d. of the processed share 0.026 ÷ 0.558, 4.6%).
    expect(Math.abs(best / 430.683 - 1)).toBeLessThan(0.05);
    expect(Math.abs(old / 252.844 - 1)).toBeLessThan(0.1);
    expect(best / old).toBeGreaterThan(1.5);
  });

  it("the words follow the cut-counted rate: 706 ÷ the lane's mean time for each batch of 706, the full batch's cut share", () => {
    const fn = run(2000).consumers[0]!.lambda!;
    expect(fn.laneBatchRecords).toBe(706);
    // 706 ÷ 430.683 = 1.639 s; a full batch of 2,000: P(in time) = Φ((ln(3 ÷ 4.2) + 0.043089) ÷ 0.293560) = Φ(−0.99942) = 0.15880.
    expect(laneBatchWords(fn)).toBe(
      "706 records ÷ 1.64 s, the lane's mean time for each batch of 706 it finishes (1.2% of its tries outlast the timeout, each holding the lane 3 s and the retry delay): a full batch of 2,000 takes 4.2 s on average, over its 3 s timeout, so 84.1% of its tries are cut there (Lambda retries a timed-out batch whole); of the batches of at most 2,000 records, a batch of 706 processes the most a second, its cut tries counted",
    );
  });
});
