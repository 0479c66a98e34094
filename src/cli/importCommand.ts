// `shardcast import cloudwatch FILE... [--out TRACE.csv]`: real metrics → a trace CSV for
// `rate: { shape: trace, file }`. Reads the files, calls workload/cloudWatch and writes; the CSV goes to
// stdout (or --out), the summary and notes to stderr.

import { dirname } from "node:path";
import type { Command } from "commander";
import { jsonSyntaxError, loneSurrogateIn } from "../scenario/index.js";
import { cloudWatchToTrace, traceCsv, TraceError, type Trace } from "../workload/trace.js";
import { formatIsoTime, parseIsoTime } from "../workload/isoTime.js";
import { formatBytes, thousands } from "../report/format.js";
import { CliError } from "./errors.js";
import { makeFolder, readTextFile, writeFileAtomic } from "./files.js";
import type { Io } from "./io.js";

function readJson(file: string): unknown {
  // A regular file of bounded size, UTF-8 text (never a device or a FIFO).
  const text = readTextFile(file, "the export");
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (src.trim() === "") throw new CliError(`${file}: empty file; expected the JSON that \`aws cloudwatch get-metric-data\` prints`, 1);
  const err = jsonSyntaxError(src);
  if (err) {
    const before = src.slice(0, err.offset).split("\n");
    throw new CliError(`${file}:${before.length}:${[...before.at(-1)!].length + 1}: JSON syntax error: ${err.message}`, 1);
  }
  const data = JSON.parse(src) as unknown;
  const lone = loneSurrogateIn(data);
  if (lone) throw new CliError(`${file}: ${lone.join(".") || "the file"}: a string holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which is not text`, 1);
  return data;
}

const count = (n: number) => thousands(Math.round(n));


/** The summary lines: periods, period, totals, mean record size, the peak period's rate. */
function summary(trace: Trace, start: string, sources: string): string[] {
  const n = trace.records.length;
  const periodSec = trace.periodUs / 1e6;
  const total = trace.records.reduce((s, r) => s + r, 0);
  let peak = 0;
  trace.records.forEach((r, i) => {
    if (r > trace.records[peak]!) peak = i;
  });
  const t0 = parseIsoTime(start)!;
  const lines = [
    `imported ${n} periods of ${periodSec} s (${formatIsoTime(t0)} to ${formatIsoTime(t0 + n * trace.periodUs)}) from ${sources}`,
    `  records: ${count(total)} in total, mean ${count(total / (n * periodSec))}/s, peak period ${count(trace.records[peak]! / periodSec)}/s (from ${formatIsoTime(t0 + peak * trace.periodUs)})`,
  ];
  if (trace.bytes) {
    const bytes = trace.bytes.reduce((s, b) => s + b, 0);
    lines.push(`  bytes: ${formatBytes(bytes, "tenths")} in total; mean record size ${total > 0 ? `${count(bytes / total)} B` : "unknown (no records)"}`);
  } else {
    lines.push("  bytes: none (records-only trace: give producers a recordSize)");
  }
  return lines;
}

export function addImportCommand(program: Command, io: Io): void {
  const imp = program.command("import").description("Make a traffic trace from real metrics (for rate: { shape: trace })");
  imp
    .command("cloudwatch")
    .description(
      "Turn `aws cloudwatch get-metric-data` output (IncomingRecords and, optionally, IncomingBytes Sums of a stream) into a trace CSV " +
        "(time,records,bytes per period; the period is inferred from the timestamps; missing periods are filled with 0)",
    )
    .argument("<files...>", "get-metric-data JSON output; several files are the pages of one NextToken sequence, merged")
    .option("--out <file>", "write the trace CSV to this file (default: stdout)")
    .option("--records-id <id>", "Id or Label of the IncomingRecords result (default: the one whose Id or Label contains IncomingRecords)")
    .option("--bytes-id <id>", "Id or Label of the IncomingBytes result (default: the one whose Id or Label contains IncomingBytes; none: records only)")
    .action((files: string[], opts: { out?: string; recordsId?: string; bytesId?: string }) => {
      const exports = files.map(readJson);
      let imported;
      try {
        imported = cloudWatchToTrace(exports, { names: files, recordsId: opts.recordsId, bytesId: opts.bytesId });
      } catch (e) {
        if (e instanceof TraceError) throw new CliError(e.message, 1);
        throw e;
      }
      const csv = traceCsv(imported.trace, imported.start);
      if (opts.out) {
        const out = opts.out;
        makeFolder(dirname(out), "the trace");
        writeFileAtomic(out, csv, "the trace");
      } else {
        io.out(csv);
      }
      const lines = [...summary(imported.trace, imported.start, files.join(", ")), ...imported.notes.map((n) => `  note: ${n}`)];
      if (opts.out) lines.push(`wrote ${opts.out}`);
      io.err(lines.map((l, i) => (i === 0 ? `shardcast: ${l}` : l)).join("\n") + "\n");
    });
}
