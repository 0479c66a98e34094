// `shardcast sweep`, `shardcast merge` and `shardcast estimate`.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { InputFileError, loneSurrogateIn, parseScenario, resolveTraces } from "../scenario/index.js";
import { awsSizingEstimate, estimateText, modeBillChartFiles, modeBillText } from "../sweep/estimate.js";
import type { PrecisionRule } from "../sweep/precision.js";
import type { RunSummary } from "../sweep/summary.js";
import { MODE_PATH } from "../sweep/report.js";
import { prepareSweep, runSweep, sweepChartFiles, sweepHtml, sweepOutputs, taskInputs, type PreparedSweep } from "../sweep/sweep.js";
import { SHARDCAST_VERSION } from "../report/version.js";
import { CliError, EXIT } from "./errors.js";
import {
  ALLOW_PATH_HELP,
  allowedFolders,
  chartFonts,
  checkOutputFolder,
  collectAllowPath,
  OutputFolder,
  readLibraries,
  readScenarioFile,
  readTextFile,
  scenarioFileReader,
  SWEEP_REPORT_SET,
} from "./files.js";
import type { Io } from "./io.js";
import { addGuardOptions, guardRun, limitsOf, type GuardOptions } from "./guard.js";
import { defaultJobs, openPool, type TaskInput } from "./pool.js";
import { checkPartAgainstPlan, checkPartShape, PART_SCHEMA, sweepDigest, type PartFile } from "./partFile.js";
import { sweepProgress } from "./progress.js";

export { PART_SCHEMA } from "./partFile.js";

/** Replications per configuration at most with --precision, unless --max-replications says otherwise. */
export const DEFAULT_MAX_REPLICATIONS = 30;
/** Replications a --precision sweep starts from, unless --replications says otherwise. */
export const DEFAULT_PRECISION_START = 3;

function int(name: string, min: number, max: number) {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
    return Number(v);
  };
}

/** `--precision 5%` or `--precision 0.05`: a fraction in (0, 1]. */
function precisionArg(v: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(v.trim());
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(x > 0 && x <= 1)) throw new InvalidArgumentError(`--precision is a half-width relative to the mean (or the SLO target, if larger): a fraction such as 0.05 or a percentage such as 5%, above 0 and at most 100%; got "${v}"`);
  return x;
}

function partition(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InvalidArgumentError(`--partition is i/n with 1 ≤ i ≤ n, e.g. 2/8; got "${v}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

async function writeSweep(io: Io, folder: OutputFolder, p: PreparedSweep, summaries: RunSummary[], confidence: number, charts: boolean, precision: PrecisionRule | null = null, quiet = false): Promise<void> {
  // Varying the capacity mode: the closed-form bill of every mode for the scenario's traffic beside the runs, with the
  // charts (sweep.md names the files only when they are written).
  const modeFiles: Record<string, string> = {};
  if (charts && p.varies.some((v) => MODE_PATH.test(v.path))) {
    for (const [name, text] of Object.entries(await modeBillChartFiles(p.scenarios[0]!, p.traces))) modeFiles[`charts/${name}`] = text;
  }
  const out = sweepOutputs(p, summaries, confidence, precision, Object.keys(modeFiles).filter((f) => f.endsWith(".svg")));
  const files: Record<string, string | Uint8Array> = { ...out.files, ...modeFiles };
  if (charts) {
    const { charts: list, files: chartTexts } = await sweepChartFiles(out.files["sweep.json"]);
    const { renderPng } = await import("../report/charts/render.js");
    const fonts = chartFonts();
    Object.assign(files, chartTexts);
    for (const c of list) files[`charts/${c.name}.png`] = renderPng(chartTexts[`charts/${c.name}.svg`]!, fonts);
    files["sweep.html"] = await sweepHtml(out.files, list, readLibraries());
  }
  folder.write(files);
  const dir = folder.dir;
  if (!quiet) io.out(`${p.provenance.scenarioName}: ${out.result.recommendation}\nwrote ${join(dir, "sweep.json")}, ${join(dir, "sweep.md")}${charts ? `, ${join(dir, "sweep.html")} and the charts` : ""}\n`);
}

export function addSweepCommands(program: Command, io: Io): void {
  const sweep = program
    .command("sweep")
    .description("Run a scenario across parameter values and replications; recommend the cheapest configuration that meets the SLOs")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--vary <path=values>", "a field and its values: stream.shards=2,4,8 or stream.shards=4..32:4 (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--replications <n>", `runs per configuration, each with its own seed (default 1; with --precision, where to start: default ${DEFAULT_PRECISION_START})`, int("--replications", 1, 1000))
    .option(
      "--precision <x>",
      "add replications until every SLO metric's interval half-width is within x (0.05 or 5%) of the larger of its mean and its SLO target",
      precisionArg,
    )
    .option("--max-replications <n>", `most replications per configuration with --precision (default ${DEFAULT_MAX_REPLICATIONS})`, int("--max-replications", 2, 1000))
    .option("--jobs <n>", "worker threads (default: the CPUs)", int("--jobs", 1, 256))
    .option("--confidence <c>", "confidence level of the one-sided bounds (and the SLO check), e.g. 0.95", (v: string) => {
      const c = Number(v);
      if (!(c > 0.5 && c < 1)) throw new InvalidArgumentError(`--confidence must be between 0.5 and 1, got "${v}"`);
      return c;
    }, 0.95)
    .option("--partition <i/n>", "run only the i-th of n deterministic slices and write a partial result for `shardcast merge`", partition)
    .option("--out <dir>", "output folder (default: reports/<scenario name>/sweep)")
    .option("--no-charts", "skip the charts and sweep.html (faster)")
    .option("--allow-path <dir>", ALLOW_PATH_HELP, collectAllowPath)
    .option("--quiet", "print nothing but errors (no progress either)");
  addGuardOptions(sweep)
    .action(
      async (
        file: string,
        opts: GuardOptions & {
          vary: string[];
          replications?: number;
          precision?: number;
          maxReplications?: number;
          jobs?: number;
          confidence: number;
          partition?: { index: number; count: number };
          out?: string;
          charts: boolean;
          allowPath?: string[];
          quiet?: boolean;
        },
      ) => {
        if (opts.maxReplications !== undefined && opts.precision === undefined) throw new CliError("--max-replications only applies with --precision", EXIT.usage);
        if (opts.precision !== undefined && opts.partition) {
          throw new CliError("--precision decides the replications round by round from every configuration's results, so it cannot run as --partition slices", EXIT.usage);
        }
        const precision: PrecisionRule | null = opts.precision === undefined ? null : { halfWidth: opts.precision, maxReplications: opts.maxReplications ?? DEFAULT_MAX_REPLICATIONS };
        const replications = opts.replications ?? (precision ? DEFAULT_PRECISION_START : 1);
        const allowed = allowedFolders(opts.allowPath ?? []);
        const { text, sha256: sha, scenarioFile } = readScenarioFile(file);
        // Every trace read, by path: a partition's part file carries their text, so that merge reads no file.
        const traceTexts = new Map<string, string>();
        const p = prepareSweep(text, scenarioFile, sha, opts.vary, replications, scenarioFileReader(scenarioFile, allowed, traceTexts), precision);
        const dir = opts.out ?? join("reports", p.provenance.scenarioName, "sweep");
        const partName = opts.partition ? `sweep-part-${opts.partition.index}-of-${opts.partition.count}.json` : undefined;
        // Checked and locked before running; the results are staged and renamed into place at the end.
        const folder = OutputFolder.open(dir, partName ? [partName] : SWEEP_REPORT_SET);
        try {
          folder.guardSignals();
          const slice = opts.partition;
          const filter = slice ? (i: number) => i % slice.count === slice.index - 1 : undefined;
          const jobs = Math.min(opts.jobs ?? defaultJobs(), Math.max(1, taskInputs(p, filter).length));
          // Every configuration within the limits before any runs (its runs share the machine with `jobs` others).
          const limits = limitsOf(opts, jobs);
          p.scenarios.forEach((s, i) => guardRun(p.scenarios.length > 1 ? `${file}, configuration ${p.plan.configs[i]!.label}` : file, s, p.traces, limits));
          const progress = sweepProgress(io, 0, !opts.quiet);
          const pool = openPool(jobs);
          let run: { prepared: PreparedSweep; summaries: RunSummary[] };
          try {
            // With --precision, each round adds its runs to the plan.
            const runner = (inputs: TaskInput[]) => {
              progress.plan(inputs.length);
              return pool.run(inputs, (summary) => progress.runDone(summary.events));
            };
            run = await runSweep(p, runner, opts.confidence, precision, filter);
          } finally {
            progress.end();
            await pool.close();
          }
          if (opts.partition && partName) {
            const traces = Object.fromEntries([...traceTexts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
            const common = { shardcastVersion: SHARDCAST_VERSION, scenarioSha256: sha, varies: opts.vary, replications, confidence: opts.confidence, traces };
            const part: PartFile = {
              schema: PART_SCHEMA,
              ...common,
              scenarioFile,
              scenarioText: text,
              partition: opts.partition,
              digest: sweepDigest(p, { ...common, count: opts.partition.count }),
              summaries: run.summaries,
            };
            folder.write({ [partName]: `${JSON.stringify(part)}\n` });
            if (!opts.quiet) io.out(`wrote ${join(dir, partName)} (${run.summaries.length} of ${p.plan.tasks.length} runs)\n`);
            return;
          }
          await writeSweep(io, folder, run.prepared, run.summaries, opts.confidence, opts.charts, precision, opts.quiet);
        } finally {
          folder.close();
        }
      },
    );

  program
    .command("merge")
    .description("Combine the partial results of a partitioned sweep (`sweep --partition i/n`) into sweep.json and sweep.md")
    .argument("<dirs...>", "folders holding sweep-part-*.json files")
    .option("--out <dir>", "output folder (default: the first folder)")
    .option("--no-charts", "skip the charts and sweep.html (faster)")
    .action(async (dirs: string[], opts: { out?: string; charts: boolean }) => {
      const parts: { part: PartFile; file: string }[] = [];
      for (const dir of dirs) {
        let names: string[];
        try {
          names = readdirSync(dir).filter((n) => /^sweep-part-\d+-of-\d+\.json$/.test(n)).sort();
        } catch {
          throw new CliError(`${dir}: cannot read the folder`, EXIT.badInput);
        }
        for (const n of names) {
          // A truncated, hand-edited or forged part is bad input (exit 1), not an internal error; nothing it names is read.
          const file = join(dir, n);
          const text = readTextFile(file, "the partial sweep result");
          let data: unknown;
          try {
            data = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
          } catch (e) {
            throw new CliError(`${file}: cannot read the partial sweep result (${(e as Error).message})`, EXIT.badInput);
          }
          const lone = loneSurrogateIn(data);
          if (lone) throw new CliError(`${file}: ${lone.join(".")}: a string holds a lone UTF-16 surrogate (half of a \\uD800-\\uDFFF pair), which is not text`, EXIT.badInput);
          parts.push({ part: checkPartShape(data, file), file });
        }
      }
      if (parts.length === 0) throw new CliError(`no sweep-part-*.json files in ${dirs.join(", ")}`, EXIT.badInput);
      const first = parts[0]!.part;
      const count = first.partition.count;
      const seen = new Set<number>();
      for (const { part } of parts) {
        const same = part.digest === first.digest && part.shardcastVersion === first.shardcastVersion && part.partition.count === count;
        if (!same) throw new CliError(`partial results from different sweeps (scenario, version, --vary, --replications, --confidence, traces or n differ): part ${part.partition.index}/${part.partition.count}`, EXIT.badInput);
        if (seen.has(part.partition.index)) throw new CliError(`part ${part.partition.index}/${count} is given twice`, EXIT.badInput);
        seen.add(part.partition.index);
      }
      const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
      if (missing.length > 0) throw new CliError(`missing part(s) ${missing.map((i) => `${i}/${count}`).join(", ")}`, EXIT.badInput);
      // The traces come from the part, never from the files it names.
      const fromPart = (path: string) => {
        if (Object.hasOwn(first.traces, path)) return first.traces[path]!;
        throw new InputFileError(`the part files hold no trace ${path} (merge reads no file a part names)`);
      };
      const p = prepareSweep(first.scenarioText, first.scenarioFile, first.scenarioSha256, first.varies, first.replications, fromPart);
      for (const { part, file } of parts) checkPartAgainstPlan(part, file, p);
      const summaries: RunSummary[] = parts.flatMap((x) => x.part.summaries).sort((a, b) => a.task - b.task);
      if (summaries.length !== p.plan.tasks.length) throw new CliError(`the parts hold ${summaries.length} runs; the sweep has ${p.plan.tasks.length}`, EXIT.badInput);
      const folder = OutputFolder.open(opts.out ?? dirs[0]!, SWEEP_REPORT_SET);
      try {
        folder.guardSignals();
        await writeSweep(io, folder, p, summaries, first.confidence, opts.charts);
      } finally {
        folder.close();
      }
    });

  program
    .command("estimate")
    .description("Print the AWS sizing formula's shard count and the Kinesis streams' monthly bill in every capacity mode for a scenario's mean traffic (instant; ignores skew and bursts; `run` prices the rest of the bill)")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--chart <dir>", "also write the bill of every mode against the throughput, per stream, as modes-<stream>.vl.json and .svg in this folder")
    .option("--allow-path <dir>", ALLOW_PATH_HELP, collectAllowPath)
    .action(async (file: string, opts: { chart?: string; allowPath?: string[] }) => {
      const allowed = allowedFolders(opts.allowPath ?? []);
      const { text, scenarioFile } = readScenarioFile(file);
      const s = parseScenario(text, scenarioFile);
      if (opts.chart) checkOutputFolder(opts.chart);
      // A trace replay's rate and record sizes come from its trace file.
      const traces = resolveTraces(s, scenarioFile, scenarioFileReader(scenarioFile, allowed), text);
      const e = awsSizingEstimate(s, traces);
      io.out(`${estimateText(s, e, traces)}\n${e.stream ? `\n${modeBillText(s, traces)}\n` : ""}`);
      if (opts.chart && e.stream) {
        const files = await modeBillChartFiles(s, traces);
        const folder = OutputFolder.open(opts.chart, Object.keys(files));
        try {
          folder.write(files);
        } finally {
          folder.close();
        }
        io.out(`wrote ${Object.keys(files).map((f) => join(opts.chart!, f)).join(", ")}\n`);
      }
    });
}

