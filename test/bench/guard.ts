// npm run bench (last part): how close the run-cost guard's estimate (src/sweep/resources.ts) comes to real runs.
// For each bundled sample scenario and the whole pipeline at three sizes, in a process of its own: the estimate
// (events, compute on the reference machine, memory), then the run (simulate and summarise), its events, its CPU
// seconds (user + system, start-up excluded) and its peak heap plus array buffers. Not a test: ratios are printed,
// not asserted (docs/model.md quotes them). GUARD_ONLY=name runs one sample.

import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { build } from "../../src/model/build.js";
import { simulate } from "../../src/model/simulate.js";
import { summarise } from "../../src/result/summarise.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveTraces } from "../../src/scenario/traces.js";
import type { Scenario } from "../../src/scenario/index.js";
import { ScenarioSchema } from "../../src/spec/index.js";
import { resourceEstimate } from "../../src/sweep/resources.js";
import { V8_FLAGS } from "../../src/cli/v8Tuning.js";

const PIPELINE_SIZES = [100, 300, 1000];

function pipeline(shards: number): Scenario {
  return ScenarioSchema.parse({
    name: `bench-${shards}`,
    seed: 1,
    duration: "10m",
    stream: { shards },
    producers: [
      {
        name: "fleet",
        client: "sdk",
        instances: Math.max(1, shards / 2),
        rate: { shape: "poisson", value: `${800 * shards}/s` },
        recordSize: { dist: "fixed", size: "1KiB" },
        partitionKey: { kind: "random", length: 36 },
      },
    ],
    consumers: [{ name: "app", kind: "kcl", workers: Math.max(1, shards / 10), checkpoint: { every: "30s" }, processing: { perRecord: "0.01ms" } }],
    firehose: [{ name: "archive", source: `bench-${shards}`, buffer: { size: "128MiB", interval: "300s" }, transform: { sizeFactor: 1.2 }, destination: { kind: "s3" } }],
  }) as Scenario;
}

function one(name: string): void {
  let scenario: Scenario;
  let traces = new Map() as ReturnType<typeof resolveTraces>;
  if (name.startsWith("pipeline-")) scenario = pipeline(Number(name.slice("pipeline-".length)));
  else {
    const file = `scenarios/${name}.yaml`;
    scenario = parseScenario(readFileSync(file, "utf8"), file);
    traces = resolveTraces(scenario, file, (path) => readFileSync(path, "utf8"));
  }
  const est = resourceEstimate(scenario, traces);
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  // Peak heap plus array buffers, sampled as the run goes (between simulate's steps and at the end).
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  const c0 = cpu();
  const model = build(scenario, { traces });
  simulate(model, { onProgress: sample });
  const result = summarise(model);
  sample();
  const seconds = cpu() - c0;
  process.stdout.write(
    JSON.stringify({ name, estEvents: est.events, events: result.engine.events, estSeconds: est.computeSeconds, seconds, estBytes: est.memoryBytes, bytes: peak, heapLimit: getHeapStatistics().heap_size_limit }) + "\n",
  );
}

const arg = process.argv[2];
if (arg !== undefined) one(arg);
else {
  const self = fileURLToPath(import.meta.url);
  const only = process.env.GUARD_ONLY;
  const names = [
    ...readdirSync("scenarios")
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => f.slice(0, -5))
      .sort(),
    ...PIPELINE_SIZES.map((n) => `pipeline-${n}`),
  ].filter((n) => only === undefined || n === only);
  console.log("\nrun-cost guard: estimate ÷ measured (events; compute against CPU s; memory against peak heap + array buffers)");
  const ratios: { events: number[]; compute: number[]; memory: number[] } = { events: [], compute: [], memory: [] };
  const f = (x: number, d = 2) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  for (const name of names) {
    const r = JSON.parse(execFileSync(process.execPath, [...V8_FLAGS, "--import", "tsx", self, name], { encoding: "utf8", maxBuffer: 1 << 20 })) as Record<string, number>;
    const e = r.estEvents! / Math.max(1, r.events!);
    const c = r.estSeconds! / r.seconds!;
    const m = r.estBytes! / r.bytes!;
    ratios.events.push(e);
    ratios.compute.push(c);
    ratios.memory.push(m);
    console.log(`  ${name}: events ×${f(e)}, compute ×${f(c)} (${f(r.estSeconds!)} s est., ${f(r.seconds!)} CPU s), memory ×${f(m)} (${f(r.estBytes! / 2 ** 20, 0)} MiB est., ${f(r.bytes! / 2 ** 20, 0)} MiB)`);
  }
  const range = (xs: number[]) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}×`;
  console.log(`  range: events ${range(ratios.events)}, compute ${range(ratios.compute)}, memory ${range(ratios.memory)}`);
}
