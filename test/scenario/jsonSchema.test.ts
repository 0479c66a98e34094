import { describe, expect, it } from "vitest";
import { SCENARIO_SCHEMA_ID, scenarioJsonSchema } from "../../src/scenario/index.js";

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
    expect(schema.properties.duration!.anyOf).toEqual([expect.objectContaining({ type: "string", pattern: expect.any(String) }), { type: "number" }]);
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
