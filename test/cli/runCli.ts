// Running the real command line from tests, from the repo root as a user (or CI) would:
// - cli(...args): in this process, through main() with the output captured (fast; the CLI keeps no state
//   between calls). Its clock stands still, so no run lasts long enough to show progress;
// - cliWith({ now, errIsTTY }, ...args): the same with a clock the test moves, or stderr as a terminal;
// - cliProcess(...args): `node --import tsx src/cli/bin.ts …` in its own process, for what only a process
//   shows (the executable itself, exit codes set on the process, worker threads under tsx). Its stderr is a
//   pipe, so a slow machine may see progress lines: they are moved from `stderr` to `progress`.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

export const root = join(import.meta.dirname, "..", "..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with these arguments in this process; never rejects on a non-zero exit. */
export function cli(...args: string[]): Promise<CliResult> {
  return cliWith({}, ...args);
}

export interface CliIo {
  /** The wall clock the CLI reads, in milliseconds (default: one that stands still at 0). */
  now?: () => number;
  /** Whether stderr is a terminal (default: no). */
  errIsTTY?: boolean;
}

/** Runs the CLI in this process with this clock and kind of stderr; never rejects on a non-zero exit. */
export async function cliWith(io: CliIo, ...args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const debug = process.env.SHARDCAST_DEBUG;
  delete process.env.SHARDCAST_DEBUG; // it adds stack traces to internal errors, which the tests must not see
  try {
    const code = await main(args, { out: (s) => (stdout += s), err: (s) => (stderr += s), errIsTTY: io.errIsTTY ?? false, now: io.now ?? (() => 0) });
    return { code, stdout, stderr };
  } finally {
    if (debug !== undefined) process.env.SHARDCAST_DEBUG = debug;
  }
}

/** A progress line as the CLI writes it when stderr is not a terminal (src/cli/progress.ts). */
export const PROGRESS_LINE = /^shardcast: (?:run|sweep) \d+%: .*\n/gm;

/** Runs the CLI with these arguments in its own process; never rejects on a non-zero exit. */
export function cliProcess(...args: string[]): Promise<CliResult & { progress: string[] }> {
  const env = { ...process.env };
  delete env.SHARDCAST_DEBUG;
  // tsx caches what it compiles in the system's temporary folder (tsx-<uid>/); a test leaves nothing there.
  env.TSX_DISABLE_CACHE = "1";
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`could not run the CLI (${String(error.code ?? error.signal ?? error.message)})\n${stderr}`));
        return;
      }
      const progress = stderr.match(PROGRESS_LINE) ?? [];
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr: stderr.replace(PROGRESS_LINE, ""), progress });
    });
  });
}
