// Traffic traces: how many records (and bytes) a stream took in each period of real traffic, replayed by
// the `shape: trace` rate (rate.ts). A trace comes from a CloudWatch export (cloudWatch.ts, `shardcast import
// cloudwatch`) or is written by hand, as CSV:
//
//   # clickstream, 1-minute Sums of IncomingRecords and IncomingBytes
//   time,records,bytes
//   2024-09-26T12:00:00Z,1234,830112
//   2024-09-26T12:01:00Z,1301,871530
//
// - The header is `time,records` or `time,records,bytes`; one row per period follows, in ascending time.
// - time is an ISO-8601 date-time (offsets such as +02:00 are converted; none means UTC) or seconds from the
//   start (0, 60, 120, …), the same kind in every row. The period is the spacing of the first two rows; every
//   row must follow the previous one by exactly one period (write 0 for a period without traffic).
// - records and bytes are the period's totals (CloudWatch Sums), numbers ≥ 0.
// - `#` starts a comment (a whole line or the rest of one); blank lines are skipped.
// Only the spacing of the times matters: period i of the trace covers [i·period, (i+1)·period) of a run.

import type { Micros } from "../engine/time.js";
import { MAX_OFFERED_RECORDS_PER_SECOND, MAX_RECORD_BYTES } from "../spec/traffic.js";
import { formatIsoTime, parseIsoTime } from "./isoTime.js";
import { MAX_TRACE_PERIODS, type Trace } from "./traceData.js";
import { TraceError } from "./traceError.js";

export { MAX_TRACE_PERIODS, type Trace } from "./traceData.js";
export { TraceError } from "./traceError.js";
export { cloudWatchToTrace, type CloudWatchImport, type CloudWatchOptions } from "./cloudWatch.js";

/** How long a trace lasts: its periods × the period. */
export function traceDuration(trace: Trace): Micros {
  return trace.records.length * trace.periodUs;
}

// ---------------------------------------------------------------------------------------------------------
// CSV → Trace.

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SECONDS = /^\d+(?:\.\d{1,6})?$/;
const TIME_ALLOWED = "an ISO-8601 time such as 2024-09-26T12:00:00Z (offsets such as +02:00 allowed) or seconds from the start such as 60";
const HEADER_ALLOWED = "the header is `time,records` or `time,records,bytes`";

interface Field {
  text: string;
  column: number;
}

/** Comma-separated fields, trimmed, each with the column (in characters, from 1) where its text starts. */
function splitFields(content: string): Field[] {
  const out: Field[] = [];
  let offset = 0;
  for (const part of content.split(",")) {
    const lead = part.trim() === "" ? 0 : part.length - part.trimStart().length;
    out.push({ text: part.trim(), column: [...content.slice(0, offset + lead)].length + 1 });
    offset += part.length + 1;
  }
  return out;
}

/** "60 s", "0.5 s": a period or spacing in messages. */
function seconds(us: Micros): string {
  return `${us / 1_000_000} s`;
}

/** Parses a trace CSV (see the top of this file). `file` names it in errors (`file:line:col: problem`). */
export function parseTraceCsv(text: string, file: string): Trace {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = src.split(/\r\n|\n|\r/);
  const fail = (line: number, column: number, problem: string): never => {
    throw new TraceError(file, line, column, problem);
  };

  let header: string[] | undefined;
  let headerLine = 0;
  const records: number[] = [];
  const bytes: number[] = [];
  /** Where each row's records and bytes are written (line, column), for the check against the most a period may hold. */
  const at: { line: number; records: number; bytes: number }[] = [];
  let kind: "iso" | "seconds" | undefined;
  let firstLine = 0;
  let prev = 0;
  let prevLine = 0;
  let period = 0;
  let periodLines = "";
  let lastLine = 0;

  const numberAt = (f: Field, line: number, name: string): number => {
    const what = `a number ≥ 0 (the period's total ${name})`;
    if (f.text === "") fail(line, f.column, `${name}: missing; expected ${what}`);
    if (!NUMBER.test(f.text)) fail(line, f.column, `${name}: expected ${what}, got "${f.text}"`);
    const v = Number(f.text);
    if (!Number.isFinite(v)) fail(line, f.column, `${name}: ${f.text} is too large; expected ${what}`);
    return v;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    const hash = raw.indexOf("#");
    const content = hash >= 0 ? raw.slice(0, hash) : raw;
    if (content.trim() === "") continue;
    const fields = splitFields(content);
    const end = [...content.trimEnd()].length + 1;

    if (!header) {
      const names = fields.map((f) => f.text.toLowerCase());
      if (names[0] !== "time") {
        if (parseIsoTime(fields[0]!.text) !== undefined || SECONDS.test(fields[0]!.text)) {
          fail(line, fields[0]!.column, `the first line must be the header \`time,records,bytes\` (bytes optional), not a data row`);
        }
        fail(line, fields[0]!.column, `header: column 1 must be \`time\`, got ${fields[0]!.text ? `\`${fields[0]!.text}\`` : "nothing"}; ${HEADER_ALLOWED}`);
      }
      if (names.length < 2) fail(line, end, `header: expected \`records\` after \`time\`; ${HEADER_ALLOWED}`);
      if (names[1] !== "records") fail(line, fields[1]!.column, `header: column 2 must be \`records\`, got ${fields[1]!.text ? `\`${fields[1]!.text}\`` : "nothing"}; ${HEADER_ALLOWED}`);
      if (names.length > 2 && names[2] !== "bytes") fail(line, fields[2]!.column, `header: column 3 must be \`bytes\`, got ${fields[2]!.text ? `\`${fields[2]!.text}\`` : "nothing"}; ${HEADER_ALLOWED}`);
      if (names.length > 3) fail(line, fields[3]!.column, `header: unexpected column 4 \`${fields[3]!.text}\`; ${HEADER_ALLOWED}`);
      header = names;
      headerLine = line;
      continue;
    }

    const n = header.length;
    if (fields.length < n) fail(line, end, `expected ${n} fields (${header.join(",")}), got ${fields.length}`);
    if (fields.length > n) fail(line, fields[n]!.column, `expected ${n} fields (${header.join(",")}), got ${fields.length}: unexpected \`${fields[n]!.text}\``);

    const tf = fields[0]!;
    if (tf.text === "") fail(line, tf.column, `time: missing; expected ${TIME_ALLOWED}`);
    const iso = parseIsoTime(tf.text);
    const secs = iso === undefined && SECONDS.test(tf.text) ? Math.round(Number(tf.text) * 1_000_000) : undefined;
    const rowKind = iso !== undefined ? "iso" : secs !== undefined ? "seconds" : undefined;
    if (rowKind === undefined) fail(line, tf.column, `time: expected ${TIME_ALLOWED}, got "${tf.text}"`);
    if (kind === undefined) {
      kind = rowKind;
      firstLine = line;
    } else if (rowKind !== kind) {
      const like = kind === "iso" ? "an ISO-8601 time" : "seconds from the start";
      fail(line, tf.column, `time: expected ${like} like the first row (line ${firstLine}), got "${tf.text}"; every row uses the same kind of time`);
    }
    const t = (iso ?? secs)!;
    if (records.length > 0) {
      const d = t - prev;
      if (d <= 0) fail(line, tf.column, `time: must be after the previous row's (line ${prevLine}); rows are in ascending time, one per period`);
      if (records.length === 1) {
        period = d;
        periodLines = `lines ${prevLine} and ${line}`;
      } else if (d !== period) {
        fail(
          line,
          tf.column,
          `time: irregular spacing: ${seconds(d)} after the previous row (line ${prevLine}), but the period is ${seconds(period)} (${periodLines}); ` +
            `rows must be one period apart (write 0 for a period without traffic)`,
        );
      }
    }
    if (records.length >= MAX_TRACE_PERIODS) fail(line, tf.column, `more than ${MAX_TRACE_PERIODS} rows: a trace holds at most ${MAX_TRACE_PERIODS} periods (use a longer period)`);
    prev = t;
    prevLine = line;
    lastLine = line;
    records.push(numberAt(fields[1]!, line, "records"));
    if (n === 3) bytes.push(numberAt(fields[2]!, line, "bytes"));
    at.push({ line, records: fields[1]!.column, bytes: fields[n - 1]!.column });
  }

  if (!header) fail(1, 1, "empty trace: expected the header `time,records,bytes` (bytes optional) and one row per period");
  if (records.length < 2) {
    fail(records.length ? lastLine : headerLine, 1, `a trace needs at least two rows (the period is the spacing of the first two); got ${records.length}`);
  }
  // A period holds at most MAX_OFFERED_RECORDS_PER_SECOND × its length records, each at most MAX_RECORD_BYTES bytes.
  const maxRecords = Math.floor((MAX_OFFERED_RECORDS_PER_SECOND * period) / 1e6);
  const maxBytes = maxRecords * MAX_RECORD_BYTES;
  const range = `allowed: 0 to ${maxRecords.toLocaleString("en-US")} (${MAX_OFFERED_RECORDS_PER_SECOND.toExponential()} records/s, the most a rate may say, × the period of ${seconds(period)})`;
  records.forEach((r, i) => {
    if (r > maxRecords) fail(at[i]!.line, at[i]!.records, `records: ${fields(r)} in one period is ${fields((r * 1e6) / period)} records/s; ${range}`);
  });
  bytes.forEach((b, i) => {
    if (b > maxBytes) fail(at[i]!.line, at[i]!.bytes, `bytes: ${fields(b)} in one period is more than its most records (${maxRecords.toLocaleString("en-US")}) of the largest record (${MAX_RECORD_BYTES} B) hold; allowed: 0 to ${maxBytes.toExponential(3)}`);
  });
  return { periodUs: period, records, bytes: header!.length === 3 ? bytes : null };
}

/** A count as a message shows it: whole numbers up to 1e15 with separators, larger ones as 1.5e+18. */
function fields(x: number): string {
  return x < 1e15 ? x.toLocaleString("en-US", { maximumFractionDigits: 1 }) : x.toExponential(3).replace(/\.?0+e/, "e");
}

// ---------------------------------------------------------------------------------------------------------
// Trace → CSV.

function formatNumber(v: number): string {
  return String(v);
}

function formatSeconds(us: Micros): string {
  return us % 1_000_000 === 0 ? String(us / 1_000_000) : (us / 1_000_000).toFixed(6).replace(/0+$/, "");
}

/**
 * The trace as CSV (what parseTraceCsv reads). With `start` (an ISO-8601 time: the first period's start) the
 * times are UTC timestamps (`2024-09-26T12:00:00Z`); without it, seconds from the start.
 */
export function traceCsv(trace: Trace, start?: string): string {
  let t0: number | undefined;
  if (start !== undefined) {
    t0 = parseIsoTime(start);
    if (t0 === undefined) throw new RangeError(`traceCsv: start must be an ISO-8601 time, got "${start}"`);
  }
  const b = trace.bytes;
  const rows = trace.records.map((r, i) => {
    const t = i * trace.periodUs;
    const time = t0 === undefined ? formatSeconds(t) : formatIsoTime(t0 + t);
    return b ? `${time},${formatNumber(r)},${formatNumber(b[i]!)}` : `${time},${formatNumber(r)}`;
  });
  return `${b ? "time,records,bytes" : "time,records"}\n${rows.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Record sizes from the trace.

/**
 * Mean record size (bytes / records) of the period containing `t`, for producers without a recordSize:
 * undefined for a records-only trace. A time past the trace's end wraps around (as `repeat: true` replays
 * it; without repeat no records arrive there). In a period without records: the next period's with records
 * (the records a window reaching into it will carry), or undefined when the trace has no records at all.
 */
export function traceMeanRecordSize(trace: Trace, t: Micros): number | undefined {
  const bytes = trace.bytes;
  if (!bytes) return undefined;
  const n = trace.records.length;
  const k = Math.max(0, Math.floor(t / trace.periodUs)) % n;
  for (let step = 0; step < n; step++) {
    const j = (k + step) % n;
    const r = trace.records[j]!;
    if (r > 0) return bytes[j]! / r;
  }
  return undefined;
}
