import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { SCENARIO_SCHEMA_ID, scenarioJsonSchema } from "../../src/scenario/index.js";
import { ScenarioSchema } from "../../src/spec/index.js";

// Keywords of JSON Schema draft 2020-12 (core, applicator, validation, unevaluated, format-annotation,
// content and meta-data vocabularies).
const KEYWORDS = new Set([
  "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
  "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items", "contains",
  "properties", "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
  "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
  "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
  "minProperties", "required", "dependentRequired", "format", "contentEncoding", "contentMediaType", "contentSchema",
  "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
]);
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_VALUES = new Set(["not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
const TYPES = new Set(["null", "boolean", "object", "array", "number", "string", "integer"]);

/** Every problem with a (sub)schema's shape under draft 2020-12, as "path: problem". */
function shapeProblems(schema: unknown, path = "#"): string[] {
  if (typeof schema === "boolean") return [];
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return [`${path}: not a schema`];
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const at = `${path}/${key}`;
    // "x-" keywords are our annotations (unit and range of unit strings); 2020-12 ignores unknown keywords,
    // and the prefix keeps them from clashing with any future vocabulary.
    if (!KEYWORDS.has(key) && !key.startsWith("x-")) out.push(`${at}: unknown keyword`);
    else if (SCHEMA_MAPS.has(key)) for (const [k, v] of Object.entries(value as object)) out.push(...shapeProblems(v, `${at}/${k}`));
    else if (SCHEMA_LISTS.has(key)) (value as unknown[]).forEach((v, i) => out.push(...shapeProblems(v, `${at}/${i}`)));
    else if (SCHEMA_VALUES.has(key)) out.push(...shapeProblems(value, at));
    else if (key === "type" && !(typeof value === "string" ? TYPES.has(value) : (value as string[]).every((t) => TYPES.has(t)))) out.push(`${at}: bad type`);
    else if (key === "required" && !(Array.isArray(value) && value.every((v) => typeof v === "string"))) out.push(`${at}: not a list of names`);
    else if (key === "pattern") {
      try {
        new RegExp(value as string, "u");
      } catch {
        out.push(`${at}: not a regular expression`);
      }
    }
  }
  return out;
}

describe("scenarioJsonSchema", () => {
  const schema = scenarioJsonSchema() as Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required: string[] };

  it("declares draft 2020-12 with an $id, a title and a description, first", () => {
    expect(Object.keys(schema).slice(0, 4)).toEqual(["$schema", "$id", "title", "description"]);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(SCENARIO_SCHEMA_ID);
    expect(schema.title).toBe("shardcast scenario");
    expect(schema.description).toEqual(expect.any(String));
  });

  it("describes a scenario object with name, duration and producers required, stream optional (Direct PUT only)", () => {
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["name", "duration", "stream", "producers"]));
    expect(schema.required).toEqual(expect.arrayContaining(["name", "duration", "producers"]));
    expect(schema.required).not.toContain("stream");
    expect(schema.additionalProperties).toBe(false);
  });

  it("describes input as written: unit strings, defaults and ranges", () => {
    const stream = schema.properties.stream as { properties: Record<string, Record<string, unknown>> };
    expect(stream.properties.shards).toMatchObject({ type: "integer", minimum: 1, maximum: 10_000 });
    expect(stream.properties.retention).toMatchObject({ default: "24h" });
    // A unit string only; `0` too where the range holds 0 (warmup), as validation takes it (issue 11: the schema
    // took any number for a duration, which validation refused).
    expect(schema.properties.duration!.anyOf).toEqual([expect.objectContaining({ type: "string", pattern: expect.any(String) })]);
    expect(schema.properties.warmup!.anyOf).toEqual([expect.objectContaining({ type: "string", pattern: expect.any(String) }), { type: "number", const: 0 }]);
    expect(schema.properties.producers).toMatchObject({ type: "array", minItems: 1 });
  });

  it("uses only draft 2020-12 keywords, with well-formed subschemas and patterns", () => {
    expect(shapeProblems(schema)).toEqual([]);
  });

  it("is valid JSON and the same on every call", () => {
    const text = JSON.stringify(scenarioJsonSchema());
    expect(JSON.parse(text)).toEqual(schema);
    expect(JSON.stringify(scenarioJsonSchema())).toBe(text);
  });

  it("gives each caller its own copy", () => {
    const mine = scenarioJsonSchema();
    mine.title = "changed";
    expect(scenarioJsonSchema().title).toBe("shardcast scenario");
  });
});

describe("unit annotations", () => {
  it("publishes the unit and range of unit strings (stream.retention: duration, 24 h to 8760 h)", () => {
    const s = scenarioJsonSchema() as { properties: { stream: { properties: { retention: Record<string, unknown> } } } };
    expect(s.properties.stream.properties.retention["x-unit"]).toBe("duration");
    expect(s.properties.stream.properties.retention["x-range"]).toBe("24 h to 8760 h");
  });
});

// Issue 11: a rate without a unit was records/s and a size without one bytes, while a duration without one was
// refused, and the JSON Schema took a bare number for every one of them. Now every unit field needs its unit (a
// bare 0 is allowed where the range holds 0), and the JSON Schema must accept exactly what `validate` accepts:
// each value below is checked against both, and against the hand-written answer. Ranges are the transform's
// (published as x-range, not as JSON Schema), so every value is in its field's range, or 0.
describe("the JSON Schema and validation accept the same unit values", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const validateJson = ajv.compile(scenarioJsonSchema());
  const base = () => ({
    name: "agree",
    duration: "5m",
    stream: { shards: 2 },
    producers: [
      { name: "web", client: "sdk", rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "1KiB" } },
      { name: "app", client: "sdk", rate: { shape: "constant", value: "10/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "fh" },
    ],
    firehose: [{ name: "fh", source: "direct-put", quotas: { bytes: "5MiB/s" } }],
  });
  type Data = ReturnType<typeof base>;
  const fields: Record<string, (d: Data, v: unknown) => void> = {
    duration: (d, v) => Object.assign(d, { duration: v }),
    warmup: (d, v) => Object.assign(d, { warmup: v }),
    "stream.maxRecordSize": (d, v) => Object.assign(d.stream, { maxRecordSize: v }),
    "producers[0].rate.value": (d, v) => Object.assign(d.producers[0]!.rate, { value: v }),
    "producers[0].recordSize.size": (d, v) => Object.assign(d.producers[0]!.recordSize, { size: v }),
    "firehose[0].quotas.bytes": (d, v) => Object.assign(d.firehose[0]!.quotas, { bytes: v }),
  };
  const cases: [field: string, value: unknown, accepted: boolean][] = [
    ["duration", "5m", true],
    ["duration", " 90 s ", true],
    ["duration", "1.5h", true],
    ["duration", 300, false], // the old JSON Schema took it; validate never did
    ["duration", 0, false], // 0 is below the 1 s minimum: no `0` option in either
    ["duration", "300", false],
    ["duration", "5min", false],
    ["duration", "-5s", false],
    ["duration", "1e3s", false],
    ["warmup", 0, true],
    ["warmup", "0s", true],
    ["warmup", "30s", true],
    ["warmup", 30, false],
    ["stream.maxRecordSize", "2MiB", true],
    ["stream.maxRecordSize", "2MB", true], // legal (a warning says MB is 10^6 B)
    ["stream.maxRecordSize", 2_097_152, false], // bytes before issue 11
    ["producers[0].rate.value", "2000/s", true],
    ["producers[0].rate.value", "2000 records/s", true],
    ["producers[0].rate.value", "120000/m", true],
    ["producers[0].rate.value", "0/s", true],
    ["producers[0].rate.value", 0, true],
    ["producers[0].rate.value", 2000, false], // records/s before issue 11
    ["producers[0].rate.value", 0.5, false],
    ["producers[0].rate.value", "2000", false],
    ["producers[0].rate.value", "2000/d", false],
    ["producers[0].recordSize.size", "512B", true],
    ["producers[0].recordSize.size", "1.5KB", true],
    ["producers[0].recordSize.size", 1024, false], // bytes before issue 11
    ["producers[0].recordSize.size", 0, false], // below the 1 B minimum
    ["producers[0].recordSize.size", "1 kb", false],
    ["firehose[0].quotas.bytes", "5MiB/s", true],
    ["firehose[0].quotas.bytes", "300MiB/m", true],
    ["firehose[0].quotas.bytes", 5_242_880, false], // bytes/s before issue 11
    ["firehose[0].quotas.bytes", "5MiB", false],
  ];

  it("the base scenario passes both", () => {
    expect(ScenarioSchema.safeParse(base()).success).toBe(true);
    expect(validateJson(base()), JSON.stringify(validateJson.errors)).toBe(true);
  });

  it.each(cases)("%s: %j is %s by both", (field, value, accepted) => {
    const data = base();
    fields[field]!(data, value);
    expect({ validate: ScenarioSchema.safeParse(data).success, jsonSchema: validateJson(data) }).toEqual({ validate: accepted, jsonSchema: accepted });
  });
});
