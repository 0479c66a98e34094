// Reports are written as a set or not at all (issue 14): staged in a temporary folder inside --out and renamed
// into place; a lock refuses a second run into the same folder; a run that fails or is stopped by SIGTERM leaves
// the previous set as it was, no temporary folder and no lock. Trace files are read only inside the scenario's
// folder unless --allow-path allows another.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { LOCK_FILE, OutputFolder } from "../../src/cli/files.js";
import { cli, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-atomic-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (label: string) => join(tmp, `${label}-${++n}`);

const TINY = "test/fixtures/hostile/scenarios/tiny.yaml";

function previousSet(dir: string): Record<string, string> {
  const files = { "report.json": "previous json\n", "report.md": "previous md\n", "report.html": "previous html\n", "charts/old.svg": "<svg/>\n", "notes.txt": "mine\n", "sweep/sweep.json": "{}\n" };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return files;
}

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe.concurrent("report sets", () => {
  it("a new run replaces the previous set whole (no report.html or chart of the old run beside the new report.json) and leaves other files alone", async ({ expect }) => {
    const out = fresh("replace");
    previousSet(out);
    const r = await cli("run", TINY, "--no-charts", "--quiet", "--out", out);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    // --no-charts: the set is report.json and report.md; the old report.html and charts/ belonged to the old set.
    expect(listing(out)).toEqual(["notes.txt", "report.json", "report.md", "sweep", "sweep/sweep.json"]);
    expect(readFileSync(join(out, "report.json"), "utf8")).toMatch(/^\{/);
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("mine\n");
  });

  it("two runs into the same --out at once: one writes its set, the other is refused (exit 1) before simulating", async ({ expect }) => {
    const out = fresh("two");
    // The first holds the folder while its charts render (asynchronously); the second starts meanwhile.
    const first = cli("run", TINY, "--quiet", "--out", out);
    const second = cli("run", TINY, "--no-charts", "--quiet", "--out", out);
    const [a, b] = await Promise.all([first, second]);
    expect([a.code, a.stderr]).toEqual([0, ""]);
    expect(b.code).toBe(1);
    expect(b.stderr).toBe(`shardcast: ${out}: another shardcast run (process ${process.pid}) is writing its reports in this folder (lock file ${join(out, LOCK_FILE)}); wait for it to finish or give another --out; nothing was simulated\n`);
    expect(listing(out).filter((f) => !f.startsWith("charts/"))).toEqual(["charts", "report.html", "report.json", "report.md"]);
  });

  it("a lock left by a run that was killed (its process is gone) does not stop the next run", async ({ expect }) => {
    const out = fresh("stale");
    mkdirSync(out);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(out, LOCK_FILE), `${gone}\n`);
    mkdirSync(join(out, ".shardcast-tmp-1-0")); // and its half-written temporary folder
    const r = await cli("run", TINY, "--no-charts", "--quiet", "--out", out);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(listing(out)).toEqual(["report.json", "report.md"]);
  });

  it("a write that fails midway (as a full disk does) leaves the previous set as it was, and no temporary folder or lock", ({ expect }) => {
    const out = fresh("fails");
    const before = previousSet(out);
    const folder = OutputFolder.open(out, ["report.json", "report.md", "report.html", "charts"]);
    try {
      // The second file cannot be written (a name the file system refuses): the first is already staged.
      expect(() => folder.write({ "report.json": "new\n", "report\u0000.md": "new\n" })).toThrow(/cannot write the output/);
    } finally {
      folder.close();
    }
    expect(listing(out)).toEqual(["charts", "charts/old.svg", "notes.txt", "report.html", "report.json", "report.md", "sweep", "sweep/sweep.json"]);
    for (const [name, text] of Object.entries(before)) expect(readFileSync(join(out, name), "utf8")).toBe(text);
  });

  it("an output folder made for a run that then fails is removed again (with the parents it made)", ({ expect }) => {
    const top = fresh("new");
    const folder = OutputFolder.open(join(top, "a", "b"), ["report.json"]);
    expect(readdirSync(join(top, "a", "b"))).toEqual([LOCK_FILE]);
    folder.close();
    expect(existsSync(top)).toBe(false);
  });

  it("SIGTERM once the charts are rendered, just before the set is written: exit 143, the previous set as it was, no temporary folder, no lock", async ({ expect }) => {
    const out = fresh("sigterm");
    const before = previousSet(out);
    // SHARDCAST_HOLD_BEFORE_WRITE makes the run say "holding" and wait with its reports (charts included) ready: the
    // signal then comes at that point on any machine, however fast.
    const env = { ...process.env, TSX_DISABLE_CACHE: "1", SHARDCAST_HOLD_BEFORE_WRITE: "1" };
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "run", TINY, "--quiet", "--out", out], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let holding: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (holding = resolve));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("holding before writing")) holding();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await Promise.race([held, exited]);
    child.kill("SIGTERM");
    const code = await exited;
    expect(code, stderr).toBe(143);
    expect(stderr).toBe(`shardcast: holding before writing the reports\nshardcast: SIGTERM: stopped; ${out} holds the previous reports as they were\n`);
    expect(listing(out)).toEqual(["charts", "charts/old.svg", "notes.txt", "report.html", "report.json", "report.md", "sweep", "sweep/sweep.json"]);
    for (const [name, text] of Object.entries(before)) expect(readFileSync(join(out, name), "utf8")).toBe(text);
  }, 120_000);
});

describe.concurrent("--allow-path", () => {
  it("a trace outside the scenario's folder is read when --allow-path names its folder", async ({ expect }) => {
    const refused = await cli("validate", "test/fixtures/hostile/scenarios/trace-dotdot-escape.yaml");
    const allowed = await cli("validate", "test/fixtures/hostile/scenarios/trace-dotdot-escape.yaml", "--allow-path", "test/fixtures/hostile");
    expect(refused.code).toBe(1);
    expect([allowed.code, allowed.stderr]).toEqual([0, ""]);
    expect(allowed.stdout).toBe('test/fixtures/hostile/scenarios/trace-dotdot-escape.yaml: valid scenario "hostile" (1 shard, 1 producer(s))\n');
  });

  it("a symlink or ../ that stays inside the scenario's folder is read", async ({ expect }) => {
    const dir = fresh("inside");
    mkdirSync(join(dir, "traces"), { recursive: true });
    writeFileSync(join(dir, "traces", "t.csv"), "time,records,bytes\n0,60,61440\n60,120,122880\n");
    symlinkSync(join(dir, "traces", "t.csv"), join(dir, "link.csv"));
    const scenario = (file: string) => `name: inside\nduration: 1m\nstream: { shards: 1 }\nproducers:\n  - name: web\n    client: sdk\n    instances: 1\n    rate: { shape: trace, file: ${file} }\n`;
    writeFileSync(join(dir, "link.yaml"), scenario("link.csv"));
    writeFileSync(join(dir, "dots.yaml"), scenario("traces/../traces/t.csv"));
    writeFileSync(join(dir, "absolute.yaml"), scenario(join(dir, "traces", "t.csv")));
    for (const f of ["link.yaml", "dots.yaml", "absolute.yaml"]) {
      const r = await cli("validate", join(dir, f));
      expect([r.code, r.stderr], f).toEqual([0, ""]);
    }
  });
});
