import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/metrics/latency.js";
import { AfterWarmup, MaxAfterWarmup, RowsAfterWarmup } from "../../src/metrics/warmup.js";

describe("counting after warmup", () => {
  it("AfterWarmup adds to a field only at or after the warmup, leaving the other fields alone", () => {
    const stats = { offered: 0, calls: 0, label: "x" };
    const a = new AfterWarmup(1_000, stats);
    a.add("offered", 999, 5);
    a.add("offered", 1_000, 7);
    a.add("calls", 2_000);
    expect(stats).toEqual({ offered: 7, calls: 1, label: "x" });
    expect([a.covers(999), a.covers(1_000)]).toEqual([false, true]);
  });

  it("RowsAfterWarmup counts per row from the warmup on", () => {
    const r = new RowsAfterWarmup(10, 3);
    r.add(0, 9, 100);
    r.add(0, 10, 1);
    r.add(2, 11, 2.5);
    expect(Array.from(r.values)).toEqual([1, 0, 2.5]);
  });

  it("MaxAfterWarmup keeps the largest value seen from the warmup on", () => {
    const m = new MaxAfterWarmup(10, 2);
    m.observe(0, 5, 1_000);
    m.observe(0, 10, 3);
    m.observe(0, 20, 2);
    m.observe(1, 30, 7);
    expect(Array.from(m.values)).toEqual([3, 7]);
  });

  it("LatencyHistogram.recordAt leaves out what was observed before its start", () => {
    const h = new LatencyHistogram(1_000_000);
    h.recordAt(999_999, 50, 10);
    h.recordAt(1_000_000, 200, 3);
    expect(h.count).toBe(3);
    expect(h.summary().max).toBe(200);
  });
});
