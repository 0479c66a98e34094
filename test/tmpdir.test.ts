// The suite's temporary folder (test/globalSetup.ts): what the tests and the processes they start see as the
// system's temporary folder is the run's own, which must be empty at the end of the run.

import { execFileSync } from "node:child_process";
import { basename } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { RUN_TMP_PREFIX } from "./globalSetup.js";

describe("the test run's temporary folder", () => {
  it("os.tmpdir() in a test is a folder of the run's own", () => {
    expect(basename(tmpdir()).startsWith(RUN_TMP_PREFIX)).toBe(true);
  });

  it("a process a test starts inherits it", () => {
    const child = execFileSync(process.execPath, ["-e", "process.stdout.write(require('node:os').tmpdir())"], { encoding: "utf8" });
    expect(child).toBe(tmpdir());
  });
});
