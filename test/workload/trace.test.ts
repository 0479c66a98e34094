// Traces: the CSV format (with exact file:line:col errors), CloudWatch get-metric-data exports in the exact
// format the AWS CLI prints (AWS CLI reference, cloudwatch get-metric-data), ISO-8601 times against Date, and the `shape: trace` rate model
// against its closed forms: Λ at period boundaries is scale × the trace's cumulative counts, even arrivals give
// the trace's counts exactly, Poisson arrivals the right mean and variance per period, and bursty arrivals
// stay inside one burst of period/peakToMean per period, deterministically for a seed.
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/engine/random.js";
import { RateShapeSchema } from "../../src/spec/index.js";
import { formatIsoTime, parseIsoTime } from "../../src/workload/isoTime.js";
import { arrivalTimes, arrivalsIn, rateModel, type RateModel } from "../../src/workload/rate.js";
import { cloudWatchToTrace, MAX_TRACE_PERIODS, parseTraceCsv, traceCsv, traceDuration, TraceError, traceMeanRecordSize, type Trace } from "../../src/workload/trace.js";

const S = 1_000_000;
const MIN = 60 * S;

function rng(name: string): RandomStream {
  return RandomStream.root(20_240_926).fork(name);
}

/** The TraceError message `fn` throws (fails the test if it throws something else or nothing). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TraceError);
    return (e as TraceError).message;
  }
  throw new Error("expected a TraceError");
}

// ---------------------------------------------------------------------------------------------------------
// ISO-8601 times.

describe("parseIsoTime / formatIsoTime", () => {
  it("agree with Date.parse for 2,000 times from 1970 to 2100, with Z, +hh:mm and -hh:mm offsets", () => {
    const r = rng("iso");
    for (let k = 0; k < 2_000; k++) {
      const ms = Math.floor(r.uniform() * 4_102_444_800_000);
      const iso = new Date(ms).toISOString(); // 2024-09-26T12:00:00.123Z
      expect(parseIsoTime(iso)).toBe(ms * 1_000);
      const offsetMin = (r.int(27 * 4) - 12 * 4) * 15;
      const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
      const sign = offsetMin < 0 ? "-" : "+";
      const abs = Math.abs(offsetMin);
      const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
      expect(parseIsoTime(text)).toBe(ms * 1_000);
      expect(formatIsoTime(ms * 1_000)).toBe(ms % 1_000 === 0 ? iso.replace(".000Z", "Z") : iso.replace("Z", "000Z"));
    }
  });

  it("2024-09-26T14:00:00+02:00 is 12:00:00Z, and 2024-03-01T00:30:00+01:00 is the last day of February 2024 (a leap year)", () => {
    expect(parseIsoTime("2024-09-26T14:00:00+02:00")).toBe(parseIsoTime("2024-09-26T12:00:00Z"));
    expect(formatIsoTime(parseIsoTime("2024-03-01T00:30:00+01:00")!)).toBe("2024-02-29T23:30:00Z");
    expect(parseIsoTime("2024-09-26T12:00:00")).toBe(parseIsoTime("2024-09-26T12:00:00+00:00"));
    expect(parseIsoTime("2024-09-26 12:00:00-0530")).toBe(parseIsoTime("2024-09-26T17:30:00Z"));
  });

  it("rejects impossible dates and times and other text", () => {
    for (const bad of ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-09-26T24:00:00Z", "2024-09-26T12:60:00Z", "2024-09-26", "60", "2024-09-26T12:00:00+25:00", ""]) {
      expect(parseIsoTime(bad)).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// CSV.

describe("parseTraceCsv", () => {
  it("reads ISO times with offsets, comments, blank lines, CRLF and a BOM", () => {
    const text =
      "\uFEFF# clickstream, 1-minute Sums\r\n" +
      "time,records,bytes\r\n" +
      "2024-09-26T14:00:00+02:00,1200,840000   # first minute\r\n" +
      "\r\n" +
      "2024-09-26T12:01:00Z, 1300 , 910000\r\n" +
      "2024-09-26T12:02:00+00:00,0,0\r\n";
    expect(parseTraceCsv(text, "t.csv")).toEqual({ periodUs: MIN, records: [1_200, 1_300, 0], bytes: [840_000, 910_000, 0] });
  });

  it("reads seconds from the start (decimals allowed) and a records-only header", () => {
    expect(parseTraceCsv("time,records\n0,5\n0.5,7\n1,9.5\n", "t.csv")).toEqual({ periodUs: 500_000, records: [5, 7, 9.5], bytes: null });
    expect(parseTraceCsv("TIME,Records,Bytes\n300,1e3,2.5e5\n600,0,0\n", "t.csv")).toEqual({ periodUs: 300 * S, records: [1_000, 0], bytes: [250_000, 0] });
  });

  const cases: [string, string, string][] = [
    ["a record count that is not a number", "time,records,bytes\n0,10,100\n60,abc,200\n", `t.csv:3:4: records: expected a number ≥ 0 (the period's total records), got "abc"`],
    ["a negative byte count", "time,records,bytes\n0,10,100\n60,20, -5\n", `t.csv:3:8: bytes: expected a number ≥ 0 (the period's total bytes), got "-5"`],
    [
      "irregular spacing",
      "# comment\ntime,records\n0,1\n60,2\n180,3\n",
      "t.csv:5:1: time: irregular spacing: 120 s after the previous row (line 4), but the period is 60 s (lines 3 and 4); rows must be one period apart (write 0 for a period without traffic)",
    ],
    [
      "irregular ISO spacing",
      "time,records\n2024-09-26T12:00:00Z,1\n2024-09-26T12:01:00Z,2\n2024-09-26T12:02:30Z,3\n",
      "t.csv:4:1: time: irregular spacing: 90 s after the previous row (line 3), but the period is 60 s (lines 2 and 3); rows must be one period apart (write 0 for a period without traffic)",
    ],
    ["times going backwards", "time,records\n60,1\n0,2\n", "t.csv:3:1: time: must be after the previous row's (line 2); rows are in ascending time, one per period"],
    ["a repeated time", "time,records\n0,1\n60,2\n60,3\n", "t.csv:4:1: time: must be after the previous row's (line 3); rows are in ascending time, one per period"],
    ["a misspelt header column", "time,recs,bytes\n0,1,2\n", "t.csv:1:6: header: column 2 must be `records`, got `recs`; the header is `time,records` or `time,records,bytes`"],
    ["a fourth header column", "time,records,bytes,shard\n", "t.csv:1:20: header: unexpected column 4 `shard`; the header is `time,records` or `time,records,bytes`"],
    ["a data row instead of the header", "# no header\n0,1,2\n60,1,2\n", "t.csv:2:1: the first line must be the header `time,records,bytes` (bytes optional), not a data row"],
    ["a row with too few fields", "time,records,bytes\n0,1,2\n60,1\n", "t.csv:3:5: expected 3 fields (time,records,bytes), got 2"],
    ["a row with too many fields", "time,records\n0,1\n60,1,  2\n", "t.csv:3:8: expected 2 fields (time,records), got 3: unexpected `2`"],
    [
      "a time that is neither ISO nor seconds",
      "time,records\n0,1\n1m,1\n",
      `t.csv:3:1: time: expected an ISO-8601 time such as 2024-09-26T12:00:00Z (offsets such as +02:00 allowed) or seconds from the start such as 60, got "1m"`,
    ],
    ["an impossible date", "time,records\n2024-02-30T00:00:00Z,1\n", `t.csv:2:1: time: expected an ISO-8601 time such as 2024-09-26T12:00:00Z (offsets such as +02:00 allowed) or seconds from the start such as 60, got "2024-02-30T00:00:00Z"`],
    [
      "mixed kinds of time",
      "time,records\n2024-09-26T12:00:00Z,1\n60,2\n",
      `t.csv:3:1: time: expected an ISO-8601 time like the first row (line 2), got "60"; every row uses the same kind of time`,
    ],
    ["a missing record count", "time,records\n0,1\n60, \n", "t.csv:3:4: records: missing; expected a number ≥ 0 (the period's total records)"],
    ["a single row", "time,records\n0,1\n", "t.csv:2:1: a trace needs at least two rows (the period is the spacing of the first two); got 1"],
    ["a header alone", "time,records\n# nothing yet\n", "t.csv:1:1: a trace needs at least two rows (the period is the spacing of the first two); got 0"],
    ["an empty file", "\n# only a comment\n", "t.csv:1:1: empty trace: expected the header `time,records,bytes` (bytes optional) and one row per period"],
    ["a non-ASCII column count", "time,records\n0,1\n60,é1\n", `t.csv:3:4: records: expected a number ≥ 0 (the period's total records), got "é1"`],
  ];
  for (const [what, text, message] of cases) {
    it(`${what}: ${message}`, () => {
      expect(errorOf(() => parseTraceCsv(text, "t.csv"))).toBe(message);
    });
  }

  it("TraceError carries the file, line, column and the problem without its position", () => {
    try {
      parseTraceCsv("time,records\n0,1\n60,x\n", "dir/t.csv");
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ name: "TraceError", file: "dir/t.csv", line: 3, column: 4, problem: `records: expected a number ≥ 0 (the period's total records), got "x"` });
    }
  });
});

describe("traceCsv", () => {
  const trace: Trace = { periodUs: MIN, records: [1_200, 0, 1_301.5], bytes: [840_000, 0, 911_050] };

  it("writes UTC times from a start, and parseTraceCsv reads the same trace back", () => {
    const csv = traceCsv(trace, "2024-09-26T14:00:00+02:00");
    expect(csv).toBe("time,records,bytes\n2024-09-26T12:00:00Z,1200,840000\n2024-09-26T12:01:00Z,0,0\n2024-09-26T12:02:00Z,1301.5,911050\n");
    expect(parseTraceCsv(csv, "t.csv")).toEqual(trace);
  });

  it("writes seconds from the start without one, and a records-only trace without the bytes column", () => {
    expect(traceCsv({ periodUs: 1_500_000, records: [1, 2], bytes: null })).toBe("time,records\n0,1\n1.5,2\n");
    expect(parseTraceCsv(traceCsv(trace), "t.csv")).toEqual(trace);
  });

  it("traceDuration of 3 one-minute periods is 3 minutes", () => {
    expect(traceDuration(trace)).toBe(3 * MIN);
  });
});

describe("traceMeanRecordSize", () => {
  const trace: Trace = { periodUs: MIN, records: [1_000, 0, 0, 500], bytes: [700_000, 0, 0, 400_000] };

  it("is bytes / records of the period containing t", () => {
    expect(traceMeanRecordSize(trace, 0)).toBe(700);
    expect(traceMeanRecordSize(trace, MIN - 1)).toBe(700);
    expect(traceMeanRecordSize(trace, 3 * MIN + 5 * S)).toBe(800);
  });

  it("in a period without records, is the next period's with records; past the end it wraps around", () => {
    expect(traceMeanRecordSize(trace, MIN)).toBe(800);
    expect(traceMeanRecordSize(trace, 4 * MIN + 1)).toBe(700);
    expect(traceMeanRecordSize(trace, 7 * MIN)).toBe(800);
  });

  it("is undefined for a records-only trace or a trace without records", () => {
    expect(traceMeanRecordSize({ ...trace, bytes: null }, 0)).toBeUndefined();
    expect(traceMeanRecordSize({ periodUs: MIN, records: [0, 0], bytes: [0, 0] }, 0)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------
// CloudWatch get-metric-data output.

interface ResultInput {
  Id: string;
  Label?: string;
  Timestamps: unknown[];
  Values: unknown[];
  StatusCode?: string;
  Messages?: { Code: string; Value: string }[];
}

/** Minute timestamps as the AWS CLI prints them, newest first (TimestampDescending). */
function minutes(from: string, n: number, offset = "+00:00"): string[] {
  const t0 = parseIsoTime(from)!;
  const shift = parseIsoTime(`2000-01-01T00:00:00Z`)! - parseIsoTime(`2000-01-01T00:00:00${offset}`)!;
  return Array.from({ length: n }, (_, i) => formatIsoTime(t0 + (n - 1 - i) * MIN + shift).replace("Z", offset));
}

function page(results: ResultInput[], extra: Record<string, unknown> = {}) {
  return { MetricDataResults: results.map((r) => ({ StatusCode: "Complete", ...r })), Messages: [], ...extra };
}

describe("cloudWatchToTrace: the period from the whole export", () => {
  const at = (minutes: number) => new Date(Date.parse("2024-09-26T12:00:00Z") + minutes * 60_000).toISOString();
  const exportOf = (times: string[]) => [{ MetricDataResults: [{ Id: "m1", Label: "IncomingRecords", Timestamps: times, Values: times.map(() => 5) }] }];

  it("sparse traffic (mostly 2-minute gaps, one 1-minute spacing): the period is the smallest spacing, 60 s, and the gaps are 0", () => {
    const { trace } = cloudWatchToTrace(exportOf([0, 2, 4, 5, 7].map(at)));
    expect(trace.periodUs).toBe(MIN);
    expect(trace.records).toEqual([5, 0, 5, 0, 5, 5, 0, 5]);
  });

  it("one stray data point a second after the first: not a 1 s period over the day (86,401 periods), but an error naming the two timestamps against the most common spacing", () => {
    const times = [at(0), "2024-09-26T12:00:01.000Z", ...Array.from({ length: 1440 }, (_, i) => at(i + 1))];
    expect(errorOf(() => cloudWatchToTrace(exportOf(times)))).toBe(
      "export 1: 2024-09-26T12:00:00Z and 2024-09-26T12:00:01Z are 1 s apart, not a multiple of the period 60 s (the most common spacing of the timestamps, 1439 of 1441); a stray data point? Remove it, or export one period (Period) for the whole time range",
    );
  });

  it("one stray data point half a minute in, among 10 one-minute points: an error naming it, not 19 periods of 30 s (helper-62)", () => {
    // The two 30 s spacings are 2 of 10, not rare; but Kinesis publishes its metrics once a minute, so no export of them
    // has a 30 s period. Before: 19 periods of 30 s, 8 of them "missing" and filled with 0, every minute's rate doubled.
    const times = [at(0), "2024-09-26T12:00:30.000Z", ...Array.from({ length: 9 }, (_, i) => at(i + 1))];
    expect(errorOf(() => cloudWatchToTrace(exportOf(times)))).toBe(
      "export 1: 2024-09-26T12:00:00Z and 2024-09-26T12:00:30Z are 30 s apart, not a multiple of the period 60 s (the most common spacing of the timestamps, 8 of 10); a stray data point? Remove it, or export one period (Period) for the whole time range",
    );
  });

  it("one point at a whole minute in a 5-minute export: the timestamps cannot tell a stray point from sparse 1-minute traffic, so the import says so (helper-65, helper-67)", () => {
    // 12 five-minute points and one at 12:01. As sparse 1-minute traffic it is 56 periods of 60 s; as a stray point in a
    // 5-minute export every rate would be 5 times too high. Refusing it refused valid sparse exports (helper-67).
    const times = [at(0), at(1), ...Array.from({ length: 11 }, (_, i) => at(5 * (i + 1)))];
    const { trace, notes } = cloudWatchToTrace(exportOf(times));
    expect(trace.periodUs).toBe(MIN);
    expect(trace.records.length).toBe(56);
    expect(notes).toContain(
      "the period is 60 s, the smallest spacing of the timestamps, though the most common is 300 s (10 of 12): if the export's Period was 300 s, a stray data point made it 60 s and every rate 5 times too high; remove that point and import again",
    );
    // Sparse traffic whose smallest spacing is also its most common: nothing to say.
    expect(cloudWatchToTrace(exportOf([0, 1, 2, 4, 5, 6].map(at))).notes.some((n) => n.startsWith("the period is"))).toBe(false);
  });

  it("an Average export (3.2 records a put call) is an error, not 3.2 records a period: a Sum is a whole number (helper-62)", () => {
    const times = [0, 5, 10].map(at);
    const data = [{ MetricDataResults: [{ Id: "m1", Label: "IncomingRecords", Timestamps: times, Values: [3, 3.2, 3] }] }];
    expect(errorOf(() => cloudWatchToTrace(data))).toBe(
      'export 1: IncomingRecords at 2024-09-26T12:05:00Z is 3.2, not a whole number: the Sum of records in a period always is, so this export has another statistic (Average is per put call); export it with "Stat": "Sum"',
    );
  });

  it(`an export longer than MAX_TRACE_PERIODS (${MAX_TRACE_PERIODS.toLocaleString("en-US")}) periods is an error, not a hang`, () => {
    const times = [at(0), at(1), at(MAX_TRACE_PERIODS)];
    expect(errorOf(() => cloudWatchToTrace(exportOf(times)))).toMatch(/^export 1: the export spans 1,000,001 periods of 60 s \(the most common spacing of the timestamps, 1 of 2\) from 2024-09-26T12:00:00Z to .*; a trace holds at most 1,000,000 periods/);
    // One period fewer fits.
    expect(cloudWatchToTrace(exportOf([at(0), at(1), at(MAX_TRACE_PERIODS - 1)])).trace.records.length).toBe(MAX_TRACE_PERIODS);
  });
});

describe("cloudWatchToTrace", () => {
  it("reads the AWS CLI's output: descending +00:00 timestamps become an ascending 60 s trace", () => {
    // Verbatim layout of `aws cloudwatch get-metric-data` (4-space JSON, floats with .0, default TimestampDescending).
    const text = `{
    "MetricDataResults": [
        {
            "Id": "m1",
            "Label": "IncomingRecords",
            "Timestamps": [
                "2024-09-26T12:02:00+00:00",
                "2024-09-26T12:01:00+00:00",
                "2024-09-26T12:00:00+00:00"
            ],
            "Values": [
                1302.0,
                1301.0,
                1200.0
            ],
            "StatusCode": "Complete"
        },
        {
            "Id": "m2",
            "Label": "IncomingBytes",
            "Timestamps": [
                "2024-09-26T12:02:00+00:00",
                "2024-09-26T12:01:00+00:00",
                "2024-09-26T12:00:00+00:00"
            ],
            "Values": [
                911400.0,
                910700.0,
                840000.0
            ],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}`;
    const { trace, notes, start } = cloudWatchToTrace([JSON.parse(text)], { names: ["export.json"] });
    expect(trace).toEqual({ periodUs: MIN, records: [1_200, 1_301, 1_302], bytes: [840_000, 910_700, 911_400] });
    expect(start).toBe("2024-09-26T12:00:00Z");
    expect(notes).toEqual(["data points were in descending time order (CloudWatch's default, TimestampDescending): sorted ascending"]);
  });

  it("converts +02:00 and -05:30 offsets: the same instants in other zones give the same trace", () => {
    const utc = page([
      { Id: "r", Label: "IncomingRecords", Timestamps: minutes("2024-09-26T12:00:00Z", 3), Values: [3, 2, 1] },
      { Id: "b", Label: "IncomingBytes", Timestamps: minutes("2024-09-26T12:00:00Z", 3), Values: [30, 20, 10] },
    ]);
    const zoned = page([
      { Id: "r", Label: "IncomingRecords", Timestamps: minutes("2024-09-26T12:00:00Z", 3, "+02:00"), Values: [3, 2, 1] },
      { Id: "b", Label: "IncomingBytes", Timestamps: minutes("2024-09-26T12:00:00Z", 3, "-05:30"), Values: [30, 20, 10] },
    ]);
    expect((zoned.MetricDataResults[0]!.Timestamps as string[])[2]).toBe("2024-09-26T14:00:00+02:00");
    expect((zoned.MetricDataResults[1]!.Timestamps as string[])[2]).toBe("2024-09-26T06:30:00-05:30");
    const a = cloudWatchToTrace([utc]);
    const b = cloudWatchToTrace([zoned]);
    expect(b.trace).toEqual(a.trace);
    expect(b.trace).toEqual({ periodUs: MIN, records: [1, 2, 3], bytes: [10, 20, 30] });
    expect(b.start).toBe("2024-09-26T12:00:00Z");
  });

  it("infers 300 s, 1 s and 3600 s periods from the timestamps", () => {
    for (const periodSec of [300, 1, 3_600]) {
      const t0 = parseIsoTime("2024-09-26T00:00:00Z")!;
      const ts = [2, 1, 0].map((i) => formatIsoTime(t0 + i * periodSec * S).replace("Z", "+00:00"));
      const { trace } = cloudWatchToTrace([page([{ Id: "m1", Label: "IncomingRecords", Timestamps: ts, Values: [3, 2, 1] }])]);
      expect(trace).toEqual({ periodUs: periodSec * S, records: [1, 2, 3], bytes: null });
    }
  });

  it("fills missing periods with 0 and says which", () => {
    const ts = ["2024-09-26T12:05:00+00:00", "2024-09-26T12:01:00+00:00", "2024-09-26T12:00:00+00:00"];
    const { trace, notes } = cloudWatchToTrace([
      page([
        { Id: "m1", Label: "IncomingRecords", Timestamps: ts, Values: [6, 2, 1] },
        { Id: "m2", Label: "IncomingBytes", Timestamps: ts, Values: [60, 20, 10] },
      ]),
    ]);
    expect(trace).toEqual({ periodUs: MIN, records: [1, 2, 0, 0, 0, 6], bytes: [10, 20, 0, 0, 0, 60] });
    expect(notes).toContain(
      "3 missing periods filled with 0 (CloudWatch writes no data point for a period without successful puts): 2024-09-26T12:02:00Z, 2024-09-26T12:03:00Z, 2024-09-26T12:04:00Z",
    );
  });

  describe("PartialData and NextToken", () => {
    const newest = minutes("2024-09-26T12:03:00Z", 3); // 12:05, 12:04, 12:03
    const oldest = minutes("2024-09-26T12:00:00Z", 3); // 12:02, 12:01, 12:00
    const first = page(
      [
        { Id: "m1", Label: "IncomingRecords", Timestamps: newest, Values: [6, 5, 4], StatusCode: "PartialData" },
        { Id: "m2", Label: "IncomingBytes", Timestamps: newest, Values: [60, 50, 40], StatusCode: "PartialData" },
      ],
      { NextToken: "AAEAAd3...token" },
    );
    const last = page([
      { Id: "m1", Label: "IncomingRecords", Timestamps: oldest, Values: [3, 2, 1] },
      { Id: "m2", Label: "IncomingBytes", Timestamps: oldest, Values: [30, 20, 10] },
    ]);

    it("a page with a NextToken alone: the trace it has, and a note that the export is incomplete", () => {
      const { trace, notes } = cloudWatchToTrace([first]);
      expect(trace.records).toEqual([4, 5, 6]);
      expect(notes.some((n) => n.startsWith("PartialData: the export is incomplete") && n.includes("--next-token"))).toBe(true);
    });

    it("all the pages, in either order: one merged trace and no incompleteness note", () => {
      for (const pages of [
        [first, last],
        [last, first],
      ]) {
        const { trace, notes } = cloudWatchToTrace(pages, { names: ["p1.json", "p2.json"] });
        expect(trace).toEqual({ periodUs: MIN, records: [1, 2, 3, 4, 5, 6], bytes: [10, 20, 30, 40, 50, 60] });
        expect(notes).toContain("merged 2 exports (pages)");
        expect(notes.some((n) => n.startsWith("PartialData"))).toBe(false);
      }
    });

    it("the same page twice: duplicates ignored; two different values for one time: an error", () => {
      expect(cloudWatchToTrace([last, last]).notes).toContain("6 duplicate data points (same time, same value) ignored");
      const other = page([{ Id: "m1", Label: "IncomingRecords", Timestamps: oldest, Values: [3, 2, 9] }]);
      expect(errorOf(() => cloudWatchToTrace([last, other], { names: ["a.json", "b.json"] }))).toBe(
        "b.json: MetricDataResults[0] (Id m1): IncomingRecords has two values for 2024-09-26T12:00:00Z: 1 and 9 (overlapping exports of different data?)",
      );
    });

    it("bytes missing where records have data (a page of one metric missing): an error that names the time", () => {
      const recordsOnlyFirst = page([{ Id: "m1", Label: "IncomingRecords", Timestamps: newest, Values: [6, 5, 4], StatusCode: "PartialData" }], { NextToken: "x" });
      expect(errorOf(() => cloudWatchToTrace([recordsOnlyFirst, last], { names: ["p1.json", "p2.json"] }))).toBe(
        "p1.json, p2.json: IncomingBytes has no data point at 2024-09-26T12:03:00Z, where IncomingRecords has 4: both metrics must cover the same periods (the export is PartialData: pass every page)",
      );
    });
  });

  it("finds the results by Id or Label, in any case, or by --records-id / --bytes-id", () => {
    const ts = minutes("2024-09-26T12:00:00Z", 2);
    const byId = page([
      { Id: "incomingRecords", Label: "", Timestamps: ts, Values: [2, 1] },
      { Id: "incomingbytes", Timestamps: ts, Values: [20, 10] },
    ]);
    expect(cloudWatchToTrace([byId]).trace).toEqual({ periodUs: MIN, records: [1, 2], bytes: [10, 20] });
    const named = page([
      { Id: "q1", Label: "clicks puts", Timestamps: ts, Values: [2, 1] },
      { Id: "q2", Label: "clicks bytes", Timestamps: ts, Values: [20, 10] },
      { Id: "q3", Label: "IncomingRecords of another stream", Timestamps: ts, Values: [7, 7] },
    ]);
    expect(cloudWatchToTrace([named], { recordsId: "q1", bytesId: "clicks bytes" }).trace).toEqual({ periodUs: MIN, records: [1, 2], bytes: [10, 20] });
  });

  it("a records-only export makes a records-only trace, with a note", () => {
    const { trace, notes } = cloudWatchToTrace([page([{ Id: "m1", Label: "IncomingRecords", Timestamps: minutes("2024-09-26T12:00:00Z", 2), Values: [2, 1] }])]);
    expect(trace.bytes).toBeNull();
    expect(notes).toContain("no IncomingBytes result: a records-only trace (producers replaying it need a recordSize)");
  });

  it("passes CloudWatch's Messages on as notes, and notes throttled writes", () => {
    const ts = minutes("2024-09-26T12:00:00Z", 2);
    const { notes } = cloudWatchToTrace([
      page(
        [
          { Id: "m1", Label: "IncomingRecords", Timestamps: ts, Values: [2, 1], Messages: [{ Code: "ArithmeticError", Value: "one of the values was NaN" }] },
          { Id: "m3", Label: "WriteProvisionedThroughputExceeded", Timestamps: ts, Values: [0, 12] },
        ],
        { Messages: [{ Code: "MaxMetricsExceeded", Value: "too many metrics" }] },
      ),
    ]);
    expect(notes).toContain("export 1: CloudWatch says MaxMetricsExceeded: too many metrics");
    expect(notes).toContain("export 1: m1: CloudWatch says ArithmeticError: one of the values was NaN");
    expect(notes.some((n) => n.startsWith("m3 (WriteProvisionedThroughputExceeded): the stream throttled writes"))).toBe(true);
  });

  const ts2 = minutes("2024-09-26T12:00:00Z", 2);
  const errors: [string, unknown[], string][] = [
    [
      "no IncomingRecords result",
      [page([{ Id: "m2", Label: "IncomingBytes", Timestamps: ts2, Values: [2, 1] }])],
      "export 1: no IncomingRecords result (an Id or Label containing IncomingRecords); the export has m2 (IncomingBytes); name the records result with --records-id ID",
    ],
    [
      "an unknown --records-id",
      [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: ts2, Values: [2, 1] }])],
      "export 1: no result with Id or Label `puts` (--records-id); the export has m1 (IncomingRecords)",
    ],
    [
      "mismatched Timestamps and Values",
      [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: minutes("2024-09-26T12:00:00Z", 3), Values: [2, 1] }])],
      "export 1: MetricDataResults[0] (Id m1): Timestamps has 3 entries but Values has 2; Timestamps[i] pairs with Values[i]",
    ],
    [
      "a timestamp that is not ISO-8601",
      [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: ["2024-09-26T12:01:00+00:00", 1727352000], Values: [2, 1] }])],
      "export 1: MetricDataResults[0] (Id m1).Timestamps[1]: expected an ISO-8601 time such as 2024-09-26T12:00:00+00:00, got 1727352000",
    ],
    [
      "a negative value",
      [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: ts2, Values: [2, -1] }])],
      "export 1: MetricDataResults[0] (Id m1).Values[1]: expected a number ≥ 0 (a Sum), got -1",
    ],
    [
      "two results matching IncomingRecords",
      [
        page([
          { Id: "m1", Label: "IncomingRecords", Timestamps: ts2, Values: [2, 1] },
          { Id: "m2", Label: "IncomingRecords (other stream)", Timestamps: ts2, Values: [2, 1] },
        ]),
      ],
      "export 1: 2 results match IncomingRecords: m1 (IncomingRecords), m2 (IncomingRecords (other stream)); name the one to use with --records-id ID",
    ],
    ["StatusCode Forbidden", [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: [], Values: [], StatusCode: "Forbidden" }])], "export 1: MetricDataResults[0] (Id m1): StatusCode Forbidden: CloudWatch did not return this metric's data"],
    ["no data points", [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: [], Values: [] }])], "export 1: IncomingRecords has no data points (no traffic in the time range, or an empty export)"],
    [
      "one data point",
      [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: ["2024-09-26T12:00:00+00:00"], Values: [1] }])],
      "export 1: only one data point (2024-09-26T12:00:00Z): the period is inferred from the spacing of the timestamps, so export at least two periods",
    ],
    [
      "timestamps off the period",
      [page([{ Id: "m1", Label: "IncomingRecords", Timestamps: ["2024-09-26T12:03:30+00:00", "2024-09-26T12:01:00+00:00", "2024-09-26T12:00:00+00:00"], Values: [3, 2, 1] }])],
      "export 1: 2024-09-26T12:01:00Z and 2024-09-26T12:03:30Z are 150 s apart, not a multiple of the period 60 s (the most common spacing of the timestamps, 1 of 2); a stray data point? Remove it, or export one period (Period) for the whole time range",
    ],
    ["not get-metric-data output", [{ Datapoints: [] }], "export 1: expected the JSON that `aws cloudwatch get-metric-data` prints (an object with MetricDataResults); MetricDataResults is missing"],
    ["a list", [[1, 2]], "export 1: expected the JSON that `aws cloudwatch get-metric-data` prints (an object with MetricDataResults); got a list"],
  ];
  for (const [what, exports, message] of errors) {
    it(`${what}: ${message}`, () => {
      expect(errorOf(() => cloudWatchToTrace(exports, what === "an unknown --records-id" ? { recordsId: "puts" } : {}))).toBe(message);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// The trace rate model.

function traceModel(input: Record<string, unknown>, trace: Trace, duration: number, r?: RandomStream): RateModel {
  return rateModel(RateShapeSchema.parse({ shape: "trace", file: "t.csv", ...input }), duration, trace, r);
}

/** Cumulative counts of the trace's periods 0..k-1, added one by one. */
function prefixSums(records: number[], periods: number): number[] {
  const out = [0];
  for (let k = 0; k < periods; k++) out.push(out[k]! + records[k % records.length]!);
  return out;
}

describe("rateModel(shape: trace)", () => {
  const trace: Trace = { periodUs: MIN, records: [1_200, 3_000, 0, 601, 59_999], bytes: null };

  it("cumulative at every period boundary is scale × the trace's cumulative counts, exactly (scale 1.5, three replays)", () => {
    for (const within of ["even", "poisson", "bursty"]) {
      const m = traceModel({ scale: 1.5, within, repeat: true }, trace, 15 * MIN, rng("boundaries"));
      const sums = prefixSums(trace.records, 15);
      for (let k = 0; k <= 15; k++) expect(m.cumulative(k * MIN)).toBe(1.5 * sums[k]!);
    }
  });

  it("rateAt is records × scale / period; meanRate and peakRate follow", () => {
    const m = traceModel({ scale: 2, within: "poisson" }, trace, 5 * MIN);
    expect(m.arrivals).toBe("poisson");
    expect(m.rateAt(0)).toBe(40);
    expect(m.rateAt(MIN + 30 * S)).toBe(100);
    expect(m.rateAt(2 * MIN)).toBe(0);
    expect(m.cumulative(MIN + 30 * S)).toBe(2 * (1_200 + 1_500));
    expect(m.meanRate(2 * MIN)).toBe((2 * 4_200) / 120);
    expect(m.peakRate(4 * MIN)).toBe(100); // the 59,999 period starts at 4 min
    expect(m.peakRate(5 * MIN)).toBe((2 * 59_999) / 60);
  });

  it("after the trace's end the rate is 0 and cumulative stays at the total, unless repeat replays it", () => {
    const once = traceModel({ within: "even" }, trace, 20 * MIN);
    const total = trace.records.reduce((a, b) => a + b, 0);
    expect(once.arrivals).toBe("even");
    expect(once.rateAt(5 * MIN)).toBe(0);
    expect(once.cumulative(5 * MIN)).toBe(total);
    expect(once.cumulative(20 * MIN)).toBe(total);
    const again = traceModel({ within: "even", repeat: true }, trace, 20 * MIN);
    expect(again.rateAt(5 * MIN)).toBe(20);
    expect(again.cumulative(20 * MIN)).toBe(4 * total);
  });

  it("even arrivals give exactly the trace's counts in every period over three replays, whatever the windows", () => {
    const m = traceModel({ within: "even", repeat: true }, trace, 15 * MIN);
    for (const window of [S, 7_300_000, 100_000]) {
      const r = rng("even");
      const counts = new Array<number>(15).fill(0);
      for (let a = 0; a < 15 * MIN; a += window) {
        const b = Math.min(a + window, 15 * MIN);
        const n = arrivalsIn(m, a, b, r);
        for (const t of arrivalTimes(m, a, b, n, r)) counts[Math.floor(t / MIN)]!++;
      }
      expect(counts).toEqual([...trace.records, ...trace.records, ...trace.records]);
    }
  });

  it("even arrivals at scale 1.5 give floor(1.5 × cumulative) differences per period", () => {
    const m = traceModel({ within: "even", scale: 1.5 }, trace, 5 * MIN);
    const sums = prefixSums(trace.records, 5);
    const r = rng("even-scaled");
    for (let k = 0; k < 5; k++) {
      let n = 0;
      for (let s = 0; s < 60; s++) n += arrivalsIn(m, k * MIN + s * S, k * MIN + (s + 1) * S, r);
      expect(n).toBe(Math.floor(1.5 * sums[k + 1]!) - Math.floor(1.5 * sums[k]!));
    }
  });

  it("Poisson arrivals: each period's count has mean and variance records × scale (2,000 replays, 4 sigma)", () => {
    const small: Trace = { periodUs: 10 * S, records: [100, 400, 0, 50], bytes: null };
    const m = traceModel({ within: "poisson", repeat: true }, small, 1);
    const r = rng("poisson");
    const loops = 2_000;
    const counts = small.records.map(() => [] as number[]);
    for (let k = 0; k < loops * 4; k++) {
      let n = 0;
      for (let s = 0; s < 10; s++) n += arrivalsIn(m, k * 10 * S + s * S, k * 10 * S + (s + 1) * S, r);
      counts[k % 4]!.push(n);
    }
    small.records.forEach((lambda, j) => {
      const xs = counts[j]!;
      const mean = xs.reduce((a, b) => a + b, 0) / loops;
      const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (loops - 1);
      if (lambda === 0) {
        expect(mean).toBe(0);
        return;
      }
      expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / loops));
      expect(Math.abs(variance - lambda)).toBeLessThan(4 * Math.sqrt((lambda + 2 * lambda * lambda) / loops));
    });
  });

  describe("bursty", () => {
    const P = MIN;
    const busy: Trace = { periodUs: P, records: [600, 1_200, 300, 900, 0, 2_400], bytes: null };
    const w = P / 4;

    function birthTimes(seed: string, window: number): number[] {
      const m = traceModel({ within: "bursty", peakToMean: 4, repeat: true }, busy, 12 * P, rng(seed));
      const r = rng(`${seed}/arrivals`);
      const out: number[] = [];
      for (let a = 0; a < 12 * P; a += window) {
        const b = Math.min(a + window, 12 * P);
        out.push(...arrivalTimes(m, a, b, arrivalsIn(m, a, b, r), r));
      }
      return out;
    }

    it("puts every period's records inside one window of period/peakToMean (1 s and 7.3 s windows, 12 periods)", () => {
      for (const window of [S, 7_300_000]) {
        const times = birthTimes("burst", window);
        for (let k = 0; k < 12; k++) {
          const inPeriod = times.filter((t) => Math.floor(t / P) === k);
          if (busy.records[k % 6] === 0) {
            expect(inPeriod).toEqual([]);
            continue;
          }
          expect(inPeriod.length).toBeGreaterThan(0);
          expect(Math.max(...inPeriod) - Math.min(...inPeriod)).toBeLessThan(w);
        }
      }
    });

    it("the rate is peakToMean × the period's mean inside the burst and 0 outside; Λ is flat outside it", () => {
      const m = traceModel({ within: "bursty", peakToMean: 4, scale: 1.5 }, busy, 6 * P, rng("rate"));
      for (let k = 0; k < 6; k++) {
        const inside: number[] = [];
        for (let t = k * P; t < (k + 1) * P; t += 250_000) if (m.rateAt(t) > 0) inside.push(t);
        if (busy.records[k] === 0) {
          expect(inside).toEqual([]);
          continue;
        }
        expect(inside.length).toBeGreaterThanOrEqual(59);
        expect(inside.length).toBeLessThanOrEqual(61);
        expect(m.rateAt(inside[0]!)).toBeCloseTo((1.5 * busy.records[k]! * 4) / 60, 9);
        const start = inside[0]!;
        const end = inside.at(-1)!;
        expect(m.cumulative(start - 250_000)).toBe(m.cumulative(k * P)); // nothing before the burst
        expect(m.cumulative(end + 250_000)).toBe(m.cumulative((k + 1) * P)); // everything by its end
      }
      expect(m.peakRate(6 * P)).toBe((1.5 * 2_400 * 4) / 60);
    });

    it("is deterministic for a seed, differs for another seed, and puts the bursts at different offsets", () => {
      expect(birthTimes("same", S)).toEqual(birthTimes("same", S));
      expect(birthTimes("same", S)).not.toEqual(birthTimes("other", S));
      const m = traceModel({ within: "bursty", peakToMean: 4, repeat: true }, busy, 12 * P, rng("offsets"));
      const offsets = new Set<number>();
      for (let k = 0; k < 12; k++) {
        let t = k * P;
        while (m.rateAt(t) === 0 && t < (k + 1) * P) t += 1_000;
        if (t < (k + 1) * P) offsets.add(t - k * P);
      }
      expect(offsets.size).toBeGreaterThan(5);
    });

    it("draws the offsets from forks of the given stream: the stream itself is not advanced, and query order does not matter", () => {
      const given = rng("untouched");
      const m = traceModel({ within: "bursty", repeat: true }, busy, 12 * P, given);
      const forward = Array.from({ length: 12 }, (_, k) => m.cumulative(k * P + P / 2));
      const m2 = traceModel({ within: "bursty", repeat: true }, busy, 12 * P, rng("untouched"));
      const backward = Array.from({ length: 12 }, (_, k) => m2.cumulative((11 - k) * P + P / 2)).reverse();
      expect(backward).toEqual(forward);
      expect(given.uniform()).toBe(rng("untouched").uniform());
    });
  });

  it("needs its trace, and a stream for bursty", () => {
    const shape = RateShapeSchema.parse({ shape: "trace", file: "traces/x.csv", within: "bursty" });
    expect(() => rateModel(shape, MIN)).toThrow("rateModel: shape trace (traces/x.csv) needs its parsed Trace (resolveTraces)");
    expect(() => rateModel(shape, MIN, trace)).toThrow("needs the producer's RandomStream");
  });

  it("the schema's defaults: scale 1, within poisson, peakToMean 4, repeat false", () => {
    expect(RateShapeSchema.parse({ shape: "trace", file: "x.csv" })).toEqual({ shape: "trace", file: "x.csv", scale: 1, within: "poisson", peakToMean: 4, repeat: false });
  });
});
