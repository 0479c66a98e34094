// The sample scenarios whose reports are committed under reports/ (golden files). `npm run golden`
// regenerates them; test/golden/golden.test.ts fails when the code moves them without the files moving too.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runScenarioText } from "../../src/run.js";

export const SAMPLES = ["quickstart", "hot-key", "lease-table-throttling", "fanout-vs-polling"] as const;

export function renderSample(root: string, name: string): Record<string, string> {
  const file = `scenarios/${name}.yaml`;
  const bytes = readFileSync(join(root, file));
  const out = runScenarioText(bytes.toString("utf8"), {
    scenarioFile: file,
    scenarioSha256: createHash("sha256").update(bytes).digest("hex"),
  });
  return out.files;
}
