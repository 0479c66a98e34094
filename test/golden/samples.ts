// The sample scenarios whose reports are committed under reports/ (golden files). `npm run golden`
// regenerates them; test/golden/golden.test.ts fails when the code moves them without the files moving too.
// Golden: report.json, report.md and charts/<name>.vl.json and .svg (Vega's SVG is the same bytes on every
// machine). Not committed: report.html (mostly the inlined Vega libraries; a function of the files above)
// and the PNGs (font rasterisation may differ between machines).

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chartFiles, runScenarioText } from "../../src/run.js";
import { prepareSweep, runSweepHere, sweepChartFiles, sweepOutputs } from "../../src/sweep/sweep.js";
import { parseScenario } from "../../src/scenario/load.js";
import { resolveTraces } from "../../src/scenario/traces.js";

export const SAMPLES = ["quickstart", "hot-key", "lease-table-throttling", "fanout-vs-polling", "kpl-aggregation", "replay-cloudwatch", "firehose-buffering", "destination-outage", "enrichment-pipeline", "autoscaling-replay", "reshard-hot-shard", "on-demand-vs-provisioned", "lambda-consumer", "kcl-to-dynamodb", "kcl3-rebalance", "flink-processor", "flink-and-lambda"] as const;

/** The sample's report files; `edit` changes the scenario text first (to compare a variant with the sample). */
export function renderSample(root: string, name: string, edit: (text: string) => string = (t) => t): Record<string, string> {
  const file = `scenarios/${name}.yaml`;
  const original = readFileSync(join(root, file));
  const text = edit(original.toString("utf8"));
  const bytes = text === original.toString("utf8") ? original : Buffer.from(text, "utf8");
  const traces = resolveTraces(parseScenario(text, file), file, (path) => readFileSync(join(root, path), "utf8"));
  const out = runScenarioText(text, { scenarioFile: file, scenarioSha256: createHash("sha256").update(bytes).digest("hex") }, { traces });
  return out.files;
}

/** The sample's charts (charts/<name>.vl.json and .svg), built from its report.json. */
export async function renderSampleCharts(reportJson: string): Promise<Record<string, string>> {
  return (await chartFiles(reportJson)).files;
}

/** Sample sweeps whose reports are committed under reports/<name>/sweep/ (docs/sweeps.md shows the command). */
export const SWEEP_SAMPLES = [
  { name: "clickstream-sizing", vary: ["stream.shards=4..24:4"], replications: 3 },
  { name: "enrichment-pipeline", vary: ["streams[enriched].shards=1..4"], replications: 3 },
  { name: "kcl3-rebalance", vary: ["consumers[scorer].kcl.version=2,3"], replications: 3 },
] as const;

/** sweep.json, sweep.md and the sweep's charts (charts/<name>.vl.json and .svg). */
export async function renderSweepSample(root: string, sample: (typeof SWEEP_SAMPLES)[number]): Promise<Record<string, string>> {
  const file = `scenarios/${sample.name}.yaml`;
  const bytes = readFileSync(join(root, file));
  const p = prepareSweep(bytes.toString("utf8"), file, createHash("sha256").update(bytes).digest("hex"), [...sample.vary], sample.replications, (path) =>
    readFileSync(join(root, path), "utf8"),
  );
  const files = sweepOutputs(p, runSweepHere(p), 0.95).files;
  return { ...files, ...(await sweepChartFiles(files["sweep.json"])).files };
}
