// report.json's JSON Schema: generated from src/report/reportTypes.ts (test/docs/reportSchema.ts), committed as
// src/report/reportSchema.json and printed by `shardcast schema --report`. Every committed sample report must
// validate against it, and reports that break the contract must not.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { REPORT_SCHEMA_FILE, reportSchemaText } from "./reportSchema.js";

const root = join(import.meta.dirname, "..", "..");
const committed = readFileSync(join(root, REPORT_SCHEMA_FILE), "utf8");
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);
const samples = readdirSync(join(root, "reports")).filter((d) => readdirSync(join(root, "reports", d)).includes("report.json"));
const sample = (name: string) => JSON.parse(readFileSync(join(root, "reports", name, "report.json"), "utf8")) as Record<string, unknown>;

describe("the JSON Schema of report.json", () => {
  it("is what src/report/reportTypes.ts generates (run `npm run docs` after changing the report's types)", () => {
    expect(committed).toBe(reportSchemaText());
  });

  it.each(samples)("reports/%s/report.json validates against it", (name) => {
    const ok = validate(sample(name));
    expect(validate.errors ?? [], name).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects a report with a field missing, a field it does not know, or a wrong type", () => {
    const base = sample("quickstart");
    const { verdict: _, ...missing } = base;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...base, surprise: 1 })).toBe(false);
    expect(validate({ ...base, run: { ...(base.run as object), events: "many" } })).toBe(false);
    expect(validate({ ...base, schema: "shardcast.report/0" })).toBe(false);
  });
});
