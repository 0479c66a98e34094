// docs/scenario-reference.md is generated from the schema; this test fails when the committed file is stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REFERENCE_FILE, scenarioReferenceDocument } from "./reference.js";

const root = join(import.meta.dirname, "..", "..");

describe("docs/scenario-reference.md", () => {
  it("is the reference generated from the current schema (run `npm run docs` after changing the schema)", () => {
    const committed = readFileSync(join(root, REFERENCE_FILE), "utf8");
    expect(committed).toBe(scenarioReferenceDocument());
  });

  it("has a row for every top-level scenario field", () => {
    const committed = readFileSync(join(root, REFERENCE_FILE), "utf8");
    for (const field of ["name", "seed", "duration", "warmup", "fidelity", "stream", "producers", "consumers", "firehose", "faults", "slo"]) {
      expect(committed).toContain(`| \`${field}\` |`);
    }
  });

});
