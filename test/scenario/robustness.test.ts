import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkScenario } from "../../src/scenario/index.js";

const BASE = `name: quickstart
duration: 10m
stream: { shards: 4, retention: 48h }
producers:
  - name: web
    client: sdk
    rate: { shape: step, levels: [{ at: 0s, value: "3000/s" }] }
    recordSize: { dist: lognormal, median: 700B, p99: 6KiB }
    partitionKey: { kind: explicit, hashKeys: ["1", "2"], shares: [1, 2] }
    retry: { maxAttempts: 3, base: 100ms, cap: 20s }
`;
const JSON_BASE = JSON.stringify({ name: "q", duration: "10m", stream: { shards: 4 }, producers: [{ name: "w", client: "sdk", rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "fixed", size: "1KiB" } }] }, null, 2);

const piece = fc.constantFrom("", " ", "\n", "  ", ":", "-", "[", "]", "{", "}", ",", '"', "'", "#", "&a", "*a", "x", "0", "-1", "20000", "[]", "{}", "null", "1.5", "sine", "shape", "levels", "🚀", "\t");

/** The text with up to 4 random edits: a range deleted or a piece inserted. */
const mutated = (base: string) =>
  fc
    .array(fc.tuple(fc.nat(base.length), fc.nat(12), piece), { maxLength: 4 })
    .map((edits) => edits.reduce((t, [at, del, ins]) => t.slice(0, at % (t.length + 1)) + ins + t.slice((at % (t.length + 1)) + del), base));

function assertWellFormed(text: string, file: string): void {
  const result = checkScenario(text, file);
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  const lines = text.split("\n");
  for (const p of result.problems) {
    expect(p.file).toBe(file);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines.length);
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.column).toBeLessThanOrEqual([...(lines[p.line - 1] ?? "")].length + 1);
    expect(p.message).not.toMatch(/^(Invalid|Too (big|small)|Unrecognized)/); // no raw zod messages
    expect(p.message).not.toContain("undefined");
  }
}

describe("robustness of the loader", () => {
  it("never throws on damaged YAML and places every problem inside the file", () => {
    fc.assert(fc.property(mutated(BASE), (text) => assertWellFormed(text, "m.yaml")), { numRuns: 400, seed: 7 });
  });

  it("never throws on damaged JSON and places every problem inside the file", () => {
    fc.assert(fc.property(mutated(JSON_BASE), (text) => assertWellFormed(text, "m.json")), { numRuns: 400, seed: 11 });
  });
});
