// `shardcast run`, `validate` and `schema`.

import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import type { Provenance } from "../report/json.js";
import { reportJsonSchema } from "../report/reportSchema.js";
import { runSummary } from "../report/summary.js";
import { renderReportFiles, runScenario } from "../run.js";
import { formatWarning, parseScenario, resolveTraces, scenarioJsonSchema, scenarioWarningsIn, streamsOf } from "../scenario/index.js";
import { CliError, EXIT } from "./errors.js";
import {
  ALLOW_PATH_HELP,
  allowedFolders,
  chartFonts,
  collectAllowPath,
  MISSING_FONTS_NOTE,
  OutputFolder,
  readLibraries,
  readScenarioFile,
  RUN_REPORT_SET,
  scenarioFileReader,
  writeFileAtomic,
} from "./files.js";
import type { Io } from "./io.js";
import { applyOverrides, collectSet, parseOverrides, type Override } from "./overrides.js";
import { runProgress } from "./progress.js";

export function intOption(name: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${value}"`);
    const n = Number(value);
    if (n > 2 ** 31 - 1) throw new InvalidArgumentError(`${name} must be at most ${2 ** 31 - 1}`);
    return n;
  };
}

/**
 * A scenario file parsed, with the --set overrides applied, the traffic traces it names (inside the scenario
 * file's folder, or one --allow-path allows), its provenance and its warnings (each a
 * `file:line:col: warning: path: message` line).
 */
function loadScenario(file: string, overrides: Override[], allowPath: readonly string[]) {
  const allowed = allowedFolders(allowPath);
  const { text, sha256, scenarioFile } = readScenarioFile(file);
  // The file's own problems first, at their line and column; then what the overrides make of it.
  const scenario = applyOverrides(parseScenario(text, scenarioFile), text, scenarioFile, overrides);
  const traces = resolveTraces(scenario, scenarioFile, scenarioFileReader(scenarioFile, allowed), text);
  const warnings = scenarioWarningsIn(text, scenarioFile, scenario).map((w) => `${formatWarning(w)}\n`);
  const provenance: Provenance = { scenarioFile, scenarioSha256: sha256, ...(overrides.length > 0 ? { overrides: overrides.map((o) => o.text) } : {}) };
  return { scenario, traces, provenance, warnings };
}

/**
 * Where `run` writes without --out: reports/<scenario name>, or with --set a folder of its own beside it
 * (reports/quickstart+stream.shards=2), so trying a value never overwrites a sample's committed report.
 */
export function defaultRunFolder(name: string, overrides: Override[]): string {
  if (overrides.length === 0) return join("reports", name);
  // Characters a file name cannot hold on some system (a rate's "/", Windows' reserved ones) become "_".
  return join("reports", [name, ...overrides.map((o) => o.text)].join("+").replace(/[/\\:*?"<>|\s]/g, "_"));
}

const SET_HELP = "give a scenario field a value for this run, e.g. stream.shards=2 or producers[web].rate.value=3000/s (the paths of sweep --vary; repeatable)";

/**
 * For the test of an interrupted run (test/cli/atomic.test.ts): with SHARDCAST_HOLD_BEFORE_WRITE set, a run that has
 * its reports ready says "holding" on stderr and waits (up to a minute) before writing them, so a signal can be sent
 * at that point for certain, whatever the machine's speed. Unset, it does nothing.
 */
async function holdBeforeWrite(io: Io): Promise<void> {
  if (!process.env.SHARDCAST_HOLD_BEFORE_WRITE) return;
  io.err("shardcast: holding before writing the reports\n");
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}

export function addRunCommands(program: Command, io: Io): void {
  program
    .command("run")
    .description("Simulate a scenario and write report.json, report.md, report.html and charts/")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--seed <n>", "override the scenario's seed", intOption("--seed"))
    .option("--out <dir>", "output folder (default: reports/<scenario name>)")
    .option("--granularity <g>", "batch (default) or record (every record on its own; slow)", (v: string) => {
      if (v !== "batch" && v !== "record") throw new InvalidArgumentError(`--granularity must be batch or record, got "${v}"`);
      return v;
    })
    .option("--no-charts", "skip the charts and report.html (faster)")
    .option("--fail-on-slo", "exit with code 3 when an SLO is missed")
    .option("--set <path=value>", SET_HELP, collectSet)
    .option("--allow-path <dir>", ALLOW_PATH_HELP, collectAllowPath)
    .option("--quiet", "print nothing but errors (no progress either)")
    .action(
      async (
        file: string,
        opts: { seed?: number; out?: string; granularity?: "batch" | "record"; charts: boolean; failOnSlo?: boolean; set?: string[]; allowPath?: string[]; quiet?: boolean },
      ) => {
        const set = parseOverrides(opts.set ?? []);
        const { scenario, traces, provenance, warnings } = loadScenario(file, set, opts.allowPath ?? []);
        const dir = opts.out ?? defaultRunFolder(scenario.name, set);
        // Checked and locked before simulating; the reports are staged and renamed into place at the end.
        const folder = OutputFolder.open(dir, RUN_REPORT_SET);
        let outputs: ReturnType<typeof runScenario>;
        let charts = 0;
        let simulated: number;
        const started = io.now();
        try {
          if (!opts.quiet) for (const w of warnings) io.err(w);
          const progress = runProgress(io, !opts.quiet);
          try {
            outputs = runScenario(scenario, provenance, { seed: opts.seed, granularity: opts.granularity, traces, onProgress: progress.onProgress });
          } finally {
            progress.end();
          }
          simulated = io.now();
          // The simulation ran synchronously (a signal's default action stops it at once); from here the main thread
          // is free, and SIGINT/SIGTERM leave the previous reports as they were.
          folder.guardSignals();
          const files: Record<string, string | Uint8Array> = { ...outputs.files };
          if (opts.charts) {
            const fontFiles = chartFonts();
            if (fontFiles.length === 0 && !opts.quiet) io.err(`shardcast: ${MISSING_FONTS_NOTE}\n`);
            const onWarning = (message: string) => {
              if (!opts.quiet) io.err(`shardcast: chart warning: ${message}\n`);
            };
            const extra = await renderReportFiles(outputs.files, { fontFiles, libraries: readLibraries(), onWarning });
            Object.assign(files, extra);
            charts = Object.keys(extra).filter((name) => name.endsWith(".svg")).length;
          }
          await holdBeforeWrite(io);
          folder.write(files);
        } finally {
          folder.close();
        }
        const v = outputs.verdict;
        if (!opts.quiet) {
          io.out(
            runSummary(outputs.result, v) +
              `wrote ${join(dir, "report.json")} and ${join(dir, "report.md")} (${outputs.result.engine.events.toLocaleString("en-US")} events in ${((simulated - started) / 1000).toFixed(2)} s)\n` +
              (opts.charts ? `wrote ${join(dir, "report.html")} and ${charts} charts in ${join(dir, "charts")} (.vl.json, .svg, .png; ${((io.now() - simulated) / 1000).toFixed(2)} s)\n` : ""),
          );
        }
        if (opts.failOnSlo && v.slosMet === false) throw new CliError("", EXIT.sloMissed);
      },
    );

  program
    .command("validate")
    .description("Check a scenario file without running it")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--set <path=value>", "check the scenario with this field set, as `run --set` would run it (repeatable)", collectSet)
    .option("--allow-path <dir>", ALLOW_PATH_HELP, collectAllowPath)
    .action((file: string, opts: { set?: string[]; allowPath?: string[] }) => {
      const set = parseOverrides(opts.set ?? []);
      const { scenario, warnings } = loadScenario(file, set, opts.allowPath ?? []);
      const streams = streamsOf(scenario);
      const shards = (n: number): string => `${n} shard${n === 1 ? "" : "s"}`;
      const what = streams.length === 0 ? "no stream" : streams.length === 1 ? shards(streams[0]!.spec.shards) : streams.map((s) => `${s.name}: ${shards(s.spec.shards)}`).join(", ");
      // Warnings go where problems go (stderr), and the scenario is still valid: exit 0.
      for (const w of warnings) io.err(w);
      const warned = warnings.length === 0 ? "" : `, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`;
      const setText = set.map((o) => ` --set ${o.text}`).join("");
      io.out(`${file}${setText ? ` with${setText}` : ""}: valid scenario "${scenario.name}" (${what}, ${scenario.producers.length} producer(s))${warned}\n`);
    });

  program
    .command("schema")
    .description("Print the scenario JSON Schema (for editor completion), or with --report the JSON Schema of report.json")
    .option("--report", "the JSON Schema of report.json instead")
    .option("--out <file>", "write to a file instead of stdout")
    .action((opts: { report?: boolean; out?: string }) => {
      const text = `${JSON.stringify(opts.report ? reportJsonSchema() : scenarioJsonSchema(), null, 2)}\n`;
      if (!opts.out) return io.out(text);
      writeFileAtomic(opts.out, text);
    });
}
