// Builds a parsed Scenario for model tests from a compact description (inputs in scenario units).
import { ScenarioSchema, type Scenario } from "../../src/spec/index.js";

export function scenarioOf(input: Record<string, unknown>): Scenario {
  return ScenarioSchema.parse({ name: "test", seed: 1, ...input });
}

export function oneProducer(opts: {
  shards?: number;
  duration?: string;
  warmup?: string;
  granularity?: "batch" | "record";
  producer: Record<string, unknown>;
  stream?: Record<string, unknown>;
  seed?: number;
}): Scenario {
  return scenarioOf({
    seed: opts.seed ?? 1,
    duration: opts.duration ?? "60s",
    warmup: opts.warmup ?? "0s",
    fidelity: { granularity: opts.granularity ?? "batch" },
    stream: { shards: opts.shards ?? 1, ...opts.stream },
    producers: [{ name: "p", client: "sdk", ...opts.producer }],
  });
}

/**
 * One SDK producer per shard, each writing 100 B records at a constant rate (records/s, the same for every shard or
 * one per shard) with an explicit hash key at the start of its shard's range: shard i gets exactly producer i's traffic.
 */
export function producerPerShard(shards: number, rate: number | readonly number[]): Record<string, unknown>[] {
  const space = 1n << 128n;
  return Array.from({ length: shards }, (_, i) => ({
    name: `p${i}`,
    client: "sdk",
    rate: { shape: "constant", value: `${typeof rate === "number" ? rate : rate[i]}/s` },
    recordSize: { dist: "fixed", size: "100B" },
    partitionKey: { kind: "explicit", hashKeys: [((space / BigInt(shards)) * BigInt(i)).toString()] },
  }));
}
