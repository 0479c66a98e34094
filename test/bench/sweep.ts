// Sweep benchmark (npm run bench runs it after the single-run cases): 8 configurations × 5 replications of a
// 100-shard one-hour scenario, with --jobs 1 and --jobs 2, through the built `shardcast` binary
// (dist/cli/bin.js, from `npm run build`) as a user runs it. (Under tsx, each worker thread also pays for
// loading and warming up TypeScript-transpiled code, which slows the first runs of every worker.)
//
// The two run in alternating pairs (BENCH_REPEAT pairs, default 3): on a shared machine one process's speed swings by
// 10–30% from minute to minute, so a speed-up is taken within a pair (runs a minute apart) and the median of the pairs'
// is printed, with each run's wall time, its whole-process CPU (every thread) and the load average around the pair.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { USAGE_HOOK, type Usage } from "./usage.js";

const dir = mkdtempSync(join(tmpdir(), "shardcast-bench-"));
const scenario = join(dir, "bench-sweep.yaml");
writeFileSync(
  scenario,
  `name: bench-sweep
seed: 1
duration: 1h
stream: { shards: 100 }
producers:
  - name: fleet
    client: sdk
    instances: 50
    rate: { shape: poisson, value: 80000/s }
    recordSize: { dist: fixed, size: 1KiB }
slo:
  writeThrottledPercent: 0.1
`,
);

interface SweepRun extends Usage {
  seconds: number;
  sweepJson: string;
}

function sweep(jobs: number, pair: number): SweepRun {
  const out = join(dir, `out-${pair}-${jobs}`);
  const usage = join(dir, `usage-${pair}-${jobs}.json`);
  const t0 = process.hrtime.bigint();
  execFileSync(
    process.execPath,
    ["--import", USAGE_HOOK, "dist/cli/bin.js", "sweep", scenario, "--vary", "stream.shards=100..170:10", "--replications", "5", "--jobs", String(jobs), "--out", out, "--no-charts", "--quiet"],
    { env: { ...process.env, SHARDCAST_BENCH_USAGE: usage }, stdio: ["ignore", "ignore", "inherit"] },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, ...(JSON.parse(readFileSync(usage, "utf8")) as Usage), sweepJson: readFileSync(join(out, "sweep.json"), "utf8") };
}

const pairs = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const load = () => loadavg().map((x) => x.toFixed(2)).join(", ");
const speedUps: number[] = [];
let identical = true;
let reference: string | undefined;
try {
  for (let p = 0; p < pairs; p++) {
    const before = load();
    const one = sweep(1, p);
    const two = sweep(2, p);
    reference ??= one.sweepJson;
    identical &&= one.sweepJson === reference && two.sweepJson === reference;
    speedUps.push(one.seconds / two.seconds);
    console.log(
      `sweep pair ${p + 1} of ${pairs}: --jobs 1 ${one.seconds.toFixed(1)} s wall (${one.cpuSeconds.toFixed(1)} CPU s), ` +
        `--jobs 2 ${two.seconds.toFixed(1)} s wall (${two.cpuSeconds.toFixed(1)} CPU s): ×${(one.seconds / two.seconds).toFixed(2)}; load ${before} → ${load()}`,
    );
  }
  const sorted = [...speedUps].sort((a, b) => a - b);
  console.log(
    `sweep, 8 configurations × 5 replications of a 100-shard hour: --jobs 2 is ×${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} as fast as --jobs 1 ` +
      `(median of ${pairs} pairs; range ×${sorted[0]!.toFixed(2)}–×${sorted[sorted.length - 1]!.toFixed(2)}); sweep.json identical in all ${2 * pairs} runs: ${identical ? "yes" : "NO"}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
