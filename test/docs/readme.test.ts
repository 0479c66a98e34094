import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withReference } from "./readme.js";

const root = join(import.meta.dirname, "..", "..");

describe("README", () => {
  it("carries the scenario reference generated from the current schema (npm run docs)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toBe(withReference(readme));
  });

  it("quick start has exactly the two commands: run the sample, run the tests", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const quick = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## How it models"));
    const commands = [...quick.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(["npm ci && npm start -- run scenarios/quickstart.yaml", "npm ci && npm test"]);
  });

  it(".ci/run runs the README's test command", () => {
    const ci = readFileSync(join(root, ".ci", "run"), "utf8");
    expect(ci).toContain("npm ci && npm test");
  });
});
