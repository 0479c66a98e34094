// The JSON Schema of report.json, generated from its one source (src/report/reportTypes.ts) by
// ts-json-schema-generator, with the scenario echo described by the scenario language's own schema (its output
// side: sizes in bytes, durations in microseconds, rates per second). `npm run docs` writes it to
// src/report/reportSchema.json, which `shardcast schema --report` prints; reportSchema.test.ts fails when the
// committed file is stale and checks every committed sample report against it.
import { join } from "node:path";
import { createGenerator } from "ts-json-schema-generator";
import { z } from "zod";
import { parsedSchemas, ScenarioSchema } from "../../src/spec/index.js";
import { REPORT_SCHEMA } from "../../src/report/version.js";

export const REPORT_SCHEMA_FILE = "src/report/reportSchema.json";

const root = join(import.meta.dirname, "..", "..");

type Json = Record<string, unknown>;

/** The parsed scenario's JSON Schema: unit fields (durations, sizes, rates) are numbers in the echo. */
function scenarioEchoSchema(): Json {
  const options = { io: "output", target: "draft-7" } as const;
  // A transform's output is its registered parsed schema (the stream's: src/spec/parsedAs.ts), not `{}`.
  const s = z.toJSONSchema(ScenarioSchema, { ...options, unrepresentable: parsedSchemas(options) }) as Json;
  delete s.$schema;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const o = node as Json;
    const unit = o["x-unit"];
    if (typeof unit === "string" && o.type === undefined) {
      o.type = "number";
      o.description = `${typeof o.description === "string" ? `${o.description} ` : ""}(${unit === "duration" ? "microseconds" : unit === "size" ? "bytes" : "per second"})`;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(s);
  return { ...s, description: "The resolved scenario the run simulated: every default filled in, sizes in bytes, durations in microseconds, rates per second." };
}

export function reportJsonSchema(): Json {
  const generated = createGenerator({
    path: join(root, "src/report/reportTypes.ts"),
    tsconfig: join(root, "tsconfig.json"),
    type: "ReportJsonSchemaView",
    skipTypeCheck: true,
    expose: "export",
    topRef: false,
    additionalProperties: false,
    sortProps: false,
  }).createSchema("ReportJsonSchemaView") as Json;
  const properties = generated.properties as Json;
  properties.scenario = scenarioEchoSchema();
  properties.schema = { type: "string", const: REPORT_SCHEMA, description: "The version of this schema." };
  const { $schema, description: _, ...rest } = generated;
  return {
    $schema,
    $id: "urn:shardcast:schema:report",
    title: "shardcast report.json",
    description: `What \`shardcast run\` writes as report.json (${REPORT_SCHEMA}): deterministic, versioned, units in the field names.`,
    ...rest,
  };
}

export function reportSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
