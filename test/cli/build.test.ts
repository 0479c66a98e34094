// `npm run build` as a user runs it, then the built command line started as a program: dist/cli/bin.js (the
// package's `bin`) and dist/cli/main.js are executable files that run shardcast, and importing main.js runs
// nothing. (The build writes dist/, which git ignores; nothing goes to the system's temporary folder.)

import { execFile } from "node:child_process";
import { chmodSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { SHARDCAST_VERSION } from "../../src/report/version.js";
import { root } from "./runCli.js";

interface Ran {
  code: number | string;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, encoding: "utf8", timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal ?? "failed") : 0, stdout, stderr });
    });
  });
}

/** `npm run build`, through the npm that runs the tests when there is one (npm_execpath), else the npm on PATH. */
function build(): Promise<Ran> {
  const npm = process.env.npm_execpath;
  return npm?.endsWith(".js") ? run(process.execPath, [npm, "run", "build"]) : run("npm", ["run", "build"]);
}

const windows = process.platform === "win32";

describe.skipIf(windows)("the built command line", () => {
  let built: Ran;
  beforeAll(async () => {
    // tsc keeps the mode of a file it overwrites: a build before this one must not make the check pass.
    for (const file of ["bin.js", "main.js"]) {
      const path = join(root, "dist", "cli", file);
      if (existsSync(path)) chmodSync(path, 0o644);
    }
    built = await build();
  }, 300_000);

  it("npm run build succeeds", ({ expect }) => {
    expect(built.code, built.stderr).toBe(0);
  });

  for (const file of ["bin.js", "main.js"]) {
    const path = join(root, "dist", "cli", file);

    it(`dist/cli/${file} is executable by its owner, group and others (mode 755)`, ({ expect }) => {
      expect(built.code).toBe(0);
      expect((statSync(path).mode & 0o777).toString(8)).toBe("755");
    });

    it(`dist/cli/${file} runs as a program of its own (its #! line): --version, and validate a sample`, async ({ expect }) => {
      expect(built.code).toBe(0);
      const version = await run(path, ["--version"]);
      expect(version).toEqual({ code: 0, stdout: `${SHARDCAST_VERSION}\n`, stderr: "" });
      const validate = await run(path, ["validate", "scenarios/quickstart.yaml"]);
      expect(validate).toEqual({ code: 0, stdout: 'scenarios/quickstart.yaml: valid scenario "quickstart" (4 shards, 1 producer(s))\n', stderr: "" });
      // Exit codes come through the process too.
      const bad = await run(path, ["validate", "test/fixtures/cli/too-many-shards.yaml"]);
      expect(bad.code).toBe(1);
    });
  }

  it("importing dist/cli/main.js runs nothing (it runs only when started itself)", async ({ expect }) => {
    expect(built.code).toBe(0);
    const imported = await run(process.execPath, ["--input-type=module", "-e", "const m = await import('./dist/cli/main.js'); console.log(typeof m.main);", "--", "--version"]);
    expect(imported).toEqual({ code: 0, stdout: "function\n", stderr: "" });
  });
});
