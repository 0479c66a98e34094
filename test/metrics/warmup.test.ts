import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/metrics/latency.js";
import { Count, countsFrom, MaxAfterWarmup, RowsAfterWarmup, SpansAfterWarmup, valuesOf } from "../../src/metrics/warmup.js";

describe("counting after warmup", () => {
  it("a Count adds only at or after the warmup", () => {
    const c = new Count(1_000);
    c.add(999, 5);
    c.add(1_000, 7);
    c.add(2_000);
    expect(c.value).toBe(8);
  });

  it("countsFrom makes one Count per name, valuesOf reads them back by name", () => {
    const counts = countsFrom(1_000, ["offered", "calls"]);
    counts.offered.add(500, 3);
    counts.offered.add(1_500, 4);
    counts.calls.add(1_000);
    expect(valuesOf(counts)).toEqual({ offered: 4, calls: 1 });
  });

  it("RowsAfterWarmup counts per row from the warmup on", () => {
    const r = new RowsAfterWarmup(10, 3);
    r.add(0, 9, 100);
    r.add(0, 10, 1);
    r.add(2, 11, 2.5);
    expect(Array.from(r.values)).toEqual([1, 0, 2.5]);
  });

  it("SpansAfterWarmup adds the part of each span inside [from, until), per row", () => {
    const s = new SpansAfterWarmup(100, 1_000, 2);
    s.add(0, 0, 50); // wholly before: nothing
    s.add(0, 80, 130); // 100..130
    s.add(0, 200, 260); // whole
    s.add(1, 900, 1_200); // 900..1,000
    s.add(1, 1_000, 1_500); // wholly after: nothing
    s.add(1, 500, 400); // empty
    expect(Array.from(s.values)).toEqual([30 + 60, 100]);
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
