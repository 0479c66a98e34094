import { describe, expect, it } from "vitest";
import { MICROS_PER_MS, MICROS_PER_SECOND, assertTime, fromMillis, fromSeconds, toSeconds } from "../../src/engine/time.js";

describe("time", () => {
  it("MICROS_PER_MS is 1000 and MICROS_PER_SECOND is 1 000 000", () => {
    expect(MICROS_PER_MS).toBe(1_000);
    expect(MICROS_PER_SECOND).toBe(1_000_000);
  });

  it.each([
    [1.5, 1_500_000],
    [0.1, 100_000],
    [1.005, 1_005_000], // 1.005·1e6 is 1004999.9999999999 in floating point; rounded, not truncated
    [0.000123, 123], // 123.00000000000001 in floating point
    [2.4e-6, 2],
    [86_400, 86_400_000_000],
  ])("fromSeconds(%s) is %s µs", (s, us) => {
    expect(fromSeconds(s)).toBe(us);
  });

  it.each([
    [0.3, 300],
    [250, 250_000],
    [0.0004, 0],
  ])("fromMillis(%s) is %s µs", (ms, us) => {
    expect(fromMillis(ms)).toBe(us);
  });

  it("toSeconds(2 500 000) is 2.5", () => {
    expect(toSeconds(2_500_000)).toBe(2.5);
  });

  it("ten steps of start + n·period (0.1 s) land exactly on 1 s", () => {
    const period = fromSeconds(0.1);
    expect(Array.from({ length: 11 }, (_, n) => n * period).at(-1)).toBe(MICROS_PER_SECOND);
  });

  it.each([0, 1, Number.MAX_SAFE_INTEGER])("assertTime(%s) accepts it", (t) => {
    expect(() => assertTime(t, "t")).not.toThrow();
  });

  it.each([-1, 0.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])("assertTime(%s) throws a RangeError naming the value", (t) => {
    expect(() => assertTime(t, "event time")).toThrow(/event time must be a non-negative whole number/);
  });
});
