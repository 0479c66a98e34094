// npm run bench: wall time, simulated events per second and peak memory for the reference runs.
// Each case runs in its own Node process so its peak RSS is its own. Not a test: numbers are printed, not asserted.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ScenarioSchema } from "../../src/spec/index.js";
import { simulateScenario as simulate } from "../../src/run.js";

interface Case {
  name: string;
  shards: number;
  duration: string;
  consumer?: "kcl" | "fanout";
  client?: "sdk" | "kpl" | "agent";
  /** A Firehose delivery stream reading the stream, with a Lambda transformation, to S3. */
  firehose?: boolean;
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
];

function scenarioFor(c: Case) {
  // 80% of capacity: 800 records/s of 1 KiB per shard (with 36-byte keys that is 81% of the byte limit).
  return ScenarioSchema.parse({
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
    consumers: c.consumer
      ? [{ name: "app", kind: c.consumer, workers: Math.max(1, c.shards / 10), checkpoint: { every: "30s" }, processing: { perRecord: "0.01ms" } }]
      : [],
    firehose: c.firehose
      ? [{ name: "archive", source: `bench-${c.shards}`, buffer: { size: "128MiB", interval: "300s" }, transform: { sizeFactor: 1.2 }, destination: { kind: "s3" } }]
      : [],
  });
}

function runCase(index: number): void {
  const c = CASES[index]!;
  const scenario = scenarioFor(c);
  const t0 = process.hrtime.bigint();
  const result = simulate(scenario);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const batches = result.producers.reduce((s, p) => s + p.requests, 0);
  const shardBatches = result.shards.reduce((s, x) => s + x.storedRecords, 0);
  process.stdout.write(
    JSON.stringify({
      name: c.name,
      wallSeconds: wall,
      events: result.engine.events,
      eventsPerSecond: result.engine.events / wall,
      batches: result.engine.batches,
      batchesPerSecond: result.engine.batches / wall,
      recordsSimulated: result.accounting.offered,
      recordsPerSecond: result.accounting.offered / wall,
      putRequestsRepresented: batches,
      throttledPercent: (100 * result.producers[0]!.throttledAttempts) / Math.max(1, result.producers[0]!.attempts),
      storedRecords: shardBatches,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }) + "\n",
  );
}

const arg = process.argv[2];
if (arg !== undefined) {
  runCase(Number(arg));
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(`shardcast bench (Node ${process.version}, ${process.arch})`);
  for (let i = 0; i < CASES.length; i++) {
    const out = execFileSync(process.execPath, ["--import", "tsx", self, String(i)], { encoding: "utf8", maxBuffer: 1 << 20 });
    const r = JSON.parse(out) as Record<string, number | string>;
    const f = (x: unknown, d = 1) => Number(x).toLocaleString("en-US", { maximumFractionDigits: d });
    console.log(
      `${r.name}: ${f(r.wallSeconds, 2)} s wall, ${f(r.events, 0)} events (${f(r.eventsPerSecond, 0)}/s), ` +
        `${f(r.batches, 0)} shard batches (${f(r.batchesPerSecond, 0)}/s), ${f(r.recordsSimulated, 0)} records (${f(r.recordsPerSecond, 0)}/s), throttled ${f(r.throttledPercent, 4)}%, peak RSS ${f(r.maxRssMiB, 0)} MiB`,
    );
  }
}
