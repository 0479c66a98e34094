#!/usr/bin/env node
// The shardcast command line: the only code that touches argv, files, stdout/stderr, exit codes and the
// wall clock. It reads, calls the core and writes.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { HtmlLibraries } from "../report/html.js";
import { renderReportFiles, runScenario } from "../run.js";
import { parseScenario, ScenarioError } from "../scenario/load.js";
import { resolveTraces } from "../scenario/traces.js";
import { scenarioJsonSchema } from "../spec/jsonSchema.js";
import { SHARDCAST_VERSION } from "../report/version.js";
import { runSummary } from "../report/summary.js";
import { addImportCommand } from "./importCommand.js";
import { addSweepCommands, CliFailure, SweepError } from "./sweepCommands.js";

/** Exit codes. */
const EXIT = { ok: 0, badInput: 1, usage: 2, sloMissed: 3, internal: 70 } as const;

class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function readScenarioFile(file: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`${file}: cannot read the scenario file (${err.code === "ENOENT" ? "no such file" : err.message})`, EXIT.badInput);
  }
  const text = bytes.toString("utf8");
  const scenarioFile = relative(process.cwd(), file).split("\\").join("/") || file;
  const scenario = parseScenario(text, scenarioFile);
  // Traffic traces named by `rate: { shape: trace, file }`, relative to the scenario file.
  const traces = resolveTraces(scenario, scenarioFile, (path) => readFileSync(path, "utf8"));
  return { scenario, traces, provenance: { scenarioFile, scenarioSha256: createHash("sha256").update(bytes).digest("hex") } };
}

/** Runs a write to the output, turning a file-system failure (not a folder, no permission, ...) into exit 1. */
function writeOutput(target: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`${target}: cannot write the output (${err.code ? `${err.code}: ` : ""}${err.message.replace(/^\w+: /, "")})`, EXIT.badInput);
  }
}

/** The fonts the PNG charts are drawn with (Debian's fonts-dejavu-core). */
const FONT_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];

/**
 * The minified browser builds inlined into report.html. Each package's `exports` map hides build/, but the
 * module it resolves to lives there.
 */
function readLibraries(): HtmlLibraries {
  const read = (pkg: string, file: string) => {
    const path = join(dirname(fileURLToPath(import.meta.resolve(pkg))), file);
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      throw new CliError(`cannot read ${path} for report.html (${(e as Error).message}); is ${pkg} installed? (npm ci)`, EXIT.internal);
    }
  };
  return { vega: read("vega", "vega.min.js"), vegaLite: read("vega-lite", "vega-lite.min.js"), vegaEmbed: read("vega-embed", "vega-embed.min.js") };
}

function intOption(name: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${value}"`);
    const n = Number(value);
    if (n > 2 ** 31 - 1) throw new InvalidArgumentError(`${name} must be at most ${2 ** 31 - 1}`);
    return n;
  };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("shardcast")
    .description("Deterministic simulator of Amazon Kinesis Data Streams throughput: throttling, latency and data loss before you deploy.")
    .version(SHARDCAST_VERSION)
    .showHelpAfterError()
    .exitOverride();

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
    .option("--quiet", "print nothing but errors")
    .action(async (file: string, opts: { seed?: number; out?: string; granularity?: "batch" | "record"; charts: boolean; failOnSlo?: boolean; quiet?: boolean }) => {
      const started = Date.now();
      const { scenario, traces, provenance } = readScenarioFile(file);
      const outputs = runScenario(scenario, provenance, { seed: opts.seed, granularity: opts.granularity, traces });
      const simulated = Date.now();
      const dir = opts.out ?? join("reports", scenario.name);
      writeOutput(dir, () => mkdirSync(dir, { recursive: true }));
      for (const [name, content] of Object.entries(outputs.files)) writeOutput(join(dir, name), () => writeFileSync(join(dir, name), content));
      let charts = 0;
      if (opts.charts) {
        const fontFiles = FONT_FILES.every((f) => existsSync(f)) ? FONT_FILES : [];
        if (fontFiles.length === 0 && !opts.quiet) {
          process.stderr.write(`shardcast: ${FONT_FILES[0]} not found (Debian package fonts-dejavu-core); PNG charts use the system's fonts\n`);
        }
        const onWarning = (message: string) => {
          if (!opts.quiet) process.stderr.write(`shardcast: chart warning: ${message}\n`);
        };
        const extra = await renderReportFiles(outputs.files, { fontFiles, libraries: readLibraries(), onWarning });
        writeOutput(join(dir, "charts"), () => mkdirSync(join(dir, "charts"), { recursive: true }));
        for (const [name, content] of Object.entries(extra)) writeOutput(join(dir, name), () => writeFileSync(join(dir, name), content));
        charts = Object.keys(extra).filter((name) => name.endsWith(".svg")).length;
      }
      const v = outputs.verdict;
      if (!opts.quiet) {
        process.stdout.write(
          runSummary(outputs.result, v) +
            `wrote ${join(dir, "report.json")} and ${join(dir, "report.md")} (${outputs.result.engine.events.toLocaleString("en-US")} events in ${((simulated - started) / 1000).toFixed(2)} s)\n` +
            (opts.charts ? `wrote ${join(dir, "report.html")} and ${charts} charts in ${join(dir, "charts")} (.vl.json, .svg, .png; ${((Date.now() - simulated) / 1000).toFixed(2)} s)\n` : ""),
        );
      }
      if (opts.failOnSlo && v.slosMet === false) throw new CliError("", EXIT.sloMissed);
    });

  program
    .command("validate")
    .description("Check a scenario file without running it")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .action((file: string) => {
      const { scenario } = readScenarioFile(file);
      process.stdout.write(`${file}: valid scenario "${scenario.name}" (${scenario.stream ? `${scenario.stream.shards} shards` : "no stream"}, ${scenario.producers.length} producer(s))\n`);
    });

  program
    .command("schema")
    .description("Print the scenario JSON Schema (for editor completion)")
    .option("--out <file>", "write to a file instead of stdout")
    .action((opts: { out?: string }) => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
      if (opts.out) writeOutput(opts.out, () => writeFileSync(opts.out!, text));
      else process.stdout.write(text);
    });

  addSweepCommands(program);
  addImportCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander already printed its message.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof ScenarioError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof SweepError) {
      process.stderr.write(`shardcast: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof CliFailure) {
      process.stderr.write(`shardcast: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof CliError) {
      if (e.message) process.stderr.write(`shardcast: ${e.message}\n`);
      return e.code;
    }
    const err = e as Error;
    process.stderr.write(`shardcast: internal error: ${err.message}\n(this is a bug; please report it with the scenario file)\n`);
    if (process.env.SHARDCAST_DEBUG) process.stderr.write(`${err.stack}\n`);
    return EXIT.internal;
  }
}

process.exitCode = await main(process.argv.slice(2));
