// The traces a scenario's producers replay (`rate: { shape: trace, file }`): each distinct file read once,
// relative to the scenario file's folder, parsed, and checked against the producers that use it. Reading
// goes through the injected `read` (only src/cli touches the file system); problems are ScenarioErrors that
// name the scenario field, with the trace file's own file:line:col problem after it.

import { dirname, isAbsolute, join } from "node:path";
import { parseTraceCsv, TraceError, type Trace } from "../workload/trace.js";
import { fieldPosition, formatPath, ScenarioError, type Problem } from "./load.js";
import { InputFileError } from "./encoding.js";
import { deliveryStreamOf, recordSizeLimitOf, type Scenario } from "../spec/index.js";

/** Where a scenario's `rate.file` is: relative to the scenario file's folder, unless absolute. */
export function traceFilePath(scenarioFile: string, file: string): string {
  return isAbsolute(file) ? file : join(dirname(scenarioFile), file);
}

function readProblem(e: unknown, path: string): string {
  if (e instanceof TraceError) return `bad trace file: ${e.message}`;
  if (e instanceof InputFileError) return e.message;
  const err = e as NodeJS.ErrnoException;
  const why = err?.code === "ENOENT" ? "no such file" : err?.code === "EISDIR" ? "a folder, not a file" : (err?.message ?? String(e));
  return `cannot read the trace file ${path} (${why}); the path is relative to the scenario file's folder`;
}

/**
 * Reads and parses every distinct `rate.file` of the scenario's producers, keyed by the file as the scenario
 * writes it (what `rateModel(spec.rate, duration, traces.get(spec.rate.file), rng)` takes). `read(path)` returns
 * a file's text and throws (like fs.readFileSync) when it cannot; `scenarioFile` is the scenario's path, used
 * to resolve the traces and, read through `read` too, to give problems their line and column (1:1 if it
 * cannot be read; `scenarioText`, when given, is used instead of reading it). Also checks that a producer
 * without a recordSize replays a trace with bytes, whose mean record sizes fit the stream's maxRecordSize. Throws ScenarioError listing every problem.
 */
export function resolveTraces(scenario: Scenario, scenarioFile: string, read: (path: string) => string, scenarioText?: string): Map<string, Trace> {
  const traces = new Map<string, Trace>();
  const failed = new Map<string, string>();
  const problems: Problem[] = [];
  let text: string | undefined | null = scenarioText ?? null;
  const position = (path: readonly PropertyKey[], where: "value" | "parent") => {
    if (text === null) {
      try {
        text = read(scenarioFile);
      } catch {
        text = undefined;
      }
    }
    return text === undefined ? { line: 1, column: 1 } : fieldPosition(text, path, where);
  };
  const problem = (path: (string | number)[], message: string, where: "value" | "parent" = "value") => {
    problems.push({ file: scenarioFile, ...position(path, where), path: formatPath(path), message });
  };

  scenario.producers.forEach((p, i) => {
    const rate = p.rate;
    if (rate.shape !== "trace") return;
    let trace = traces.get(rate.file);
    if (!trace) {
      let message = failed.get(rate.file);
      if (message === undefined) {
        const path = traceFilePath(scenarioFile, rate.file);
        try {
          const text = read(path);
          trace = parseTraceCsv(text, path);
          traces.set(rate.file, trace);
        } catch (e) {
          message = readProblem(e, path);
          failed.set(rate.file, message);
        }
      }
      if (message !== undefined) {
        problem(["producers", i, "rate", "file"], message);
        return;
      }
    }
    if (p.recordSize) return;
    const t = trace!;
    if (!t.bytes) {
      problem(
        ["producers", i, "recordSize"],
        `recordSize is required: the trace ${rate.file} has no bytes column to give the record size (add a recordSize, or import the trace with IncomingBytes)`,
        "parent",
      );
      return;
    }
    // Direct PUT producers are held to Firehose's record limit, the others to the stream's.
    const direct = deliveryStreamOf(p) !== undefined;
    const max = recordSizeLimitOf(scenario, p);
    const j = t.records.findIndex((r, k) => r > 0 && t.bytes![k]! / r > max);
    if (j >= 0) {
      problem(
        ["producers", i, "rate", "file"],
        `the trace ${rate.file} gives a mean record size of ${Math.round(t.bytes[j]! / t.records[j]!)} B in period ${j + 1} ` +
          `(from ${(j * t.periodUs) / 1e6} s), more than ${direct ? "Firehose's record limit" : "the stream's maxRecordSize"} of ${max} B; give the producer a recordSize`,
      );
    }
  });
  if (problems.length > 0) throw new ScenarioError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  return traces;
}
