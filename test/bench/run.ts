// npm run bench: CPU, wall time, simulated events per second and peak memory for the reference runs. Each
// case is the command line a user runs, `shardcast run --no-charts` (the built dist/cli/bin.js, which `npm run bench`
// builds first), in its own Node process: its CPU, wall time (so events/s) and peak RSS are the whole process's, from
// start-up to report.json.
// Not a test: numbers are printed, not asserted.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { V8_FLAGS } from "../../src/cli/v8Tuning.js";
import { USAGE_HOOK, type Usage } from "./usage.js";

interface Case {
  name: string;
  shards: number;
  duration: string;
  consumer?: "kcl" | "fanout";
  client?: "sdk" | "kpl" | "agent";
  /** A Firehose delivery stream reading the stream, with a Lambda transformation, to S3. */
  firehose?: boolean;
  /** Issue 15's whole pipeline: SDK producers, one polling KCL application and the Firehose delivery stream. */
  pipeline?: boolean;
  /**
   * The pipeline's fixed cost (start-up, reading the scenario, building, summarising, writing the report): subtracted
   * from the others for the marginal ratios.
   */
  fixed?: boolean;
}

const CASES: Case[] = [
  { name: "100 shards, 1 h, uniform keys at 80%", shards: 100, duration: "1h" },
  { name: "1,000 shards, 10 min, uniform keys at 80%", shards: 1000, duration: "10m" },
  { name: "1,000 shards, 1 h, uniform keys at 80%", shards: 1000, duration: "1h" },
  { name: "100 shards, 1 h, at 80%, one polling KCL app (10 workers)", shards: 100, duration: "1h", consumer: "kcl" },
  { name: "1,000 shards, 1 h, at 80%, one polling KCL app (100 workers)", shards: 1000, duration: "1h", consumer: "kcl" },
  { name: "100 shards, 1 h, at 80%, KPL (aggregating 1 KiB records)", shards: 100, duration: "1h", client: "kpl" },
  { name: "1,000 shards, 1 h, at 80%, KPL (aggregating 1 KiB records)", shards: 1000, duration: "1h", client: "kpl" },
  { name: "100 shards, 1 h, at 80%, Kinesis Agent", shards: 100, duration: "1h", client: "agent" },
  { name: "100 shards, 1 h, at 80%, Firehose reading the stream (Lambda, S3)", shards: 100, duration: "1h", firehose: true },
  { name: "1,000 shards, 1 h, at 80%, Firehose reading the stream (Lambda, S3)", shards: 1000, duration: "1h", firehose: true },
  // The whole pipeline at growing sizes: the ratios of CPU per shard-hour are printed at the end, of the whole process
  // and of what is left after the fixed cost (one shard for a minute: loading the code, reading the scenario,
  // building, summarising, writing the report).
  { name: "pipeline: 1 shard, 1 min (fixed cost)", shards: 1, duration: "1m", pipeline: true, fixed: true },
  { name: "pipeline: 100 shards, 1 h", shards: 100, duration: "1h", pipeline: true },
  { name: "pipeline: 300 shards, 1 h", shards: 300, duration: "1h", pipeline: true },
  { name: "pipeline: 1,000 shards, 1 h", shards: 1000, duration: "1h", pipeline: true },
  // BENCH_LARGE=1 adds the largest targets (minutes each).
  ...(process.env.BENCH_LARGE
    ? [
        { name: "pipeline: 10,000 shards, 1 h", shards: 10_000, duration: "1h", pipeline: true },
        { name: "pipeline: 1,000 shards, 24 h", shards: 1000, duration: "24h", pipeline: true },
      ]
    : []),
];

const HOURS: Record<string, number> = { "1m": 1 / 60, "10m": 1 / 6, "1h": 1, "24h": 24 };

function scenarioFor(c: Case): unknown {
  // 80% of capacity: 800 records/s of 1 KiB per shard (with 36-byte keys that is 81% of the byte limit).
  return {
    name: `bench-${c.shards}`,
    seed: 1,
    duration: c.duration,
    stream: { shards: c.shards },
    producers: [
      {
        name: "fleet",
        client: c.client ?? "sdk",
        instances: Math.max(1, c.shards / 2),
        rate: { shape: "poisson", value: `${800 * c.shards}/s` },
        recordSize: { dist: "fixed", size: "1KiB" },
        partitionKey: { kind: "random", length: 36 },
      },
    ],
    consumers: c.consumer || c.pipeline
      ? [{ name: "app", kind: c.consumer ?? "kcl", workers: Math.max(1, c.shards / 10), checkpoint: { every: "30s" }, processing: { perRecord: "0.01ms" } }]
      : [],
    firehose: c.firehose || c.pipeline
      ? [{ name: "archive", source: `bench-${c.shards}`, buffer: { size: "128MiB", interval: "300s" }, transform: { sizeFactor: 1.2 }, destination: { kind: "s3" } }]
      : [],
  };
}

const BIN = fileURLToPath(new URL("../../dist/cli/bin.js", import.meta.url));

/** One run of a case: `shardcast run --no-charts` on its scenario in a folder of its own, then what report.json says. */
function runCase(c: Case): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), "shardcast-bench-"));
  try {
    const scenario = join(dir, "scenario.json");
    const usage = join(dir, "usage.json");
    const out = join(dir, "out");
    writeFileSync(scenario, JSON.stringify(scenarioFor(c)));
    const t0 = process.hrtime.bigint();
    // The largest cases pass the run-cost guard's default limits: the bench measures them anyway.
    execFileSync(process.execPath, [...V8_FLAGS, "--import", USAGE_HOOK, BIN, "run", "--no-charts", "--quiet", "--max-time", "1000h", "--max-memory", "64GiB", "--out", out, scenario], {
      env: { ...process.env, SHARDCAST_BENCH_USAGE: usage },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const { cpuSeconds, maxRssMiB } = JSON.parse(readFileSync(usage, "utf8")) as Usage;
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as {
      run: { events: number; batches: number };
      accounting: { offered: number };
      producers: { afterWarmup: { attempts: number; throttledAttempts: number } }[];
    };
    const producer = report.producers[0]!;
    return {
      wallSeconds: wall,
      events: report.run.events,
      eventsPerSecond: report.run.events / wall,
      batches: report.run.batches,
      recordsSimulated: report.accounting.offered,
      recordsPerSecond: report.accounting.offered / wall,
      throttledPercent: (100 * producer.afterWarmup.throttledAttempts) / Math.max(1, producer.afterWarmup.attempts),
      maxRssMiB,
      cpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  // Each case runs BENCH_REPEAT times (default 3) in its own process; medians are printed (the machine is shared).
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Other tenants of a shared machine only ever add CPU seconds (contended caches and cores): the fastest run is the
  // least disturbed, so it is printed beside the median, and the load average before and after each case.
  const load = () => loadavg().map((x) => x.toFixed(2)).join(", ");
  console.log(`shardcast bench (Node ${process.version}, ${process.arch}); medians of ${repeat} (CPU: median, and the fastest run)`);
  const f = (x: unknown, d = 1) => Number(x).toLocaleString("en-US", { maximumFractionDigits: d });
  const pipeline: { name: string; shardHours: number; cpu: number; rss: number }[] = [];
  let fixed = 0;
  // BENCH_ONLY=text runs only the cases whose name contains it (the pipeline's fixed cost runs with any pipeline case).
  const only = process.env.BENCH_ONLY;
  for (let i = 0; i < CASES.length; i++) {
    if (only && !CASES[i]!.name.includes(only) && !(CASES[i]!.fixed && only.includes("pipeline"))) continue;
    const loadBefore = load();
    const runs = Array.from({ length: repeat }, () => runCase(CASES[i]!));
    const m = (k: string) => median(runs.map((x) => x[k]!));
    const c = CASES[i]!;
    console.log(
      `${c.name}: ${f(m("cpuSeconds"), 2)} CPU s (fastest ${f(Math.min(...runs.map((x) => x.cpuSeconds!)), 2)}), ${f(m("wallSeconds"), 2)} s wall, ${f(runs[0]!.events, 0)} events (${f(m("eventsPerSecond"), 0)}/s), ` +
        `${f(runs[0]!.batches, 0)} shard batches, ${f(runs[0]!.recordsSimulated, 0)} records (${f(m("recordsPerSecond"), 0)}/s), throttled ${f(runs[0]!.throttledPercent, 4)}%, peak RSS ${f(m("maxRssMiB"), 0)} MiB; load ${loadBefore} → ${load()}`,
    );
    if (c.fixed) fixed = m("cpuSeconds");
    else if (c.pipeline) pipeline.push({ name: c.name, shardHours: c.shards * HOURS[c.duration]!, cpu: m("cpuSeconds"), rss: m("maxRssMiB") });
  }
  // Cost linear in the work: CPU seconds per shard-hour, and its ratio to the smallest pipeline (1.00 = linear).
  if (pipeline.length > 0) {
    const base = pipeline[0]!.cpu / pipeline[0]!.shardHours;
    const baseNet = (pipeline[0]!.cpu - fixed) / pipeline[0]!.shardHours;
    console.log(`\npipeline: CPU s per shard-hour (ratio to the first; 1.00 is linear in shards × time), whole process and net of the fixed ${f(fixed, 2)} CPU s`);
    for (const p of pipeline) {
      const net = (p.cpu - fixed) / p.shardHours;
      console.log(`  ${p.name}: ${f(p.cpu / p.shardHours, 4)} CPU s/shard-hour, ×${f(p.cpu / p.shardHours / base, 2)}; net ${f(net, 4)}, ×${f(net / baseNet, 2)}; peak RSS ${f(p.rss, 0)} MiB`);
    }
  }
}

main();
