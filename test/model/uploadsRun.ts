// One writer of 100 KiB records into a one-shard stream, 10 minutes by default, no warmup: the burst tests' run
// (lingerBursts.test, kplCollectorBursts.test), its client and settings given.
import { runScenario, type RunOutputs } from "../../src/run.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import { PROVENANCE } from "../report/runResultFixture.js";

export function uploadsRun(name: string, client: Record<string, unknown>, o: { rate?: unknown; duration?: string } = {}): RunOutputs {
  return runScenario(
    ScenarioSchema.parse({
      name,
      seed: 3,
      duration: o.duration ?? "10m",
      warmup: "0s",
      stream: { name: "s", shards: 1 },
      producers: [{ name: "uploads", ...client, rate: o.rate ?? { shape: "poisson", value: "6/s" }, recordSize: { dist: "fixed", size: "100KiB" } }],
    }),
    PROVENANCE,
  );
}
