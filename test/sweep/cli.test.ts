// `shardcast sweep`, `merge` and `estimate` end to end, through the command line's main() from the repo root, on
// the small fixture test/fixtures/sweep/small-step.yaml (2 simulated minutes; each run takes a fraction of a
// second). The --jobs 2 sweep runs in its own process (its worker threads load the TypeScript through tsx);
// comparing it with the in-process --jobs 1 sweep also shows that nothing leaks between sweeps through module
// state. Runs that several tests look at are started once and shared.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { cli, cliProcess } from "../cli/runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-sweep-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURE = "test/fixtures/sweep/small-step.yaml";
const VARY = ["--vary", "stream.shards=2,3,4", "--replications", "3"];

function shared<T>(start: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= start());
}

const dir = (name: string) => join(tmp, name);
const read = (d: string, file: string) => readFileSync(join(d, file), "utf8");

const STACK_LINE = /^ {4}at /m;

const jobs1 = shared(() => cli("sweep", FIXTURE, ...VARY, "--jobs", "1", "--out", dir("jobs1")));
const jobs2 = shared(() => cliProcess("sweep", FIXTURE, ...VARY, "--jobs", "2", "--out", dir("jobs2")));
const PRECISION = ["--vary", "stream.shards=2,3", "--precision", "0.2%", "--max-replications", "5", "--no-charts"];
const precise1 = shared(() => cli("sweep", FIXTURE, ...PRECISION, "--jobs", "1", "--out", dir("precise1")));
const precise2 = shared(() => cliProcess("sweep", FIXTURE, ...PRECISION, "--jobs", "2", "--out", dir("precise2")));
const parts = shared(() => Promise.all([1, 2, 3].map((i) => cli("sweep", FIXTURE, ...VARY, "--jobs", "1", "--partition", `${i}/3`, "--out", dir(`part${i}`)))));

interface SweepJson {
  schema: string;
  provenance: { scenarioFile: string; seed: number };
  replications: number;
  replicationSeeds: number[];
  recommendation: { config: number | null; label: string | null; text: string };
  precision: { halfWidth: number; maxReplications: number; startReplications: number } | null;
  configs: { label: string; values: number[]; replications: number; precisionMet?: boolean; metrics: Record<string, { n: number }>; awsFormula: { shards: number; shardsAtPeak: number } }[];
}

describe.concurrent("shardcast sweep", () => {
  it("writes sweep.json and sweep.md for 3 shard counts × 3 replications", async ({ expect }) => {
    const r = await jobs1();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(dir("jobs1"), "sweep.json")}, ${join(dir("jobs1"), "sweep.md")}, ${join(dir("jobs1"), "sweep.html")} and the charts`);
    // The charts: each SLO metric and the cost against stream.shards, as .vl.json, .svg and .png.
    for (const ext of [".vl.json", ".svg", ".png"]) expect(existsSync(join(dir("jobs1"), "charts", `sweep-monthly-cost-usd${ext}`)), ext).toBe(true);
    // sweep.html: the page of its own, with the recommendation (test/sweep/html.test.ts looks inside).
    const html = read(dir("jobs1"), "sweep.html");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.includes("<title>shardcast sweep: sweep-small-step</title>")).toBe(true);
    const json = JSON.parse(read(dir("jobs1"), "sweep.json")) as SweepJson;
    expect(json.schema).toBe("shardcast.sweep/4");
    expect(json.provenance).toMatchObject({ scenarioFile: FIXTURE, seed: 11 });
    expect(json.replications).toBe(3);
    // Replication 0 runs with the scenario's own seed.
    expect(json.replicationSeeds).toHaveLength(3);
    expect(json.replicationSeeds[0]).toBe(11);
    expect(json.configs.map((c) => c.label)).toEqual(["stream.shards=2", "stream.shards=3", "stream.shards=4"]);
    for (const c of json.configs) expect(c.metrics.writeThrottledPercent!.n).toBe(3);
    expect(json.precision).toBeNull();
    expect(json.configs.map((c) => c.replications)).toEqual([3, 3, 3]);
    // The fixture's formula, by hand: 3 shards at the mean rate, 4 at the peak.
    expect(json.configs[0]!.awsFormula).toMatchObject({ shards: 3, shardsAtPeak: 4 });
    expect(read(dir("jobs1"), "sweep.md")).toMatch(/^# shardcast sweep: sweep-small-step\n\n\*\*Recommendation: /);
  });

  it("--jobs 2 (worker threads) writes byte-identical sweep.json and sweep.md to --jobs 1", async ({ expect }) => {
    const [a, b] = await Promise.all([jobs1(), jobs2()]);
    expect(a.code).toBe(0);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    expect(read(dir("jobs2"), "sweep.json")).toBe(read(dir("jobs1"), "sweep.json"));
    expect(read(dir("jobs2"), "sweep.md")).toBe(read(dir("jobs1"), "sweep.md"));
  });

  it("--no-charts writes no charts and no sweep.html", async ({ expect }) => {
    const r = await precise1();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(dir("precise1"), "sweep.json")}, ${join(dir("precise1"), "sweep.md")}\n`);
    expect(existsSync(join(dir("precise1"), "sweep.html"))).toBe(false);
    expect(existsSync(join(dir("precise1"), "charts"))).toBe(false);
  });

  it("--precision 0.2% --max-replications 5: the 2-shard configuration (about 55% throttled) runs 5 replications without reaching it, the 3-shard one stops at the 3 it starts with", async ({ expect }) => {
    const r = await precise1();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(read(dir("precise1"), "sweep.json")) as SweepJson;
    expect(json.precision).toEqual({ halfWidth: 0.002, maxReplications: 5, startReplications: 3 });
    expect(json.replications).toBe(5);
    expect(json.configs.map((c) => [c.label, c.replications, c.precisionMet])).toEqual([
      ["stream.shards=2", 5, false],
      ["stream.shards=3", 3, true],
    ]);
    for (const c of json.configs) expect(c.metrics.writeThrottledPercent!.n).toBe(c.replications);
  });

  it("--precision with --jobs 2 (worker threads) writes byte-identical sweep.json and sweep.md to --jobs 1", async ({ expect }) => {
    const [a, b] = await Promise.all([precise1(), precise2()]);
    expect(a.code).toBe(0);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    expect(read(dir("precise2"), "sweep.json")).toBe(read(dir("precise1"), "sweep.json"));
    expect(read(dir("precise2"), "sweep.md")).toBe(read(dir("precise1"), "sweep.md"));
  });

  it.for([
    [["--vary", "stream.shards=2", "--max-replications", "5"], "shardcast: --max-replications only applies with --precision"],
    [["--vary", "stream.shards=2", "--precision", "0"], "--precision is a half-width relative to the mean"],
    [["--vary", "stream.shards=2", "--precision", "5%", "--partition", "1/2"], "cannot run as --partition slices"],
  ] as const)("%j is a usage error (exit 2) that names the problem", async ([args, message], { expect }) => {
    const r = await cli("sweep", FIXTURE, ...args, "--out", dir("usage"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(dir("usage"))).toBe(false);
  });

  it("--partition 1/3, 2/3, 3/3 each run 3 of the 9 runs and write a part file", async ({ expect }) => {
    const results = await parts();
    results.forEach((r, i) => {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`wrote ${join(dir(`part${i + 1}`), `sweep-part-${i + 1}-of-3.json`)} (3 of 9 runs)\n`);
      expect(existsSync(join(dir(`part${i + 1}`), "sweep.json"))).toBe(false);
    });
  });

  it("merging the three parts gives byte-identical sweep.json and sweep.md to the single-machine sweep", async ({ expect }) => {
    await parts();
    const out = dir("merged");
    const m = await cli("merge", dir("part1"), dir("part2"), dir("part3"), "--out", out);
    expect(m.stderr).toBe("");
    expect(m.code).toBe(0);
    await jobs1();
    expect(read(out, "sweep.json")).toBe(read(dir("jobs1"), "sweep.json"));
    expect(read(out, "sweep.md")).toBe(read(dir("jobs1"), "sweep.md"));
  });

  it("merge without part 3/3 exits 1 and names the missing part", async ({ expect }) => {
    await parts();
    const m = await cli("merge", dir("part1"), dir("part2"), "--out", dir("merged-missing"));
    expect(m.code).toBe(1);
    expect(m.stderr).toBe("shardcast: missing part(s) 3/3\n");
    expect(existsSync(dir("merged-missing"))).toBe(false);
  });

  it("merge of parts from different sweeps (another --vary) exits 1 and says the parts differ", async ({ expect }) => {
    await parts();
    // Part 3/3 of a 2-run sweep holds no run (tasks 0 and 1 go to parts 1 and 2): quick to make.
    const other = await cli("sweep", FIXTURE, "--vary", "stream.shards=3,4", "--partition", "3/3", "--out", dir("other3"));
    expect(other.stdout).toBe(`wrote ${join(dir("other3"), "sweep-part-3-of-3.json")} (0 of 2 runs)\n`);
    expect(other.code).toBe(0);
    const m = await cli("merge", dir("part1"), dir("part2"), dir("other3"), "--out", dir("merged-mismatch"));
    expect(m.code).toBe(1);
    expect(m.stderr).toBe(
      "shardcast: partial results from different sweeps (scenario, version, --vary, --replications, --confidence, traces or n differ): part 3/3\n",
    );
    expect(existsSync(dir("merged-mismatch"))).toBe(false);
  });

  it("merge of a truncated part file exits 1 naming the file, not 70 (internal error)", async ({ expect }) => {
    const bad = dir("truncated");
    mkdirSync(bad);
    writeFileSync(join(bad, "sweep-part-1-of-1.json"), '{"schema":"shardcast.sweep-part/1","summ');
    const m = await cli("merge", bad);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/^shardcast: .*truncated\/sweep-part-1-of-1\.json: cannot read the partial sweep result \(.+\)\n$/);
  });

  it.for([
    ["stream.shards", 'shardcast: --vary "stream.shards": expected PATH=VALUES'],
    ["stream.shards=2,20000", "shardcast: configuration stream.shards=20000: stream.shards: "],
    ["producers.mobile.instances=2", 'shardcast: --vary producers.mobile.instances: producers has no element named "mobile" (names: web)'],
    ["__proto__.polluted=1,2", 'shardcast: --vary "__proto__.polluted=1,2": "__proto__" cannot be part of a path (no scenario field has that name)\n'],
    ["stream.constructor.prototype.shards=1,2", 'shardcast: --vary "stream.constructor.prototype.shards=1,2": "constructor" cannot be part of a path'],
  ] as const)("a bad --vary %j exits 2 (a usage mistake, not 70) naming the problem, and writes nothing", async ([vary, message], { expect }) => {
    const out = dir(`bad-${vary.replace(/\W/g, "_")}`);
    const r = await cli("sweep", FIXTURE, "--vary", vary, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain("internal error");
    expect(existsSync(out)).toBe(false);
  });

  it("an --out that cannot be a folder (it is a file) exits 1 with the reason, not 70", async ({ expect }) => {
    const file = dir("a-file");
    writeFileSync(file, "");
    const r = await cli("sweep", FIXTURE, "--vary", "stream.shards=3", "--out", join(file, "sweep"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^shardcast: .*a-file\/sweep: cannot write the output \(ENOTDIR: /);
    expect(r.stderr).not.toContain("internal error");
  });
});

describe.concurrent("shardcast estimate", () => {
  it("prints the AWS formula's numbers for the fixture (by hand: 2 KiB records, 3,000 KiB/s, 3 shards at the mean, 4 at the peak)", async ({ expect }) => {
    const r = await cli("estimate", FIXTURE);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 6)).toEqual([
      "sweep-small-step: the AWS sizing formula",
      "  records/s over the 2 min run: 1,500 on average, 2,000 at the peak",
      "  average record size: 2 KiB (rounded up to a whole KiB)",
      "  write: 3,000 KiB/s; read by 1 polling consumer(s): 3,000 KiB/s",
      "  shards = max(write ÷ 1024, read ÷ 2048) = 3 at the average rate, 4 at the peak",
      "  counting the 1,000 records/s per shard limit at the peak: 4",
    ]);
    // Then the bill of every mode, per stream.
    expect(r.stdout).toMatch(/: the monthly bill of every mode at the workload's mean, /);
    expect(r.stdout).toMatch(/\n {2}On-demand Standard {2,}\$[\d,]+\.\d\d {2}\(data in billed at /);
  });

  it("--chart DIR writes the bill of every mode as modes-<stream>.vl.json and .svg", async ({ expect }) => {
    const out = dir("estimate-chart");
    const r = await cli("estimate", FIXTURE, "--chart", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const spec = JSON.parse(read(out, "modes-sweep-small-step.vl.json")) as { title: { text: string } };
    expect(spec.title.text).toBe("Monthly bill by capacity mode: sweep-small-step");
    expect(read(out, "modes-sweep-small-step.svg")).toMatch(/^<svg/);
    expect(r.stdout).toContain(`wrote ${join(out, "modes-sweep-small-step.vl.json")}, ${join(out, "modes-sweep-small-step.svg")}`);
  });
});

describe("a sweep over capacity modes", () => {
  it("writes the bill of every mode against the throughput beside the runs, and sweep.md points to it", async ({ expect }) => {
    const out = dir("modes");
    const r = await cli("sweep", "scenarios/on-demand-vs-provisioned.yaml", "--vary", "stream.mode=provisioned,on-demand,on-demand-advantage", "--replications", "1", "--jobs", "1", "--out", out, "--quiet");
    expect(r.code).toBe(0);
    const spec = JSON.parse(read(out, "charts/modes-checkout.vl.json")) as { title: { text: string } };
    expect(spec.title.text).toBe("Monthly bill by capacity mode: checkout");
    expect(read(out, "sweep.md")).toContain("The monthly bill of every capacity mode for this traffic, against the throughput");
    // It names the file written (not "charts/modes-<stream>.svg").
    expect(read(out, "sweep.md")).toContain("(the break-even between provisioned and on-demand for steady traffic): charts/modes-checkout.svg (`shardcast estimate --chart DIR`");
    expect(read(out, "charts/modes-checkout.svg")).toMatch(/^<svg/);
    // The three modes are the three configurations, each with its bill.
    const sweep = JSON.parse(read(out, "sweep.json")) as { configs: { values: string[] }[] };
    expect(sweep.configs.map((c) => c.values[0])).toEqual(["provisioned", "on-demand", "on-demand-advantage"]);
  });

  it("with --no-charts, sweep.md names no chart file: none is written (helper-77: it named charts/modes-<stream>.svg)", async ({ expect }) => {
    const out = dir("modes-no-charts");
    const r = await cli("sweep", FIXTURE, "--vary", "stream.mode=provisioned,on-demand", "--replications", "1", "--jobs", "1", "--no-charts", "--out", out, "--quiet");
    expect(r.code).toBe(0);
    const md = read(out, "sweep.md");
    expect(md).not.toContain("charts/");
    expect(md).toContain("is not drawn with this sweep (its charts were left out): `shardcast estimate --chart DIR` draws it.");
    expect(existsSync(join(out, "charts"))).toBe(false);
  });
});
