import { describe, expect, it } from "vitest";
import { z } from "zod";
import { byteRate, duration, formatDuration, formatSize, parseByteRate, parseDuration, parseRecordRate, parseSize, recordRate, size, UnitError } from "../../src/scenario/index.js";

describe("parseSize", () => {
  it.each([
    ["512B", 512],
    ["25KB", 25_000],
    ["1KiB", 1_024],
    ["1.5KiB", 1_536],
    ["5MB", 5_000_000],
    ["5MiB", 5_242_880],
    ["2GB", 2_000_000_000],
    ["1GiB", 1_073_741_824],
    [" 64 MiB ", 67_108_864],
    ["1_000B", 1_000],
    [".5KiB", 512],
    ["0B", 0],
  ])("reads %j as %d bytes (KB = 1000 B, KiB = 1024 B)", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it("rounds fractional bytes to whole bytes", () => {
    expect(parseSize("0.1KiB")).toBe(102); // 102.4
    expect(parseSize("1.5B")).toBe(2);
  });

  it.each(["1kb", "1K", "1 Mib", "MiB", "-1B", "1e3B", "1 MiBs", ""])("rejects %j with an example of the expected form", (text) => {
    expect(() => parseSize(text)).toThrow(UnitError);
    expect(() => parseSize(text)).toThrow(`expected a size such as 512B, 25KB, 1KiB, 5MiB or 1GiB, got "${text}"`);
  });

  // Bare numbers were bytes before issue 11 (parseSize(1024) was 1024), while a bare duration was an error: one
  // rule now, for every unit.
  it("takes a bare 0 as 0 B but asks for a unit on any other bare number", () => {
    expect(parseSize(0)).toBe(0);
    expect(() => parseSize(1024)).toThrow('a size needs a unit: B, KB, KiB, MB, MiB, GB or GiB, such as "1024B" or "1024KiB"; got the bare number 1024');
    expect(() => parseSize(-5)).toThrow(UnitError);
    expect(() => parseSize(Number.POSITIVE_INFINITY)).toThrow(UnitError);
  });
});

describe("parseDuration", () => {
  it.each([
    ["500us", 500],
    ["500µs", 500],
    ["250ms", 250_000],
    ["1.5s", 1_500_000],
    ["30s", 30_000_000],
    ["5m", 300_000_000],
    ["2h", 7_200_000_000],
    ["24h", 86_400_000_000],
    ["1d", 86_400_000_000],
    ["366d", 31_622_400_000_000],
    [" 10 m ", 600_000_000],
  ])("reads %j as %d microseconds", (text, micros) => {
    expect(parseDuration(text)).toBe(micros);
  });

  it("takes a bare 0 as zero time but asks for a unit on any other bare number", () => {
    expect(parseDuration(0)).toBe(0);
    expect(() => parseDuration(5)).toThrow('a duration needs a unit: us, ms, s, m, h or d, such as "5s" or "5ms"; got the bare number 5');
  });

  it.each(["5", "5min", "5 sec", "-1s", "1h30m", "s"])("rejects %j with an example of the expected form", (text) => {
    expect(() => parseDuration(text)).toThrow(`expected a duration such as 250ms, 30s, 5m, 2h or 1d, got "${text}"`);
  });

  it("rejects durations finer than a microsecond", () => {
    expect(() => parseDuration("0.5us")).toThrow('"0.5us" is not a whole number of microseconds');
    expect(() => parseDuration("1.0005ms")).toThrow("not a whole number of microseconds");
  });
});

describe("parseRecordRate", () => {
  it.each([
    ["2000/s", 2_000],
    ["90000/m", 1_500],
    ["3600/h", 1],
    ["2000 records/s", 2_000],
    ["1 record / s", 1],
    ["0.5/s", 0.5],
  ])("reads %j as %d records per second", (text, perSecond) => {
    expect(parseRecordRate(text)).toBe(perSecond);
  });

  it.each(["fast", "2000", "2000/d", "5e6/h", "2000/sec"])("rejects %j with an example of the expected form", (text) => {
    expect(() => parseRecordRate(text)).toThrow(`expected a record rate such as 2000/s, 90000/m or 5000000/h, got "${text}"`);
  });

  // Before issue 11 a bare number was records per second (parseRecordRate(150) was 150) while a bare duration
  // was an error: now every unit needs its unit.
  it("takes a bare 0 as 0/s but asks for a unit on any other bare number", () => {
    expect(parseRecordRate(0)).toBe(0);
    expect(() => parseRecordRate(2000)).toThrow('a record rate needs a unit: /s, /m or /h, such as "2000/s" or "2000/m"; got the bare number 2000');
    expect(() => parseRecordRate(-1)).toThrow(UnitError);
  });
});

describe("parseByteRate", () => {
  it.each([
    ["512KiB/s", 524_288],
    ["3MiB/s", 3_145_728],
    ["60MB/m", 1_000_000],
    ["1GiB/h", 1_073_741_824 / 3_600],
    ["100 B / s", 100],
  ])("reads %j as %d bytes per second", (text, perSecond) => {
    expect(parseByteRate(text)).toBeCloseTo(perSecond, 9);
  });

  it.each(["3MiB", "3MiB/d", "fast/s", "3mib/s"])("rejects %j with an example of the expected form", (text) => {
    expect(() => parseByteRate(text)).toThrow(`expected a byte rate such as 512KiB/s or 3MiB/s, got "${text}"`);
  });

  // Before issue 11 a bare number was bytes per second (parseByteRate(1000) was 1000).
  it("takes a bare 0 as 0 B/s but asks for a unit on any other bare number", () => {
    expect(parseByteRate(0)).toBe(0);
    expect(() => parseByteRate(1000)).toThrow('a byte rate needs a unit: a size unit (B, KB, KiB, MB, MiB, GB or GiB) per /s, /m or /h, such as "1000KiB/s" or "1000MiB/s"; got the bare number 1000');
  });
});

describe("formatSize and formatDuration", () => {
  it("formats sizes with binary units", () => {
    expect(formatSize(1)).toBe("1 B");
    expect(formatSize(1_023)).toBe("1023 B");
    expect(formatSize(1_536)).toBe("1.50 KiB");
    expect(formatSize(10 * 1_048_576)).toBe("10 MiB");
    expect(formatSize(1_073_741_824)).toBe("1 GiB");
  });

  it("formats durations in the largest whole unit", () => {
    expect(formatDuration(500)).toBe("500 µs");
    expect(formatDuration(250_000)).toBe("250 ms");
    expect(formatDuration(1_500_000)).toBe("1.5 s");
    expect(formatDuration(300_000_000)).toBe("5 min");
    expect(formatDuration(5_400_000_000)).toBe("90 min");
    expect(formatDuration(86_400_000_000)).toBe("24 h");
  });
});

describe("unit fields in the schema", () => {
  const messages = (schema: z.ZodType, input: unknown) => {
    const r = schema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it("parse unit strings to internal units", () => {
    expect(duration(0, 3_600_000_000).parse("90s")).toBe(90_000_000);
    expect(size(1, 10 * 1_048_576).parse("64KiB")).toBe(65_536);
    expect(recordRate().parse("120/m")).toBe(2);
    expect(byteRate().parse("1MiB/s")).toBe(1_048_576);
  });

  it("say what was expected when the text has the wrong form", () => {
    expect(messages(duration(0, 3_600_000_000), "soon")).toEqual(['expected a duration such as 250ms, 30s, 5m or 2h, got "soon"']);
    expect(messages(size(1, 100), "big")).toEqual(['expected a size such as 512B, 1KiB or 5MiB, got "big"']);
    expect(messages(recordRate(), "fast")).toEqual(['expected a record rate such as 2000/s or 90000/m, got "fast"']);
    expect(messages(byteRate(), true)).toEqual(["expected a byte rate such as 512KiB/s or 3MiB/s, got true"]);
  });

  it("name the allowed range when the value is out of it", () => {
    expect(messages(duration(1_000_000, 3_600_000_000), "2h")).toEqual(['"2h" is out of range: allowed 1 s to 1 h']);
    expect(messages(size(1, 10 * 1_048_576), "20MiB")).toEqual(['"20MiB" is out of range: allowed 1 B to 10 MiB']);
    expect(messages(size(1, 10 * 1_048_576), "0B")).toEqual(['"0B" is out of range: allowed 1 B to 10 MiB']);
  });
});
