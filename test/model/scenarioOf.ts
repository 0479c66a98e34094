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
