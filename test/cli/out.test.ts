// `--out` is checked before anything is simulated: a file in the way, or a folder that cannot be made or written,
// fails at once with exit 1 and leaves nothing behind. The scenario here would take hours to simulate, and the
// clock moves 1 s at each reading: a check that came after the simulation would time the test out, and any
// progress line on stderr would show that a simulation had started.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { cliWith } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-out-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let count = 0;
const outPath = (label: string) => join(tmp, `${label}-${++count}`);

/** The quickstart traffic for 30 days: hours of simulation. */
const LONG = "test/fixtures/cli/thirty-days.yaml";
const QUICK = { timeout: 30_000 };

function steppingClock(): () => number {
  let t = 0;
  return () => (t += 1_000);
}

const run = (...args: string[]) => cliWith({ now: steppingClock() }, "run", LONG, "--no-charts", ...args);
const sweep = (...args: string[]) => cliWith({ now: steppingClock() }, "sweep", LONG, "--vary", "stream.shards=1..50", "--jobs", "1", "--no-charts", ...args);

describe.concurrent("--out checked before simulating", () => {
  for (const [command, start] of [
    ["run", run],
    ["sweep", sweep],
  ] as const) {
    it(`${command}: --out names an existing file → exit 1 at once, the file untouched`, QUICK, async ({ expect }) => {
      const file = outPath(`${command}-file`);
      writeFileSync(file, "in the way\n");
      const r = await start("--out", file);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`shardcast: ${file}: cannot write the output (EEXIST: it is a file, not a folder); nothing was simulated\n`);
      expect(readFileSync(file, "utf8")).toBe("in the way\n");
    });

    it(`${command}: --out under a regular file (a folder that cannot be made, even by root) → exit 1 at once, nothing made`, QUICK, async ({ expect }) => {
      const file = outPath(`${command}-parent-file`);
      writeFileSync(file, "");
      const target = join(file, "reports", "out");
      const r = await start("--out", target);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`shardcast: ${target}: cannot write the output (ENOTDIR: ${file} is a file, not a folder); nothing was simulated\n`);
    });
  }

  it("run: a folder that exists, or one that can be made, passes the check (and only then does the simulation start)", QUICK, async ({ expect }) => {
    // A short variant of the long scenario, so that this run finishes: --set duration (and the warmup below it).
    const made = join(outPath("fresh"), "a", "b");
    const existing = outPath("existing");
    mkdirSync(existing);
    const [a, b] = await Promise.all(
      [made, existing].map((dir) => cliWith({ now: () => 0 }, "run", LONG, "--set", "duration=2m", "--set", "warmup=10s", "--no-charts", "--quiet", "--out", dir)),
    );
    expect([a!.code, a!.stderr, b!.code, b!.stderr]).toEqual([0, "", 0, ""]);
    expect(readdirSync(made).sort()).toEqual(["report.json", "report.md"]);
    expect(readdirSync(existing).sort()).toEqual(["report.json", "report.md"]);
  });

  // Permissions do not stop root, which may write anywhere (the tests above use a file in the way instead); as
  // any other user, a read-only folder must fail the check too.
  const root = process.getuid?.() === 0;
  it.skipIf(root)("run: --out inside a folder this user cannot write → exit 1 at once (not run as root: root writes anywhere)", QUICK, async ({ expect }) => {
    const locked = outPath("locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      const target = join(locked, "out");
      const r = await run("--out", target);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`shardcast: ${target}: cannot write the output (EACCES: ${locked} is not writable by this user); nothing was simulated\n`);
      expect(existsSync(target)).toBe(false);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
