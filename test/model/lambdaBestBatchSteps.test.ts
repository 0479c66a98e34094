// The batch a lane's bound is counted at when a full batch outlasts the timeout (laneBatchWithin), among more than 2,048
// sizes, is found by a search (src/model/lambda/laneBatch.ts bestBatch) over a rate with a step down each time a sink
// write takes one more request. The search compared single batches at different places in their steps and could settle
// steps away from the best; it now compares the best of windows of two whole steps (toothOf: the records after which the
// steps repeat).
import { describe, expect, it } from "vitest";
import { bestBatch, laneBatchWithin, laneCycles, toothOf, type LaneTimes } from "../../src/model/lambda/laneBatch.js";

const rateOf = (s: LaneTimes) => {
  const { cycle } = laneCycles(s);
  return (b: number) => {
    const c = cycle(b);
    return c.us > 0 ? c.users / (c.us / 1e6) : Infinity;
  };
};

/** Every batch from 1 to hi: the one that processes the most (the larger on a tie), no search. */
function exhaustive(rate: (b: number) => number, hi: number): { records: number; perSecond: number } {
  let best = { records: 0, perSecond: -Infinity };
  for (let b = 1; b <= hi; b++) {
    const r = rate(b);
    if (r >= best.perSecond) best = { records: b, perSecond: r };
  }
  return best;
}

describe("the batch counted among thousands of sizes, a sink write a request at a time", () => {
  // 200 ms an invocation + 0.3 ms a record, no variability, a BatchWriteItem request of 25 items at a constant 20 ms, 3 s
  // timeout, BatchSize 10,000 (a full batch: 0.2 + 3 + 400 × 0.02 = 11.2 s, over it).
  const s: LaneTimes = { perInvocationUs: 200_000, perRecordUs: 300, write: { fixedUs: 0, perRequestUs: 20_000, recordsPerRequest: 25, perRecordUs: 0 }, timeoutUs: 3_000_000 };

  it("by hand: 2,525 records (101 full requests) in 2.9775 s, 848.03 a second, the largest that ends in time at a step's peak", () => {
    // At b = 25k: 0.2 + 0.0003 × 25k + 0.02k ≤ 3 ⇔ 0.0275k ≤ 2.8 ⇔ k ≤ 101: b = 2,525, 0.2 + 0.7575 + 2.02 = 2.9775 s,
    // 2,525 ÷ 2.9775 = 848.03 a second. Past it 102 requests: 2,526 takes 2.99780 s (842.6 a second), 2,533 takes 3.0 s
    // (844.3), 2,534 is over the timeout; below, 2,500 (100 requests) takes 2.95 s (847.46), 2,475 takes 2.9225 s (846.88).
    const b = laneBatchWithin(s, 10_000);
    expect(b.records).toBe(2525);
    expect(b.perSecond).toBeCloseTo(2525 / 2.9775, 6);
  });

  it("toothOf: the steps repeat every R ÷ gcd(R, u) records (25 for u = 1; 16 for u = 5 and R = 16, not ⌈16 ÷ 5⌉ = 4)", () => {
    expect(toothOf(s)).toBe(25);
    expect(toothOf({ ...s, usersPerRecord: 5, write: { ...s.write!, recordsPerRequest: 16 } })).toBe(16);
    expect(toothOf({ ...s, usersPerRecord: 5 })).toBe(5);
    expect(toothOf({ ...s, write: null })).toBe(1);
  });

  it("over 60 settings (items a request, aggregation, variability, timeout, BatchSize over 2,048) it finds what an exhaustive scan finds", () => {
    // A fixed sequence (Park–Miller), so the settings are the same on every run.
    let seed = 7;
    const rnd = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const misses: string[] = [];
    for (let i = 0; i < 60; i++) {
      const items = [1, 7, 10, 16, 25][Math.floor(rnd() * 5)]!;
      const latency = 5_000 + rnd() * 50_000;
      const t: LaneTimes = {
        perInvocationUs: rnd() * 2_000_000,
        perRecordUs: 50 + rnd() * 2_000,
        usersPerRecord: rnd() < 0.4 ? 1 + Math.floor(rnd() * 5) : 1,
        write: { fixedUs: 0, perRequestUs: latency, recordsPerRequest: items, perRecordUs: 0 },
        timeoutUs: 1_000_000 + rnd() * 10_000_000,
        variability: rnd() < 0.4 ? 0 : rnd() * 0.8,
        retryDelayUs: rnd() * 2_000_000,
      };
      const hi = 2_100 + Math.floor(rnd() * 7_900);
      const rate = rateOf(t);
      const found = bestBatch(rate, 1, hi, toothOf(t));
      const best = exhaustive(rate, hi);
      if (found.perSecond < best.perSecond) misses.push(`#${i}: ${found.records} (${found.perSecond}) where ${best.records} (${best.perSecond})`);
    }
    expect(misses).toEqual([]);
  });
});
