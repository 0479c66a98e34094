// The progress hook of simulate() (src/model/simulate.ts): called as virtual time advances, with the virtual time
// reached and the events run so far, and without changing a thing about the run. Sliced into a thousand
// runUntil calls, a run still executes its events in the same order: three sample scenarios (a KCL application
// whose lease table throttles, a Direct PUT delivery stream through a destination outage, a two-stream pipeline
// with a writer and Firehose) give byte-identical report.json and report.md with and without it.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { PROGRESS_STEPS, type SimProgress } from "../../src/model/simulate.js";
import { runScenarioText } from "../../src/run.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveTraces } from "../../src/scenario/traces.js";

const root = join(import.meta.dirname, "..", "..");

function runSample(name: string, onProgress?: (p: SimProgress) => void) {
  const file = `scenarios/${name}.yaml`;
  const text = readFileSync(join(root, file), "utf8");
  const traces = resolveTraces(parseScenario(text, file), file, (path) => readFileSync(join(root, path), "utf8"));
  const provenance = { scenarioFile: file, scenarioSha256: createHash("sha256").update(text).digest("hex") };
  return runScenarioText(text, provenance, { traces, onProgress });
}

describe.concurrent("simulate's progress hook", () => {
  for (const name of ["lease-table-throttling", "destination-outage", "enrichment-pipeline"]) {
    it(`${name}: the same report bytes with and without it; ${PROGRESS_STEPS} calls, virtual time rising to the end, events counted`, ({ expect }) => {
      const calls: SimProgress[] = [];
      const withHook = runSample(name, (p) => calls.push(p));
      const without = runSample(name);
      expect(withHook.files["report.json"]).toBe(without.files["report.json"]);
      expect(withHook.files["report.md"]).toBe(without.files["report.md"]);

      const duration = withHook.result.durationUs;
      expect(calls).toHaveLength(PROGRESS_STEPS);
      calls.forEach((c, i) => {
        expect(c.durationUs).toBe(duration);
        // Whole microseconds, i/1000 of the run.
        expect(c.virtualUs).toBe(Math.floor((duration * (i + 1)) / PROGRESS_STEPS));
        if (i > 0) expect(c.events).toBeGreaterThanOrEqual(calls[i - 1]!.events);
      });
      expect(calls.at(-1)).toEqual({ virtualUs: duration, durationUs: duration, events: withHook.result.engine.events });
      expect(calls[PROGRESS_STEPS / 2 - 1]!.events).toBeGreaterThan(0);
    });
  }
});
