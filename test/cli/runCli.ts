// Running the real command line from tests, from the repo root as a user (or CI) would:
// - cli(...args): in this process, through main() with the output captured (fast; the CLI keeps no state
//   between calls);
// - cliProcess(...args): `node --import tsx src/cli/bin.ts …` in its own process, for what only a process
//   shows (the executable itself, exit codes set on the process, worker threads under tsx).

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
export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const debug = process.env.SHARDCAST_DEBUG;
  delete process.env.SHARDCAST_DEBUG; // it adds stack traces to internal errors, which the tests must not see
  try {
    const code = await main(args, { out: (s) => (stdout += s), err: (s) => (stderr += s), errIsTTY: false });
    return { code, stdout, stderr };
  } finally {
    if (debug !== undefined) process.env.SHARDCAST_DEBUG = debug;
  }
}

/** Runs the CLI with these arguments in its own process; never rejects on a non-zero exit. */
export function cliProcess(...args: string[]): Promise<CliResult> {
  const env = { ...process.env };
  delete env.SHARDCAST_DEBUG;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`could not run the CLI (${String(error.code ?? error.signal ?? error.message)})\n${stderr}`));
        return;
      }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
