#!/usr/bin/env node
// The shardcast command line: the only code that touches argv, files, stdout/stderr, exit codes and the
// wall clock. It reads, calls the core and writes. Importing it runs nothing: bin.ts is the executable (the
// package's `bin`), and tests call main() in process with their own Io. Started directly
// (`./dist/cli/main.js`, `node dist/cli/main.js`) it runs the command line as bin.js does.

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { ScenarioError } from "../scenario/index.js";
import { SweepError } from "../sweep/vary.js";
import { CountOverflowError, ShardBoundError } from "../run.js";
import { SHARDCAST_VERSION } from "../report/version.js";
import { CliError, EXIT } from "./errors.js";
import { addImportCommand } from "./importCommand.js";
import { processIo, type Io } from "./io.js";
import { addRunCommands } from "./runCommands.js";
import { addSweepCommands } from "./sweepCommands.js";
import { tuneV8 } from "./v8Tuning.js";

export function buildProgram(io: Io = processIo): Command {
  const program = new Command();
  program
    .name("shardcast")
    .description("Deterministic simulator of Amazon Kinesis Data Streams throughput: throttling, latency and data loss before you deploy.")
    .version(SHARDCAST_VERSION)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError()
    .exitOverride();
  addRunCommands(program, io);
  addSweepCommands(program, io);
  addImportCommand(program, io);
  return program;
}

/** Runs the command line with these arguments; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander already printed its message.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof ScenarioError) {
      io.err(`${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof CountOverflowError || e instanceof ShardBoundError) {
      io.err(`shardcast: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof SweepError) {
      // A --vary (or another sweep option) that cannot be read or does not fit the scenario: a usage mistake.
      io.err(`shardcast: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      if (e.message) io.err(`shardcast: ${e.message}\n`);
      return e.code;
    }
    const err = e as Error;
    io.err(`shardcast: internal error: ${err.message}\n(this is a bug; please report it with the scenario file)\n`);
    if (process.env.SHARDCAST_DEBUG) io.err(`${err.stack}\n`);
    return EXIT.internal;
  }
}

/** Runs the command line on this process's arguments and sets its exit code (what the executable does). */
export async function runProcess(): Promise<void> {
  tuneV8();
  // A reader that stops early (`shardcast schema | head`) closes the pipe: that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = await main(process.argv.slice(2));
}

/** Whether node was started with this file (through any symlink), rather than importing it. */
function startedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (startedDirectly()) await runProcess();
