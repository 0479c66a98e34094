// The resource guard through the real command line (in process): the scenarios issue 14 found running until killed
// or aborting out of memory are refused before anything runs, exit 1, with the estimate, the limit and the setting
// that raises it, no stack trace and no report; the samples and fixtures pass with the default limits.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_SECONDS, defaultMaxMemory } from "../../src/cli/guard.js";
import { parseScenario, resolveTraces } from "../../src/scenario/index.js";
import { resourceEstimate, resourceRefusal } from "../../src/sweep/resources.js";
import { cli, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-guard-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const G = "test/fixtures/guard";

/**
 * A refusal: exit 1, one `shardcast:` line naming the file, no stack trace, nothing written. The fixtures under
 * test/fixtures/guard are first checked in process against the default limits: a fixture the estimate no longer
 * refuses (after the model got faster and the unit costs were measured again) fails here at once, where the command
 * line would run it for real.
 */
async function refused(file: string, ...args: string[]) {
  if (file.startsWith(G)) {
    const s = parseScenario(readFileSync(join(root, file), "utf8"), file);
    const traces = resolveTraces(s, file, (p) => readFileSync(join(root, p), "utf8"));
    const limits = { maxSeconds: DEFAULT_MAX_SECONDS, maxMemoryBytes: defaultMaxMemory() };
    expect(resourceRefusal(resourceEstimate(s, traces), limits, { time: () => "", memory: () => "" }), `${file} is no longer refused with the default limits`).not.toBeNull();
  }
  const out = join(tmp, file.replace(/\W/g, "_"));
  const r = await cli("run", file, "--out", out, "--no-charts", ...args);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^shardcast: ${file.replace(/\./g, "\\.")}: the run `));
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(existsSync(out)).toBe(false);
  return r.stderr;
}

describe("run refuses what would not fit", () => {
  it("10,000 shards × 365 days: 315 million windows over 10,000 shards, more than an hour", async () => {
    const msg = await refused(`${G}/shards-year.yaml`);
    // 365 d ÷ 100 ms windows = 315,360,000 windows, each touching 10,000 shards.
    expect(msg).toContain("10,000 shard(s) × 315,360,000 windows");
    expect(msg).toMatch(/would take about [\d.]+ days of compute/);
    expect(msg).toContain("more than the limit of 1.00 h");
    expect(msg).toMatch(/allow it with --max-time \d+h/);
  });

  it("1e6 KPL instances: nothing aggregates, the shards throttle and 30 s of batches are re-offered every window", async () => {
    const msg = await refused(`${G}/kpl-million.yaml`);
    // RecordTtl 30 s ÷ 100 ms windows = 300 pending batches per shard.
    expect(msg).toContain("a queue of 300 throttled batches per shard");
    expect(msg).toContain("more than the limit of 1.00 h");
    expect(msg).toMatch(/--max-time \d+h/);
  });

  it("20 fan-out consumers × 10,000 shards × 365 days: years of pushes", async () => {
    const msg = await refused(`${G}/fanout-year.yaml`);
    // A push per shard per window: 10,000 × 315,360,000 per consumer.
    expect(msg).toContain("20 consumers such as consumer c1: 3,153,600,000,000 fan-out pushes");
    expect(msg).toMatch(/years of compute/);
  });

  it("a 1 ms producer window over a day: 86.4 million windows", async () => {
    const msg = await refused(`${G}/window-1ms.yaml`);
    expect(msg).toContain("1,000 shard(s) × 86,400,000 windows");
    expect(msg).toMatch(/--max-time \d+h/);
  });

  it("record granularity at 1e9 records/s: 6e10 records one by one, 1e8 of them born ahead per window", async () => {
    const msg = await refused(`${G}/record-1e9.yaml`);
    expect(msg).toContain("60,000,000,000 records one by one");
    expect(msg).toMatch(/would need about [\d.]+ GiB of memory/);
    expect(msg).toMatch(/--max-memory \d+GiB/);
    expect(msg).toMatch(/--max-time \d+h/);
  });

  it("20,000 producer groups: a latency histogram each, gigabytes", async () => {
    const msg = await refused(`${G}/groups-20k.yaml`);
    expect(msg).toMatch(/would need about 5\.\d+ GiB of memory \(mostly 20,000 producer groups/);
    expect(msg).toMatch(/more than the limit of [\d.]+ (GiB|MiB)/);
    expect(msg).toMatch(/allow it with --max-memory 6GiB/);
  });

  it("counts past 2^53 are refused whatever the limits: 1e9 records/s for 200 days is 1.73e16 records", async () => {
    const msg = await refused(`${G}/exact-counts.yaml`, "--max-time", "1000d", "--max-memory", "1000GiB");
    expect(msg).toContain("about 1.73e+16 records, more than 2^53 = 9,007,199,254,740,991");
    expect(msg).toContain("no setting overrides this");
  });
});

describe("the limits are settings", () => {
  it("quickstart is refused with --max-time 10ms and --max-memory 1MiB, and runs with the defaults", async () => {
    const msg = await refused("scenarios/quickstart.yaml", "--max-time", "10ms", "--max-memory", "1MiB");
    expect(msg).toContain("more than the limit of 0.010 s");
    expect(msg).toContain("more than the limit of 1 MiB");
    const out = join(tmp, "quickstart-ok");
    const r = await cli("run", "scenarios/quickstart.yaml", "--out", out, "--no-charts", "--quiet");
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "report.json"))).toBe(true);
  });

  it("a bad --max-time or --max-memory is a usage error (exit 2)", async () => {
    expect((await cli("run", "scenarios/quickstart.yaml", "--max-time", "soon")).code).toBe(2);
    expect((await cli("run", "scenarios/quickstart.yaml", "--max-memory", "0B")).code).toBe(2);
  });

  it("sweep refuses before running anything, naming the configuration that would not fit", async () => {
    const out = join(tmp, "sweep");
    const r = await cli("sweep", "scenarios/quickstart.yaml", "--vary", "stream.shards=4,10000", "--max-time", "10s", "--out", out, "--jobs", "1", "--no-charts", "--quiet");
    expect(r.code).toBe(1);
    // 10 min ÷ 100 ms = 6,000 windows over 10,000 shards.
    expect(r.stderr).toMatch(/^shardcast: scenarios\/quickstart\.yaml, configuration stream\.shards=10000: the run would take about/);
    expect(r.stderr).toContain("10,000 shard(s) × 6,000 windows");
    expect(existsSync(out)).toBe(false);
  });
});

describe("what exists passes the guard with the default limits", () => {
  const files = [
    ...readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => `scenarios/${f}`),
    ...["test/fixtures/cli", "test/fixtures/issue11", "test/fixtures/sweep", "test/fixtures/scenario"].flatMap((d) => readdirSync(join(root, d)).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => `${d}/${f}`)),
  ];
  const limits = { maxSeconds: DEFAULT_MAX_SECONDS, maxMemoryBytes: defaultMaxMemory() };
  const names = { time: () => "--max-time", memory: () => "--max-memory" };
  it.each(files)("%s", (file) => {
    let s;
    try {
      s = parseScenario(readFileSync(join(root, file), "utf8"), file);
    } catch {
      return; // a fixture of a bad scenario: refused before the guard
    }
    const traces = resolveTraces(s, file, (p) => readFileSync(join(root, p), "utf8"));
    expect(resourceRefusal(resourceEstimate(s, traces), limits, names)).toBeNull();
  });
});
