// The scenario language as JSON Schema (draft 2020-12), generated from the zod schema, for editors (YAML and
// JSON language servers give completion, hover text and checking from it) and for `shardcast schema`.

import { z } from "zod";
import { ScenarioSchema } from "./index.js";

export const SCENARIO_SCHEMA_ID = "urn:shardcast:schema:scenario";

/**
 * The JSON Schema of scenario files as written (the input side: unit strings such as "5m", defaults shown).
 * Built afresh on each call from the same zod schema, so the output is identical every time; callers may
 * mutate the object they get.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema: $schema ?? "https://json-schema.org/draft/2020-12/schema",
    $id: SCENARIO_SCHEMA_ID,
    title: "shardcast scenario",
    description:
      "A shardcast scenario: an Amazon Kinesis stream, the producers writing to it and the SLOs to check, for a " +
      "deterministic simulation of throughput, throttling, latency and cost. Sizes, durations and rates are " +
      'strings with units ("1KiB", "10m", "2000/s"); omitted fields take the real service\'s defaults.',
    ...rest,
  };
}
