// The test suite leaves nothing in the system's temporary folder. Vitest runs this before any test file and its
// teardown after the last: every test process (worker threads, the CLI processes and browsers they start) gets a
// temporary folder of its own for the run, through TMPDIR (TEMP and TMP on Windows), which os.tmpdir() reads; at
// the end that folder must be empty (a test that writes temporary files removes them in afterAll), else the run
// fails with the names of what was left. The folder is removed either way, so even a failing run leaves nothing.
// test/tmpdir.test.ts checks that the tests do see it.

import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The prefix of the run's temporary folder, in the system's temporary folder. */
export const RUN_TMP_PREFIX = "shardcast-test-run-";

const VARIABLES = ["TMPDIR", "TEMP", "TMP"] as const;

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), RUN_TMP_PREFIX));
  const saved = VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of VARIABLES) process.env[name] = dir;
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // A throw here is only logged; the exit code is how the run fails.
      console.error(`\nThe tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temporary folder (${left.sort().join(", ")}): a test that writes temporary files must remove them.\n`);
      process.exitCode = 1;
    }
  };
}
