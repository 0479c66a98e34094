// Progress on stderr for `run` and `sweep` (src/cli/progress.ts), through the command line's main() with a clock
// the test moves: each reading of the wall clock is `step` ms later than the one before, so a run "lasts" as long
// as the test wants, deterministically and in a fraction of a real second.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { compactCount, LINE_EVERY_MS, wallTime } from "../../src/cli/progress.js";
import { cli, cliWith } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-progress-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let count = 0;
const outPath = (label: string) => join(tmp, `${label}-${++count}`);

/** A wall clock that moves `step` ms each time it is read. */
function steppingClock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

const QUICKSTART = "scenarios/quickstart.yaml";
const SWEEP_FIXTURE = "test/fixtures/sweep/small-step.yaml";
const SWEEP = ["--vary", "stream.shards=2,3", "--replications", "2", "--jobs", "1", "--no-charts"];

/** "1 min 35 s" → 95; "< 1 s" → 0. */
function seconds(text: string): number {
  if (text === "< 1 s") return 0;
  let s = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?) (h|min|s)\b/g)) s += Number(n) * { h: 3600, min: 60, s: 1 }[unit as "h" | "min" | "s"];
  return s;
}

const ERASE_RIGHT = "\x1b[K";
const RUN_LINE = /^shardcast: run (\d+)%: (.+) of (.+) simulated, ([\d.]+k?M?) events\/s, (.+) elapsed(?:, (?:about )?(.+) left)?$/;

describe.concurrent("run progress", () => {
  it("writes a line every 5 s of wall time to a non-terminal stderr: simulated time, events/s, elapsed and an ETA of virtual time left × wall time per virtual time", async ({ expect }) => {
    const out = outPath("run-lines");
    // 100 ms per reading: the simulation reports 1,000 times, so the run "takes" about 100 s.
    const r = await cliWith({ now: steppingClock(100) }, "run", QUICKSTART, "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(15);
    expect(lines.length).toBeLessThanOrEqual(21);
    let lastPercent = -1;
    let lastElapsed = 0;
    for (const line of lines) {
      const m = RUN_LINE.exec(line);
      expect(m, line).not.toBeNull();
      const [, percent, at, of, , elapsed, left] = m!;
      expect(of).toBe("10 min");
      expect(Number(percent)).toBeGreaterThan(lastPercent);
      expect(seconds(elapsed!) - lastElapsed, `at most one line per ${LINE_EVERY_MS} ms: ${line}`).toBeGreaterThanOrEqual(5);
      lastPercent = Number(percent);
      lastElapsed = seconds(elapsed!);
      if (left !== undefined) {
        // ETA = virtual time left × elapsed / virtual time done, to the second shown.
        const done = seconds(at!);
        expect(Math.abs(seconds(left) - ((600 - done) * lastElapsed) / done), line).toBeLessThanOrEqual(2);
      }
    }
    expect(lines.at(-1)).toMatch(/^shardcast: run 100%: 10 min of 10 min simulated, .* elapsed$/);
    // stdout is what it always was.
    expect(r.stdout).toMatch(/^quickstart: all SLOs met/);
  });

  it("on a terminal redraws one line in place (\\r, no newline) with a bar, and clears it before the summary", async ({ expect }) => {
    const r = await cliWith({ now: steppingClock(100), errIsTTY: true }, "run", QUICKSTART, "--out", outPath("run-tty"), "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("\n");
    const draws = r.stderr.split("\r").filter((d) => d !== "");
    expect(draws.length).toBeGreaterThan(100);
    for (const d of draws.slice(0, -1)) {
      // Each draw ends erasing what a longer one before it left on the line.
      expect(d.endsWith(ERASE_RIGHT), JSON.stringify(d)).toBe(true);
      expect(d.slice(0, -ERASE_RIGHT.length)).toMatch(/^run \[[█░]{20}\] +\d+% · .+ of 10 min simulated · [\d.]+k?M? events\/s( · (about .+|< 1 s) left)?$/);
    }
    expect(draws.at(-2)).toMatch(/^run \[█{20}\] 100% · 10 min of 10 min simulated · /);
    // The last write erases the line.
    expect(r.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect(r.stdout).toMatch(/^quickstart: all SLOs met/);
  });

  it("says nothing with --quiet, on a terminal or not, however long the run", async ({ expect }) => {
    const [plain, tty] = await Promise.all([
      cliWith({ now: steppingClock(1_000) }, "run", QUICKSTART, "--out", outPath("run-quiet"), "--no-charts", "--quiet"),
      cliWith({ now: steppingClock(1_000), errIsTTY: true }, "run", QUICKSTART, "--out", outPath("run-quiet-tty"), "--no-charts", "--quiet"),
    ]);
    expect([plain.code, plain.stdout, plain.stderr]).toEqual([0, "", ""]);
    expect([tty.code, tty.stdout, tty.stderr]).toEqual([0, "", ""]);
  });

  it("says nothing for a run shorter than the threshold (5 s off a terminal, 1 s on one)", async ({ expect }) => {
    // A frozen clock: the run takes no time at all.
    const [plain, tty] = await Promise.all([
      cli("run", QUICKSTART, "--out", outPath("run-short"), "--no-charts"),
      cliWith({ now: () => 0, errIsTTY: true }, "run", QUICKSTART, "--out", outPath("run-short-tty"), "--no-charts"),
    ]);
    expect([plain.code, plain.stderr]).toEqual([0, ""]);
    expect([tty.code, tty.stderr]).toEqual([0, ""]);
  });

  it("leaves report.json and report.md byte-identical to a run without progress", async ({ expect }) => {
    const withLines = outPath("ident-lines");
    const withBar = outPath("ident-bar");
    const quiet = outPath("ident-quiet");
    const runs = await Promise.all([
      cliWith({ now: steppingClock(100) }, "run", QUICKSTART, "--out", withLines, "--no-charts"),
      cliWith({ now: steppingClock(100), errIsTTY: true }, "run", QUICKSTART, "--out", withBar, "--no-charts"),
      cli("run", QUICKSTART, "--out", quiet, "--no-charts", "--quiet"),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs[0]!.stderr).not.toBe("");
    expect(runs[1]!.stderr).not.toBe("");
    for (const file of ["report.json", "report.md"]) {
      const reference = readFileSync(join(quiet, file));
      expect(readFileSync(join(withLines, file)).equals(reference), file).toBe(true);
      expect(readFileSync(join(withBar, file)).equals(reference), file).toBe(true);
    }
  });
});

describe.concurrent("sweep progress", () => {
  /** Each run's events in task order (--jobs 1 finishes them in that order), from the partial result a --partition 1/1 sweep writes. */
  const eventsPerRun = (async () => {
    const dir = outPath("sweep-part");
    const r = await cli("sweep", SWEEP_FIXTURE, ...SWEEP, "--partition", "1/1", "--out", dir, "--quiet");
    if (r.code !== 0) throw new Error(r.stderr);
    const part = JSON.parse(readFileSync(join(dir, "sweep-part-1-of-1.json"), "utf8")) as { summaries: { events: number }[] };
    return part.summaries.map((s) => s.events);
  })();
  /** Events per second after the first `runs` runs, `seconds` of wall time in. */
  const rate = async (runs: number, seconds: number) => {
    const events = (await eventsPerRun).slice(0, runs).reduce((a, b) => a + b, 0);
    return `${compactCount(events / seconds)} events/s`;
  };

  it("counts runs finished of runs planned, with events/s and an ETA, a line at most every 5 s off a terminal", async ({ expect }) => {
    // 3 s per reading, one reading per finished run: lines after runs 2 (6 s) and 4 (12 s).
    const r = await cliWith({ now: steppingClock(3_000) }, "sweep", SWEEP_FIXTURE, ...SWEEP, "--out", outPath("sweep-lines"));
    expect(r.code).toBe(0);
    expect(await eventsPerRun).toHaveLength(4);
    expect(r.stderr).toBe(
      `shardcast: sweep 50%: 2 of 4 runs, ${await rate(2, 6)}, 6 s elapsed, about 6 s left\n` + `shardcast: sweep 100%: 4 of 4 runs, ${await rate(4, 12)}, 12 s elapsed\n`,
    );
    expect(r.stdout).toContain("sweep-small-step: ");
  });

  it("on a terminal draws a bar redrawn in place, cleared at the end", async ({ expect }) => {
    const r = await cliWith({ now: steppingClock(3_000), errIsTTY: true }, "sweep", SWEEP_FIXTURE, ...SWEEP, "--out", outPath("sweep-tty"));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        `\rsweep [█████░░░░░░░░░░░░░░░]  25% · 1 of 4 runs · ${await rate(1, 3)} · about 9 s left\x1b[K`,
        `\rsweep [██████████░░░░░░░░░░]  50% · 2 of 4 runs · ${await rate(2, 6)} · about 6 s left\x1b[K`,
        `\rsweep [███████████████░░░░░]  75% · 3 of 4 runs · ${await rate(3, 9)} · about 3 s left\x1b[K`,
        `\rsweep [████████████████████] 100% · 4 of 4 runs · ${await rate(4, 12)}\x1b[K`,
        "\r\x1b[K",
      ].join(""),
    );
  });

  it("--quiet prints nothing (no progress, no summary) and writes the same sweep.json as a sweep with progress", async ({ expect }) => {
    const loud = outPath("sweep-loud");
    const quiet = outPath("sweep-quiet");
    const [a, b] = await Promise.all([
      cliWith({ now: steppingClock(3_000) }, "sweep", SWEEP_FIXTURE, ...SWEEP, "--out", loud),
      cliWith({ now: steppingClock(3_000) }, "sweep", SWEEP_FIXTURE, ...SWEEP, "--out", quiet, "--quiet"),
    ]);
    expect(a.code).toBe(0);
    expect(a.stderr).not.toBe("");
    expect([b.code, b.stdout, b.stderr]).toEqual([0, "", ""]);
    expect(readFileSync(join(quiet, "sweep.json"), "utf8")).toBe(readFileSync(join(loud, "sweep.json"), "utf8"));
    expect(readFileSync(join(quiet, "sweep.md"), "utf8")).toBe(readFileSync(join(loud, "sweep.md"), "utf8"));
  });
});

describe("progress formatting", () => {
  it("wall times read like the reports' durations, rounded to the second", ({ expect }) => {
    expect([wallTime(0), wallTime(999), wallTime(1_000), wallTime(18_400), wallTime(95_000), wallTime(3_725_000)]).toEqual(["< 1 s", "< 1 s", "1 s", "18 s", "1 min 35 s", "1 h 2 min"]);
  });

  it("rates are compact", ({ expect }) => {
    expect([compactCount(950), compactCount(12_345), compactCount(1_234_567)]).toEqual(["950", "12.3k", "1.23M"]);
  });
});
