// Every CLI command on every sample scenario in scenarios/, through main() from the repo root as a user would:
// validate, run --no-charts, estimate, and a two-point sweep (1 replication). `estimate` and `sweep` used to
// exit 70 (internal error) on trace replays because nothing read the trace file. The sweep varies the run's
// length, 30 s and 40 s after a 10 s warmup, to stay quick (a scenario with faults or scheduled reshards runs until 30 s
// and 40 s after the last of them: either at or after the end of the run is an error); `run` has no such override and
// simulates the scenario as written (under 2 s each).

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";
import { cli, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-samples-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SAMPLES = readdirSync(join(root, "scenarios"))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

/** The sweep's two run lengths, in seconds: 30 s and 40 s, or that long after the last fault or scheduled reshard. */
function sweepDurations(file: string): [number, number] {
  const s = parseScenario(readFileSync(join(root, file), "utf8"), file);
  const last = Math.max(0, ...[...s.faults, ...s.reshards].map((f) => Math.ceil(f.at / 1_000_000)));
  return [last + 30, last + 40];
}

describe("every command on every sample scenario", () => {
  it("finds the samples, the trace replay among them", () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(10);
    expect(SAMPLES).toContain("replay-cloudwatch.yaml");
  });

  describe.each(SAMPLES)("scenarios/%s", (name) => {
    const file = `scenarios/${name}`;

    it("validate exits 0 and says the scenario is valid", async () => {
      const r = await cli("validate", file);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/: valid scenario "/);
    });

    it("run --no-charts exits 0 and writes report.json and report.md", async () => {
      const out = join(tmp, "run", name);
      const r = await cli("run", file, "--no-charts", "--quiet", "--out", out);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(join(out, "report.json"))).toBe(true);
      expect(existsSync(join(out, "report.md"))).toBe(true);
    });

    it("estimate exits 0 and prints the AWS formula", async () => {
      const r = await cli("estimate", file);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/the AWS sizing formula|no Kinesis stream to size/);
    });

    it("a two-point sweep (1 replication) exits 0 and writes sweep.json with both configurations", async () => {
      const out = join(tmp, "sweep", name);
      const [a, b] = sweepDurations(file);
      const r = await cli("sweep", file, "--vary", "warmup=10s", "--vary", `duration=${a}s,${b}s`, "--replications", "1", "--jobs", "1", "--no-charts", "--out", out);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as { configs: { label: string }[] };
      expect(json.configs.map((c) => c.label)).toEqual([`warmup=10s, duration=${a}s`, `warmup=10s, duration=${b}s`]);
    });
  });
});

describe("the trace replay's estimate, by hand from its trace", () => {
  it("replay-cloudwatch: 1.5 × the trace's records over its 60 minutes on average; its bytes ÷ records (→ 1 KiB) a record", async () => {
    // traces/clickstream.csv: 60 one-minute rows of records and bytes; the scenario replays them at scale 1.5.
    const rows = readFileSync(join(root, "scenarios/traces/clickstream.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength(60);
    const records = rows.reduce((a, r) => a + Number(r[1]), 0);
    const bytes = rows.reduce((a, r) => a + Number(r[2]), 0);
    const mean = (1.5 * records) / 3_600;
    expect(bytes / records).toBeGreaterThan(600);
    expect(bytes / records).toBeLessThan(1_024);
    const r = await cli("estimate", "scenarios/replay-cloudwatch.yaml");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[1]).toMatch(new RegExp(`^  records/s over the 1 h run: ${mean.toLocaleString("en-US", { maximumFractionDigits: 1 }).replace(/[.]/g, "\\.")} on average, `));
    expect(lines[2]).toBe("  average record size: 1 KiB (rounded up to a whole KiB)");
  });
});
