// The Lambda scenario several report tests vary: one SDK producer writing 100 B records with random 16 B keys at a
// constant rate to one shard (stream "s"), read by one Lambda consumer from TRIM_HORIZON in batches of 100, its
// function taking 10 ms + 0.1 ms a record with no variability unless the test says otherwise.
import type { Scenario } from "../../src/spec/index.js";
import { scenarioOf } from "../model/scenarioOf.js";

export interface LambdaScenario {
  /** Default 3. */
  seed?: number;
  /** Default 4m. */
  duration?: string;
  /** Default 1m. */
  warmup?: string;
  /** Default 1: shards of the stream. */
  shards?: number;
  /** The producer's constant rate; default 200/s. */
  rate?: string;
  /** The consumer's name; default fn. */
  name?: string;
  /** Fields of the function, over the default duration (a `duration` given replaces it whole). */
  fn?: Record<string, unknown>;
  /** Fields of the event source mapping (BatchSize and the rest), over batchSize 100. */
  mapping?: Record<string, unknown>;
  /** The scenario's faults and SLOs, left out when not given. */
  faults?: unknown[];
  slo?: Record<string, unknown>;
}

export function lambdaScenario(o: LambdaScenario = {}): Scenario {
  return scenarioOf({
    seed: o.seed ?? 3,
    duration: o.duration ?? "4m",
    warmup: o.warmup ?? "1m",
    stream: { name: "s", shards: o.shards ?? 1 },
    producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: o.rate ?? "200/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "random", length: 16 } }],
    consumers: [
      {
        name: o.name ?? "fn",
        kind: "lambda",
        startingPosition: "TRIM_HORIZON",
        batchSize: 100,
        function: { duration: { perInvocation: "10ms", perRecord: "0.1ms", variability: 0 }, ...o.fn },
        ...o.mapping,
      },
    ],
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.slo ? { slo: o.slo } : {}),
  });
}
