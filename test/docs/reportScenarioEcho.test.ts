// report.json echoes the parsed scenario under `scenario`; its JSON Schema (src/report/reportSchema.json) must
// describe that echo everywhere, the stream too. The stream's zod schema fills in `shards` with a transform, which
// JSON Schema cannot represent: left alone, zod wrote `{}` there, and the schema took anything as scenario.stream.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";
import { REPORT_SCHEMA_FILE } from "./reportSchema.js";

type Json = Record<string, unknown>;

const root = join(import.meta.dirname, "..", "..");
const schema = JSON.parse(readFileSync(join(root, REPORT_SCHEMA_FILE), "utf8")) as Json;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const validateEcho = ajv.compile({ $ref: `${schema.$id as string}#/properties/scenario` });

/** Every file named `name` under `dir`, as paths relative to the repository. */
function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesNamed(path, name);
    return entry === name ? [relative(root, path)] : [];
  });
}

const reports = filesNamed(join(root, "reports"), "report.json");
const report = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8")) as Json;
const scenarioOf = (r: Json) => r.scenario as Json;

/** The subschema at `path` (property names, and "items" for a list's elements). */
function at(path: string[]): Json {
  return path.reduce<Json>((node, key) => (key === "items" ? (node.items as Json) : ((node.properties as Json)[key] as Json)), schema);
}

const SHAPE = ["type", "properties", "$ref", "anyOf", "oneOf", "allOf", "enum", "const", "items", "not"];

/**
 * Where the schema says nothing of a value's shape (no type, properties, $ref or combinator: what zod writes for a
 * transform with `unrepresentable: "any"`), as JSON pointers. Defaults and examples are values, not schemas.
 */
function openSchemas(node: unknown, path = "#"): string[] {
  if (node === true || (typeof node === "object" && node !== null && !SHAPE.some((k) => k in node))) return [path];
  if (typeof node !== "object" || node === null) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" || key === "definitions" || key === "$defs") {
      for (const [name, sub] of Object.entries(value as Json)) out.push(...openSchemas(sub, `${path}/${key}/${name}`));
    } else if (key === "anyOf" || key === "oneOf" || key === "allOf" || (key === "items" && Array.isArray(value))) {
      (value as unknown[]).forEach((sub, i) => out.push(...openSchemas(sub, `${path}/${key}/${i}`)));
    } else if (key === "not" && typeof value === "object" && value !== null && Object.keys(value).length === 0) {
      // `not: {}` takes nothing: a field that must be absent (z.never: a Lambda consumer's sink's `buffer`), a definite shape.
    } else if (key === "items" || key === "not" || (key === "additionalProperties" && typeof value === "object")) {
      out.push(...openSchemas(value, `${path}/${key}`));
    }
  }
  return out;
}

describe("report.json's schema of the scenario echo", () => {
  it("leaves no value's shape open: every property has a type, properties, a $ref or a combinator", () => {
    expect(openSchemas(schema)).toEqual([]);
  });

  it.each([
    [["scenario", "stream"], []],
    [["scenario", "streams", "items"], ["name"]],
  ])("%j lists the stream's fields, shards required (filled in by parsing) and no others", (path, required) => {
    const stream = at(path);
    expect(stream.type).toBe("object");
    expect(stream.additionalProperties).toBe(false);
    expect(Object.keys(stream.properties as Json)).toEqual(
      expect.arrayContaining(["name", "mode", "shards", "onDemand", "reshardDuration", "retention", "maxRecordSize", "writeBurst", "readBurst"]),
    );
    expect(stream.required).toEqual(expect.arrayContaining(["mode", "shards", "onDemand", "retention", ...required]));
    expect(((stream.properties as Json).shards as Json).type).toBe("integer");
    expect(((stream.properties as Json).retention as Json).type).toBe("number");
  });

  it.each(reports)("%s validates against it", (path) => {
    const ok = validate(report(path));
    expect(validate.errors ?? [], path).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects a report whose stream's shards is a string, or whose stream has a field parsing never gives", () => {
    const quickstart = report("reports/quickstart/report.json");
    const stream = scenarioOf(quickstart).stream as Json;
    expect(stream.shards).toBe(4);
    const withStream = (s: Json) => ({ ...quickstart, scenario: { ...scenarioOf(quickstart), stream: s } });
    expect(validate(withStream(stream))).toBe(true);
    expect(validate(withStream({ ...stream, shards: "4" }))).toBe(false);
    expect(validate(withStream({ ...stream, retention: "24h" }))).toBe(false);
    expect(validate(withStream({ ...stream, shardsStated: true }))).toBe(false);
    const { shards: _, ...noShards } = stream;
    expect(validate(withStream(noShards))).toBe(false);
  });

  it("rejects a report whose streams: list has a stream with shards as a string", () => {
    const pipeline = report("reports/enrichment-pipeline/report.json");
    const streams = scenarioOf(pipeline).streams as Json[];
    const withStreams = (list: Json[]) => ({ ...pipeline, scenario: { ...scenarioOf(pipeline), streams: list } });
    expect(validate(withStreams(streams))).toBe(true);
    expect(validate(withStreams([{ ...streams[0], shards: "4" }, ...streams.slice(1)]))).toBe(false);
  });

  it("takes On-demand Advantage's 10,240 shards for 10 GiB/s of warm throughput (10 GiB/s ÷ 1 MiB/s), past a stated 10,000", () => {
    const text = [
      "name: warm",
      "duration: 1m",
      "stream: { mode: on-demand-advantage, shards: 10000, onDemand: { warmThroughput: 10GiB/s } }",
      "producers: [{ name: p, client: sdk, rate: { shape: constant, value: 1/s }, recordSize: { dist: fixed, size: 1KiB } }]",
    ].join("\n");
    const echo = JSON.parse(JSON.stringify(parseScenario(text, "warm.yaml"))) as Json;
    expect((echo.stream as Json).shards).toBe(10_240);
    const ok = validateEcho(echo);
    expect(validateEcho.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
