// resolveTraces with an injected reader: trace files relative to the scenario file's folder, each read once,
// and problems as ScenarioErrors that name the scenario field at its line and column, followed by the trace
// file's own file:line:col problem.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError } from "../../src/scenario/load.js";
import { resolveTraces, traceFilePath } from "../../src/scenario/traces.js";
import { parseTraceCsv } from "../../src/workload/trace.js";

const root = join(import.meta.dirname, "..", "..");

const SCENARIO = `name: replay
duration: 10m
stream: { shards: 2 }
producers:
  - name: web
    client: sdk
    rate: { shape: trace, file: traces/web.csv, within: even }
  - name: api
    client: sdk
    rate: { shape: trace, file: traces/web.csv, scale: 2 }
    recordSize: { dist: fixed, size: 1KiB }
`;

const WEB = "time,records,bytes\n0,600,420000\n60,1200,840000\n";

/** A reader over in-memory files that records what it was asked for; a missing file throws like fs (ENOENT). */
function reader(files: Record<string, string>) {
  const asked: string[] = [];
  const read = (path: string) => {
    asked.push(path);
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
    return text;
  };
  return { read, asked };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message.split("\n");
  }
  throw new Error("expected a ScenarioError");
}

describe("resolveTraces", () => {
  it("reads each distinct file once, relative to the scenario's folder, keyed by rate.file as written", () => {
    const scenario = parseScenario(SCENARIO, "scenarios/replay.yaml");
    const { read, asked } = reader({ "scenarios/replay.yaml": SCENARIO, "scenarios/traces/web.csv": WEB });
    const traces = resolveTraces(scenario, "scenarios/replay.yaml", read);
    expect([...traces.keys()]).toEqual(["traces/web.csv"]);
    expect(traces.get("traces/web.csv")).toEqual(parseTraceCsv(WEB, "x"));
    expect(asked).toEqual(["scenarios/traces/web.csv"]);
  });

  it("traceFilePath keeps absolute paths and resolves relative ones against the scenario's folder", () => {
    expect(traceFilePath("scenarios/replay.yaml", "traces/web.csv")).toBe(join("scenarios", "traces", "web.csv"));
    expect(traceFilePath("replay.yaml", "web.csv")).toBe("web.csv");
    expect(traceFilePath("scenarios/replay.yaml", "../data/web.csv")).toBe(join("data", "web.csv"));
    expect(traceFilePath("scenarios/replay.yaml", "/data/web.csv")).toBe("/data/web.csv");
  });

  it("a missing trace file: one problem per field that names it, at the field's line and column", () => {
    const scenario = parseScenario(SCENARIO, "scenarios/replay.yaml");
    const { read } = reader({ "scenarios/replay.yaml": SCENARIO });
    expect(problemsOf(() => resolveTraces(scenario, "scenarios/replay.yaml", read))).toEqual([
      "scenarios/replay.yaml:7:33: producers[0].rate.file: cannot read the trace file scenarios/traces/web.csv (no such file); the path is relative to the scenario file's folder",
      "scenarios/replay.yaml:10:33: producers[1].rate.file: cannot read the trace file scenarios/traces/web.csv (no such file); the path is relative to the scenario file's folder",
    ]);
  });

  it("a trace that does not parse: the scenario field, then the trace file's own line:col problem", () => {
    const scenario = parseScenario(SCENARIO, "scenarios/replay.yaml");
    const { read } = reader({ "scenarios/replay.yaml": SCENARIO, "scenarios/traces/web.csv": "time,records,bytes\n0,600,420000\n60,lots,840000\n" });
    const problems = problemsOf(() => resolveTraces(scenario, "scenarios/replay.yaml", read));
    expect(problems[0]).toBe(
      `scenarios/replay.yaml:7:33: producers[0].rate.file: bad trace file: scenarios/traces/web.csv:3:4: records: expected a number ≥ 0 (the period's total records), got "lots"`,
    );
    expect(problems).toHaveLength(2);
  });

  it("a producer without a recordSize needs a trace with bytes", () => {
    const scenario = parseScenario(SCENARIO, "scenarios/replay.yaml");
    const { read } = reader({ "scenarios/replay.yaml": SCENARIO, "scenarios/traces/web.csv": "time,records\n0,600\n60,1200\n" });
    expect(problemsOf(() => resolveTraces(scenario, "scenarios/replay.yaml", read))).toEqual([
      "scenarios/replay.yaml:5:5: producers[0].recordSize: recordSize is required: the trace traces/web.csv has no bytes column to give the record size (add a recordSize, or import the trace with IncomingBytes)",
    ]);
  });

  it("a producer without a recordSize: the trace's mean record sizes must fit the stream's maxRecordSize", () => {
    const scenario = parseScenario(SCENARIO, "scenarios/replay.yaml");
    const { read } = reader({ "scenarios/replay.yaml": SCENARIO, "scenarios/traces/web.csv": "time,records,bytes\n0,600,420000\n60,1,2000000\n" });
    expect(problemsOf(() => resolveTraces(scenario, "scenarios/replay.yaml", read))).toEqual([
      "scenarios/replay.yaml:7:33: producers[0].rate.file: the trace traces/web.csv gives a mean record size of 2000000 B in period 2 (from 60 s), more than the stream's maxRecordSize of 1048576 B; give the producer a recordSize",
    ]);
  });

  it("when the scenario file itself cannot be read through `read`, problems are placed at 1:1", () => {
    const scenario = parseScenario(SCENARIO, "scenarios/replay.yaml");
    const { read } = reader({});
    expect(problemsOf(() => resolveTraces(scenario, "scenarios/replay.yaml", read))[0]).toMatch(/^scenarios\/replay\.yaml:1:1: producers\[0\]\.rate\.file: cannot read/);
  });

  it("a scenario without trace rates reads nothing", () => {
    const text = SCENARIO.replace(/rate: \{ shape: trace[^}]*\}/g, "rate: { shape: constant, value: 10/s }").replace("    client: sdk\n    rate: { shape: constant, value: 10/s }\n  - name: api", "    client: sdk\n    rate: { shape: constant, value: 10/s }\n    recordSize: { dist: fixed, size: 1KiB }\n  - name: api");
    const { read, asked } = reader({});
    expect(resolveTraces(parseScenario(text, "s.yaml"), "s.yaml", read).size).toBe(0);
    expect(asked).toEqual([]);
  });

  it("scenarios/replay-cloudwatch.yaml resolves its trace: 60 one-minute periods with bytes", () => {
    const file = "scenarios/replay-cloudwatch.yaml";
    const read = (path: string) => readFileSync(join(root, path), "utf8");
    const scenario = parseScenario(read(file), file);
    const traces = resolveTraces(scenario, file, read);
    const trace = traces.get("traces/clickstream.csv")!;
    expect(trace.periodUs).toBe(60_000_000);
    expect(trace.records).toHaveLength(60);
    expect(trace.bytes).toHaveLength(60);
    expect(scenario.producers[0]!.recordSize).toBeUndefined();
  });
});
