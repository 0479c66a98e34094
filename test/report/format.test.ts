// Report number formatting, on hand cases.
import { describe, expect, it } from "vitest";
import { decimals, formatBytes, clock, fixed, formatDuration, ms, pct, seconds, sig, thousands } from "../../src/report/format.js";

describe("sig", () => {
  it.each([
    [0.123456789, 6, 0.123457],
    [123456.789, 6, 123457],
    [1234.5678, 3, 1230],
    [-0.000987654321, 4, -0.0009877],
    [2 / 3, 6, 0.666667],
    [1e-20 / 3, 2, 3.3e-21],
  ])("sig(%s, %s) is %s", (x, digits, expected) => {
    expect(sig(x, digits)).toBe(expected);
  });

  it("sig keeps integers below 2^53 exact: sig(123456789) is 123456789", () => {
    expect(sig(123_456_789)).toBe(123_456_789);
    expect(sig(2 ** 53 - 1)).toBe(2 ** 53 - 1);
  });

  it("sig(0.1 + 0.2) is 0.3: the last bits of floating-point arithmetic do not reach the report", () => {
    expect(sig(0.1 + 0.2)).toBe(0.3);
  });

  it("sig(-0) is 0 (no negative zero in JSON) and sig passes NaN and Infinity through", () => {
    expect(Object.is(sig(-0), 0)).toBe(true);
    expect(sig(Number.NaN)).toBeNaN();
    expect(sig(Infinity)).toBe(Infinity);
  });
});

describe("fixed, ms, seconds", () => {
  it.each([
    [3.14159, 2, 3.14],
    [2.5, 0, 3],
    [1234.5678, 1, 1234.6],
    [-1.25, 1, -1.2], // Math.round rounds halves up, towards +∞
    [0.000449, 3, 0],
  ])("fixed(%s, %s) is %s", (x, places, expected) => {
    expect(fixed(x, places)).toBe(expected);
  });

  it("ms(123456 µs) is 123.456 and ms(1.6 µs) is 0.002", () => {
    expect(ms(123_456)).toBe(123.456);
    expect(ms(1.6)).toBe(0.002);
  });

  it("seconds(1234567 µs) is 1.234567 and seconds(90 min) is 5400", () => {
    expect(seconds(1_234_567)).toBe(1.234567);
    expect(seconds(5_400_000_000)).toBe(5_400);
  });
});

describe("decimals", () => {
  it("keeps its decimals, except where they would show a non-zero value as zero: then two significant digits", () => {
    expect(decimals(12.345, 1)).toBe("12.3");
    expect(decimals(0.8, 1)).toBe("0.8");
    expect(decimals(0.0476, 1)).toBe("0.048");
    expect(decimals(0.0048, 2)).toBe("0.0048");
    expect(decimals(0.005, 2)).toBe("0.01");
    expect(decimals(0, 1)).toBe("0.0");
  });
});

describe("thousands", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [1_000, "1,000"],
    [1_234_567, "1,234,567"],
    [-1_234_567, "-1,234,567"],
    [1_234.5678, "1,234.5678"],
    [12_345_678_901, "12,345,678,901"],
    [0.12345, "0.12345"],
  ])("thousands(%s) is %s", (n, expected) => {
    expect(thousands(n)).toBe(expected);
  });

  it("thousands does not follow the locale (de-DE would write 1.234.567)", () => {
    expect((1_234_567).toLocaleString("de-DE")).toBe("1.234.567");
    expect(thousands(1_234_567)).toBe("1,234,567");
  });
});

describe("pct", () => {
  it.each([
    [12.3456, undefined, "12.35%"],
    [0, undefined, "0%"],
    [100, 1, "100.0%"],
    [0.00049, 3, "0.000%"],
    [0.0005, 4, "0.0005%"],
    [25, 0, "25%"],
  ])("pct(%s, %s) is %s", (x, places, expected) => {
    expect(pct(x, places)).toBe(expected);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [850, "850 µs"],
    [1_000, "1 ms"],
    [1_500, "1.5 ms"],
    [850_000, "850 ms"],
    [1_000_000, "1 s"],
    [1_250_000, "1.25 s"],
    [59_000_000, "59 s"],
    [60_000_000, "1 min"],
    [200_000_000, "3 min 20 s"],
    [3_600_000_000, "1 h"],
    [7_500_000_000, "2 h 5 min"],
    [24 * 3_600_000_000, "24 h"],
  ])("formatDuration(%s µs) is %s", (us, expected) => {
    expect(formatDuration(us)).toBe(expected);
  });

  it.each([
    [119_600_000, "2 min"], // 1 min 59.6 s rounds to 2 min, not "1 min 60 s"
    [3_599_600_000, "1 h"], // 59 min 59.6 s rounds to 1 h, not "59 min 60 s"
    [7_176_000_000, "2 h"], // 1 h 59.6 min rounds to 2 h, not "1 h 60 min"
    [3_630_000_000, "1 h 1 min"], // 1 h 0.5 min rounds up
    [3_629_000_000, "1 h"],
  ])("formatDuration(%s µs) carries a rounded-up unit: %s", (us, expected) => {
    expect(formatDuration(us)).toBe(expected);
  });
});

describe("clock", () => {
  it.each([
    [0, "0:00:00"],
    [999_999, "0:00:00"],
    [262_000_000, "0:04:22"],
    [3_599_000_000, "0:59:59"],
    [3_600_000_000, "1:00:00"],
    [90_061_000_000, "25:01:01"],
  ])("clock(%s µs) is %s", (us, expected) => {
    expect(clock(us)).toBe(expected);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1_023, "1023 B"],
    [1_024, "1 KiB"],
    [1_536, "1.5 KiB"],
    [664_637, "649.06 KiB"],
    [1_048_576, "1 MiB"],
    [5 * 1_048_576 + 524_288, "5.5 MiB"],
    [1_073_741_824, "1 GiB"],
    [3_221_225_472, "3 GiB"],
  ])("formatBytes(%s) is %s", (b, expected) => {
    expect(formatBytes(b)).toBe(expected);
  });
});
