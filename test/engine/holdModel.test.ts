// The engine micro-benchmark's models (test/bench/engineModels.ts) are right: otherwise its events/s and ratios
// would compare different work. Correctness only; nothing here is timed.

import { describe, expect, it } from "vitest";
import { BareHeap, holdOnBareHeap, holdOnSimulator, mm1OnSimulator } from "../bench/engineModels.js";

describe("BareHeap", () => {
  it("pops by time, then by insertion order at equal times (a hand-built case)", () => {
    const heap = new BareHeap(8);
    const pushes: [number, number][] = [[5, 0], [3, 1], [5, 2], [1, 3], [3, 4], [5, 5], [0, 6], [3, 7]];
    for (const [t, p] of pushes) heap.push(t, p);
    const out: [number, number][] = [];
    while (heap.size > 0) {
      const t = heap.pop();
      out.push([t, heap.popped]);
    }
    expect(out).toEqual([[0, 6], [1, 3], [3, 1], [3, 4], [3, 7], [5, 0], [5, 2], [5, 5]]);
  });

  it("keeps the order when pushes and pops interleave, and refuses to overflow or pop empty", () => {
    const heap = new BareHeap(3);
    heap.push(10, 1);
    heap.push(10, 2);
    expect(heap.pop()).toBe(10);
    expect(heap.popped).toBe(1);
    heap.push(10, 3);
    heap.push(4, 4);
    expect(() => heap.push(1, 5)).toThrow(/full/);
    expect([heap.pop(), heap.popped]).toEqual([4, 4]);
    expect([heap.pop(), heap.popped]).toEqual([10, 2]);
    expect([heap.pop(), heap.popped]).toEqual([10, 3]);
    expect(heap.peekTime()).toBe(Infinity);
    expect(() => heap.pop()).toThrow(/empty/);
  });
});

describe("hold model", () => {
  const opts = { pending: 50, events: 20_000, seed: 7 };

  it("runs the same event times on the Simulator (shared action or closures) and on the bare heap", () => {
    const traces = [[], [], []] as number[][];
    const shared = holdOnSimulator({ ...opts, trace: traces[0] }, false);
    const closures = holdOnSimulator({ ...opts, trace: traces[1] }, true);
    const bare = holdOnBareHeap({ ...opts, trace: traces[2] });
    for (const r of [shared, closures, bare]) expect(r.events).toBe(opts.events);
    expect(traces[0]).toHaveLength(opts.events);
    expect(traces[1]).toEqual(traces[0]);
    expect(traces[2]).toEqual(traces[0]);
    expect([closures.sumOfTimes, bare.sumOfTimes]).toEqual([shared.sumOfTimes, shared.sumOfTimes]);
    // Times never go backwards, and a different seed runs different times.
    expect(traces[0]!.every((t, i) => i === 0 || t >= traces[0]![i - 1]!)).toBe(true);
    expect(holdOnBareHeap({ ...opts, seed: 8 }).sumOfTimes).not.toBe(bare.sumOfTimes);
  });

  it("runs N events per second of virtual time in the steady state (increments of mean 1 s, N pending)", () => {
    // Each of the N pending events recurs after Exp(mean 1 s): a superposition of N renewal processes of rate
    // 1/s, so events − N holds take about (events − N)/N seconds. Over 19,950 holds the relative spread is ≈ 1/√19,950.
    const trace: number[] = [];
    holdOnBareHeap({ ...opts, trace });
    const holds = opts.events - opts.pending;
    const seconds = trace[holds - 1]! / 1e6;
    expect(seconds).toBeGreaterThan((holds / opts.pending) * 0.97);
    expect(seconds).toBeLessThan((holds / opts.pending) * 1.03 + 5);
  });
});

describe("M/M/1 on the Simulator", () => {
  // Closed forms: mean time in system 1/(μ − λ), utilisation ρ = λ/μ. Bounds: 4 batch-means standard errors
  // (customers' times are correlated, so the plain standard deviation / √n would be too narrow).
  it.each([
    { lambda: 0.5, mu: 1, customers: 100_000 },
    { lambda: 0.9, mu: 1, customers: 200_000 },
  ])("λ = $lambda, μ = $mu: mean time in system 1/(μ − λ) and utilisation λ/μ", ({ lambda, mu, customers }) => {
    const r = mm1OnSimulator(lambda, mu, customers, 3);
    expect(r.customers).toBe(customers);
    expect(r.events).toBe(2 * customers);
    const expected = 1 / (mu - lambda);
    expect(r.sojournStandardError).toBeGreaterThan(0);
    expect(r.sojournStandardError).toBeLessThan(0.05 * expected);
    expect(Math.abs(r.meanSojourn - expected)).toBeLessThan(4 * r.sojournStandardError);
    expect(Math.abs(r.utilisation - lambda / mu)).toBeLessThan(0.02);
  });
});
