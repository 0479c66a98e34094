// Sweep benchmark (npm run bench runs it after the single-run cases): 8 configurations × 5 replications of a
// 100-shard one-hour scenario, with --jobs 1 and --jobs 2, through the built `shardcast` binary
// (dist/cli/bin.js, from `npm run build`) as a user runs it. (Under tsx, each worker thread also pays for
// loading and warming up TypeScript-transpiled code, which slows the first runs of every worker.)

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

function sweep(jobs: number): { seconds: number; out: string } {
  const out = join(dir, `out-${jobs}`);
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, ["dist/cli/bin.js", "sweep", scenario, "--vary", "stream.shards=100..170:10", "--replications", "5", "--jobs", String(jobs), "--out", out, "--no-charts"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, out };
}

const one = sweep(1);
const two = sweep(2);
const same = readFileSync(join(one.out, "sweep.json"), "utf8") === readFileSync(join(two.out, "sweep.json"), "utf8");
console.log(
  `sweep, 8 configurations × 5 replications of a 100-shard hour: --jobs 1 ${one.seconds.toFixed(1)} s, --jobs 2 ${two.seconds.toFixed(1)} s ` +
    `(speed-up ${(one.seconds / two.seconds).toFixed(2)}×); sweep.json identical: ${same ? "yes" : "NO"}`,
);
rmSync(dir, { recursive: true, force: true });
