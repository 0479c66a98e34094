// A fluid FIFO backlog served at a constant rate (src/result/backlogWait.ts), against hand-worked cases: a shard of 375
// records/s with a 2-minute spike of 875 (1 s steps, 8 minutes, the first minute warmup; the spike from 2 to 4 min).
import { describe, expect, it } from "vitest";
import { backlogPeak, backlogWaitQuantile, rateForWait } from "../../src/result/backlogWait.js";

const arrivals = Array.from({ length: 480 }, (_, i) => (i >= 120 && i < 240 ? 875 : 375));
const S = 1e6;

describe("a 2-minute spike of 875 a second over 375, served at R", () => {
  it("R = 700: the spike leaves 120 × 175 = 21,000 records, the last waiting 21,000 ÷ 700 = 30 s, drained in 21,000 ÷ 325 = 64.6 s", () => {
    const p = backlogPeak(arrivals, S, 60, 700);
    expect(p.waitUs / S).toBeCloseTo(30, 6);
    expect(p.drainUs / S).toBeCloseTo(21_000 / 325, 6);
  });

  it("R = 700: p99 wait 29.495 s, where 1% of the 217,500 records after warmup wait longer", () => {
    // Records after warmup: 300 s × 375 + 120 s × 875 = 217,500; 1% = 2,175. Waiting longer than W: in the spike those after
    // t = WR ÷ (875 − R) = 4W, 875 × (120 − 4W); after it, while the backlog 21,000 − 325 s is over WR = 700 W, 375 × (21,000 −
    // 700 W) ÷ 325. Sum 129,230.77 − 4,307.69 W = 2,175 ⇒ W = 29.495 s.
    expect(backlogWaitQuantile(arrivals, S, 60, 700) / S).toBeCloseTo(29.495, 2);
  });

  it("the lowest R whose p99 wait is within 30 s: 875 × (120 − 30R ÷ (875 − R)) + 375 × (120 (875 − R) − 30R) ÷ (R − 375) = 2,175 at R = 697.6", () => {
    // At R = 697: 30R ÷ 178 = 117.47, 875 × 2.528 = 2,212; (120 × 178 − 30 × 697) ÷ 322 × 375 = 524: 2,736 over. At 697.8:
    // 875 × 1.86 = 1,628 and 330 ÷ 322.8 × 375 = 383: 2,011. Between them 2,175 at about 697.6 (found to 0.1%).
    const r = rateForWait(arrivals, S, 60, 30 * S);
    expect(r).toBeGreaterThan(697);
    expect(r).toBeLessThan(699);
    expect(backlogWaitQuantile(arrivals, S, 60, r) / S).toBeLessThanOrEqual(30);
  });

  it("R above the spike (900): no backlog, no wait; R at the mean (518) a backlog still draining at the end", () => {
    expect(backlogWaitQuantile(arrivals, S, 60, 900)).toBe(0);
    expect(backlogPeak(arrivals, S, 60, 900)).toEqual({ waitUs: 0, drainUs: 0 });
    // 518 a second: the spike leaves 120 × 357 = 42,840, drained at 143 a second after it: 300 s, past the run's end (240 s).
    expect(backlogPeak(arrivals, S, 60, 518).drainUs).toBe(Infinity);
  });
});
