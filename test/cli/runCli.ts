// Running the real command line from tests: `node --import tsx src/cli/main.ts …` from the repo root, as a user
// (or CI) would, in its own process so nothing leaks between runs through module state.

import { execFile } from "node:child_process";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with these arguments from the repo root; never rejects on a non-zero exit. */
export function cli(...args: string[]): Promise<CliResult> {
  const env = { ...process.env };
  delete env.SHARDCAST_DEBUG; // it adds stack traces to internal errors, which the tests must not see
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, env, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`could not run the CLI (${String(error.code ?? error.signal ?? error.message)})\n${stderr}`));
        return;
      }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
