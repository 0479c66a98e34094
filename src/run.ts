// The pipeline, end to end:
//
//   scenario text ──parse──▶ Scenario ──simulate──▶ RunResult ──render──▶ report.json, report.md
//   (src/scenario)            (src/model on src/engine)        (src/report, pure)
//
// Only src/cli reads the file, hashes it and writes the outputs.

import { simulate, type SimulateOptions } from "./model/simulation.js";
import type { RunResult } from "./model/runResult.js";
import { reportJsonText, type Provenance } from "./report/json.js";
import { buildReportMarkdown } from "./report/markdown.js";
import { parseScenario } from "./scenario/load.js";
import type { Scenario } from "./scenario/schema.js";

export interface RunOutputs {
  scenario: Scenario;
  result: RunResult;
  files: { "report.json": string; "report.md": string };
}

export interface RunOptions extends SimulateOptions {
  granularity?: "batch" | "record";
}

export function runScenario(scenario: Scenario, provenance: Provenance, options: RunOptions = {}): RunOutputs {
  const effective: Scenario = options.granularity ? { ...scenario, fidelity: { ...scenario.fidelity, granularity: options.granularity } } : scenario;
  const result = simulate(effective, options);
  return {
    scenario: effective,
    result,
    files: {
      "report.json": reportJsonText(result, provenance),
      "report.md": buildReportMarkdown(result, provenance),
    },
  };
}

export function runScenarioText(text: string, provenance: Provenance, options: RunOptions = {}): RunOutputs {
  return runScenario(parseScenario(text, provenance.scenarioFile), provenance, options);
}
