// `aws cloudwatch get-metric-data` output (AWS CLI reference, cloudwatch get-metric-data) → a Trace. The input is the parsed JSON of
// one or more pages of one query (a NextToken sequence):
//
//   { "MetricDataResults": [ { "Id": "m1", "Label": "IncomingRecords",
//       "Timestamps": ["2024-09-26T12:01:00+00:00", "2024-09-26T12:00:00+00:00"], "Values": [1301.0, 1234.0],
//       "StatusCode": "Complete", "Messages": [] }, … ],
//     "NextToken": "…", "Messages": [] }
//
// The IncomingRecords result (and the optional IncomingBytes one) are found by Id or Label; their Sums per
// period become the trace. Pages are merged, data points sorted ascending (CloudWatch's default order is
// TimestampDescending), the period inferred from all the timestamps (the smallest spacing, or the most common one
// when the smallest is rare; every spacing must be a multiple of it, and the export at most MAX_TRACE_PERIODS
// long), and missing periods filled with 0: CloudWatch writes no data point for a period without any successful
// put. Every such decision is reported in `notes`.

import { formatIsoTime, parseIsoTime } from "./isoTime.js";
import type { Trace } from "./traceData.js";
import { MAX_TRACE_PERIODS } from "./traceData.js";
import { TraceError } from "./traceError.js";

/** A minute in microseconds: Kinesis stream metrics come once a minute, so every Kinesis export's period is whole minutes. */
const MINUTE_US = 60_000_000;

export interface CloudWatchOptions {
  /** Names of the exports (their files), for messages; default "export 1", "export 2", … */
  names?: readonly string[];
  /** Id or Label of the IncomingRecords result; default: the result whose Id or Label contains "IncomingRecords" (any case). */
  recordsId?: string;
  /** Id or Label of the IncomingBytes result; default: the one containing "IncomingBytes" (any case). None: a records-only trace. */
  bytesId?: string;
}

export interface CloudWatchImport {
  trace: Trace;
  /** What was done to the data and what to check, one sentence each (gaps filled, pages merged, PartialData, …). */
  notes: string[];
  /** The first period's start, ISO-8601 UTC (for traceCsv). */
  start: string;
}

interface Result {
  id: string;
  label: string;
  status: string;
  times: number[];
  values: number[];
  where: string;
}

interface Page {
  name: string;
  results: Result[];
  nextToken: boolean;
}

const STATUS = ["Complete", "PartialData", "InternalError", "Forbidden"];
const FORMAT_HINT = "expected the JSON that `aws cloudwatch get-metric-data` prints (an object with MetricDataResults)";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function messagesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((m) => `${typeof m.Code === "string" ? m.Code : "?"}: ${typeof m.Value === "string" ? m.Value : JSON.stringify(m.Value)}`);
}

function readPage(data: unknown, name: string, notes: string[]): Page {
  const fail = (problem: string): never => {
    throw new TraceError(name, undefined, undefined, problem);
  };
  if (!isObject(data)) fail(`${FORMAT_HINT}; got ${data === null ? "null" : Array.isArray(data) ? "a list" : typeof data}`);
  const d = data as Record<string, unknown>;
  if (!Array.isArray(d.MetricDataResults)) fail(`${FORMAT_HINT}; MetricDataResults is ${d.MetricDataResults === undefined ? "missing" : "not a list"}`);
  for (const m of messagesOf(d.Messages)) notes.push(`${name}: CloudWatch says ${m}`);
  const results = (d.MetricDataResults as unknown[]).map((r, i): Result => {
    const where = `MetricDataResults[${i}]`;
    if (!isObject(r)) return fail(`${where}: expected an object with Id, Label, Timestamps, Values and StatusCode; got ${r === null ? "null" : Array.isArray(r) ? "a list" : typeof r}`);
    if (typeof r.Id !== "string") fail(`${where}: Id is ${r.Id === undefined ? "missing" : "not a string"}`);
    const id = r.Id as string;
    const at = `${where} (Id ${id})`;
    const label = typeof r.Label === "string" ? r.Label : "";
    if (!Array.isArray(r.Timestamps)) fail(`${at}: Timestamps is ${r.Timestamps === undefined ? "missing" : "not a list"}`);
    if (!Array.isArray(r.Values)) fail(`${at}: Values is ${r.Values === undefined ? "missing" : "not a list"}`);
    const ts = r.Timestamps as unknown[];
    const vs = r.Values as unknown[];
    if (ts.length !== vs.length) fail(`${at}: Timestamps has ${ts.length} entries but Values has ${vs.length}; Timestamps[i] pairs with Values[i]`);
    const times = ts.map((t, j) => {
      const us = typeof t === "string" ? parseIsoTime(t) : undefined;
      if (us === undefined) fail(`${at}.Timestamps[${j}]: expected an ISO-8601 time such as 2024-09-26T12:00:00+00:00, got ${JSON.stringify(t)}`);
      return us!;
    });
    const values = vs.map((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(`${at}.Values[${j}]: expected a number ≥ 0 (a Sum), got ${JSON.stringify(v)}`);
      return v as number;
    });
    const status = r.StatusCode === undefined ? "Complete" : String(r.StatusCode);
    for (const m of messagesOf(r.Messages)) notes.push(`${name}: ${id}: CloudWatch says ${m}`);
    return { id, label, status, times, values, where: at };
  });
  return { name, results, nextToken: typeof d.NextToken === "string" && d.NextToken !== "" };
}

type Metric = "IncomingRecords" | "IncomingBytes";

/** The page's result for a metric: by the user's Id or Label, else by name; undefined if none. */
function pick(page: Page, metric: Metric, chosen: string | undefined): Result | undefined {
  const matches = chosen
    ? page.results.filter((r) => r.id === chosen || r.label === chosen)
    : page.results.filter((r) => r.id.toLowerCase().includes(metric.toLowerCase()) || r.label.toLowerCase().includes(metric.toLowerCase()));
  if (matches.length > 1) {
    const option = metric === "IncomingRecords" ? "--records-id" : "--bytes-id";
    const list = matches.map((r) => `${r.id}${r.label ? ` (${r.label})` : ""}`).join(", ");
    throw new TraceError(page.name, undefined, undefined, `${matches.length} results match ${chosen ? `\`${chosen}\`` : metric}: ${list}; name the one to use with ${option} ID`);
  }
  return matches[0];
}

function describeResults(pages: Page[]): string {
  const all = pages.flatMap((p) => p.results.map((r) => `${r.id}${r.label ? ` (${r.label})` : ""}`));
  return all.length ? [...new Set(all)].join(", ") : "no results at all";
}

/** Merges one metric's points from every page: time → value, ascending. Equal duplicates are dropped; counted in `dups`. */
function mergePoints(found: { page: Page; result: Result }[], metric: Metric, dups: { n: number }): Map<number, number> {
  const points = new Map<number, number>();
  for (const { page, result } of found) {
    result.times.forEach((t, j) => {
      const v = result.values[j]!;
      const old = points.get(t);
      if (old === undefined) points.set(t, v);
      else if (old === v) dups.n++;
      else {
        throw new TraceError(page.name, undefined, undefined, `${result.where}: ${metric} has two values for ${formatIsoTime(t)}: ${old} and ${v} (overlapping exports of different data?)`);
      }
    });
  }
  return points;
}

function listTimes(times: number[]): string {
  const shown = times.slice(0, 3).map(formatIsoTime).join(", ");
  return times.length > 3 ? `${shown} and ${times.length - 3} more` : shown;
}

/**
 * The period of an export's ascending timestamps: the smallest spacing, when every spacing is a whole number of
 * it (missing periods are gaps), the export spans at most MAX_TRACE_PERIODS of it, and it is not a stray point's
 * spacing beside a more common one; else the most common spacing on the same terms (so one stray timestamp does not
 * make the period a second); else a TraceError that names the two timestamps off the period, or the number of
 * periods. A smaller spacing than the most common one is a stray point's when it is rare (under 1% of the spacings),
 * or when it is not a whole number of minutes and the most common one is: Kinesis publishes its stream metrics once a
 * minute (Kinesis Data Streams Developer Guide, "Monitor the Amazon Kinesis Data Streams service with Amazon CloudWatch":
 * basic stream-level metrics at one-minute frequency), so no Kinesis export has a shorter period. One stray point between two minutes makes
 * two 30 s spacings, not rare among 10 (helper-62: 10 one-minute points and one at 08:00:30 became 19 periods of 30 s,
 * half of them empty, the peak rate doubled).
 */
function inferPeriod(times: readonly number[], fail: (problem: string) => never, notes: string[]): number {
  const spacings = new Map<number, number>();
  let smallest = Infinity;
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    spacings.set(d, (spacings.get(d) ?? 0) + 1);
    smallest = Math.min(smallest, d);
  }
  let common = smallest;
  for (const [d, k] of spacings) if (k > spacings.get(common)! || (k === spacings.get(common)! && d < common)) common = d;
  const span = times.at(-1)! - times[0]!;
  const fits = (p: number) => [...spacings.keys()].every((d) => d % p === 0) && span / p + 1 <= MAX_TRACE_PERIODS;
  // The smallest spacing, unless another is the common one and the smallest is a stray point's.
  const stray = spacings.get(smallest)! * 100 < times.length - 1 || (smallest % MINUTE_US !== 0 && common % MINUTE_US === 0);
  if (fits(smallest) && (smallest === common || !stray)) {
    // A whole-minute spacing shorter than the common one is either sparse traffic at that period or a stray point in an
    // export of the common one: the timestamps cannot tell (helper-67: sparse 1-minute exports; helper-65: a 5-minute
    // export with one point at 08:01). Taken as the period, and said, with what it means if it was a stray point.
    if (smallest !== common) {
      notes.push(
        `the period is ${smallest / 1e6} s, the smallest spacing of the timestamps, though the most common is ${common / 1e6} s (${spacings.get(common)} of ${times.length - 1}): ` +
          `if the export's Period was ${common / 1e6} s, a stray data point made it ${smallest / 1e6} s and every rate ${+(common / smallest).toFixed(2)} times too high; remove that point and import again`,
      );
    }
    return smallest;
  }
  if (fits(common)) return common;
  const how = `the most common spacing of the timestamps, ${spacings.get(common)} of ${times.length - 1}`;
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d % common !== 0) {
      fail(
        `${formatIsoTime(times[i - 1]!)} and ${formatIsoTime(times[i]!)} are ${d / 1e6} s apart, not a multiple of the period ${common / 1e6} s (${how}); ` +
          "a stray data point? Remove it, or export one period (Period) for the whole time range",
      );
    }
  }
  return fail(
    `the export spans ${thousands(span / common + 1)} periods of ${common / 1e6} s (${how}) from ${formatIsoTime(times[0]!)} to ${formatIsoTime(times.at(-1)!)}; ` +
      `a trace holds at most ${thousands(MAX_TRACE_PERIODS)} periods: export a shorter time range or a longer Period`,
  );
}

const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * The trace in one or more `aws cloudwatch get-metric-data` outputs (parsed JSON; the pages of a NextToken
 * sequence in any order). Throws TraceError naming the export and the field when the input cannot make a
 * trace; everything else it decided is in `notes`.
 */
export function cloudWatchToTrace(exports: readonly unknown[], options: CloudWatchOptions = {}): CloudWatchImport {
  if (exports.length === 0) throw new TraceError("cloudwatch", undefined, undefined, "no export given");
  const notes: string[] = [];
  const pages = exports.map((e, i) => readPage(e, options.names?.[i] ?? `export ${i + 1}`, notes));
  const all = pages.map((p) => p.name).join(", ");
  const fail = (problem: string): never => {
    throw new TraceError(all, undefined, undefined, problem);
  };

  const find = (metric: Metric, chosen: string | undefined) =>
    pages.flatMap((page) => {
      const result = pick(page, metric, chosen);
      return result ? [{ page, result }] : [];
    });
  const rec = find("IncomingRecords", options.recordsId);
  const byt = find("IncomingBytes", options.bytesId);
  if (rec.length === 0) {
    fail(
      options.recordsId
        ? `no result with Id or Label \`${options.recordsId}\` (--records-id); the export has ${describeResults(pages)}`
        : `no IncomingRecords result (an Id or Label containing IncomingRecords); the export has ${describeResults(pages)}; name the records result with --records-id ID`,
    );
  }
  if (options.bytesId && byt.length === 0) fail(`no result with Id or Label \`${options.bytesId}\` (--bytes-id); the export has ${describeResults(pages)}`);
  const shared = rec.find(({ result }) => byt.some((b) => b.result === result));
  if (shared) fail(`${shared.result.id} matches both IncomingRecords and IncomingBytes; name them with --records-id and --bytes-id`);

  for (const { page, result } of [...rec, ...byt]) {
    if (result.status === "InternalError" || result.status === "Forbidden") {
      throw new TraceError(page.name, undefined, undefined, `${result.where}: StatusCode ${result.status}: CloudWatch did not return this metric's data`);
    }
    if (!STATUS.includes(result.status)) notes.push(`${page.name}: ${result.id}: unknown StatusCode ${JSON.stringify(result.status)} (expected ${STATUS.join(", ")}); its data was used`);
  }
  const partial = [...rec, ...byt].some(({ result }) => result.status === "PartialData");
  const withToken = pages.filter((p) => p.nextToken).length;
  if (withToken > 0 && withToken === pages.length) {
    notes.push(
      "PartialData: the export is incomplete (CloudWatch returned a NextToken and no last page was given); this trace covers only the data points returned. " +
        "Fetch the next pages with `aws cloudwatch get-metric-data … --next-token TOKEN` and pass all of them",
    );
  } else if (partial && withToken === 0) {
    notes.push("PartialData: CloudWatch marked the data partial but gave no NextToken; this trace covers only the data points returned");
  }
  if (pages.length > 1) notes.push(`merged ${pages.length} exports (pages)`);
  for (const other of pages.flatMap((p) => p.results.filter((r) => !rec.some((x) => x.result === r) && !byt.some((x) => x.result === r)))) {
    if (/WriteProvisionedThroughputExceeded/i.test(`${other.id} ${other.label}`) && other.values.some((v) => v > 0)) {
      notes.push(
        `${other.id} (${other.label || other.id}): the stream throttled writes in this period; IncomingRecords counts only successful puts, so the offered load was higher than this trace`,
      );
    }
  }

  const dups = { n: 0 };
  const records = mergePoints(rec, "IncomingRecords", dups);
  const bytes = byt.length ? mergePoints(byt, "IncomingBytes", dups) : null;
  // A Sum of records or bytes is a whole number: anything else is another statistic (helper-62: an Average export, 3.2
  // records a put call, was imported as 3.2 records a period).
  for (const [metric, points] of [["IncomingRecords", records], ["IncomingBytes", bytes]] as const) {
    for (const [t, v] of points ?? []) {
      if (!Number.isInteger(v)) {
        fail(
          `${metric} at ${formatIsoTime(t)} is ${v}, not a whole number: the Sum of ${metric === "IncomingRecords" ? "records" : "bytes"} in a period always is, so this export has another statistic ` +
            `(Average is per put call); export it with "Stat": "Sum"`,
        );
      }
    }
  }
  if (dups.n > 0) notes.push(`${dups.n} duplicate data points (same time, same value) ignored`);
  if (!bytes) notes.push("no IncomingBytes result: a records-only trace (producers replaying it need a recordSize)");

  const times = [...new Set([...records.keys(), ...(bytes ? bytes.keys() : [])])].sort((a, b) => a - b);
  if (times.length === 0) fail("IncomingRecords has no data points (no traffic in the time range, or an empty export)");
  if (times.length === 1) fail(`only one data point (${formatIsoTime(times[0]!)}): the period is inferred from the spacing of the timestamps, so export at least two periods`);
  const descending = rec.some(({ result }) => result.times.length > 1 && result.times[0]! > result.times[1]!);
  if (descending) notes.push("data points were in descending time order (CloudWatch's default, TimestampDescending): sorted ascending");

  const period = inferPeriod(times, fail, notes);
  const first = times[0]!;
  const n = (times.at(-1)! - first) / period + 1;
  const recs: number[] = new Array<number>(n);
  const byts: number[] | null = bytes ? new Array<number>(n) : null;
  const gaps: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = first + i * period;
    const r = records.get(t);
    const b = bytes?.get(t);
    if (bytes && r !== undefined && r > 0 && b === undefined) {
      fail(`IncomingBytes has no data point at ${formatIsoTime(t)}, where IncomingRecords has ${r}: both metrics must cover the same periods${partial ? " (the export is PartialData: pass every page)" : ""}`);
    }
    if (bytes && b !== undefined && b > 0 && r === undefined) {
      fail(`IncomingRecords has no data point at ${formatIsoTime(t)}, where IncomingBytes has ${b}: both metrics must cover the same periods${partial ? " (the export is PartialData: pass every page)" : ""}`);
    }
    if (r === undefined && b === undefined) gaps.push(t);
    recs[i] = r ?? 0;
    if (byts) byts[i] = b ?? 0;
  }
  if (gaps.length > 0) {
    notes.push(
      `${gaps.length} missing period${gaps.length === 1 ? "" : "s"} filled with 0 (CloudWatch writes no data point for a period without successful puts): ${listTimes(gaps)}`,
    );
  }
  return { trace: { periodUs: period, records: recs, bytes: byts }, notes, start: formatIsoTime(first) };
}
