// A part file carries its runs' summaries as the runs made them: an SLO a run had no data for (a consumer that made no
// GetRecords call after warmup: test/result/iteratorAgeNoData.test.ts) is marked noData, and every reason has its kind.
// PartSchema refused the noData mark (a strict object without it), so `merge` refused the parts of such a sweep as
// "changed or damaged".
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkPartShape, PART_SCHEMA } from "../../src/cli/partFile.js";
import { CliError } from "../../src/cli/errors.js";

const scenarioText = "name: x\n";
const part = (summary: Record<string, unknown>) => ({
  schema: PART_SCHEMA,
  shardcastVersion: "0.1.0",
  scenarioFile: "x.yaml",
  scenarioSha256: createHash("sha256").update(scenarioText).digest("hex"),
  scenarioText,
  varies: ["stream.shards=2"],
  replications: 1,
  confidence: 0.95,
  partition: { index: 1, count: 1 },
  traces: {},
  digest: "0".repeat(64),
  summaries: [{ task: 0, config: 0, replication: 0, seed: 1, metrics: { monthlyCostUsd: 1 }, events: 10, ...summary }],
});

describe("a part file's run summaries", () => {
  it("keep an SLO without data (noData) and each reason's kind", () => {
    const data = part({
      slos: [{ name: "maxIteratorAge", met: false, noData: true }],
      reasons: [{ slo: "maxIteratorAge", reason: "consumer c: no GetRecords call after warmup (no iterator age to judge)", kind: "consumer c: no GetRecords call after warmup (no iterator age to judge)" }],
    });
    const checked = checkPartShape(data, "part.json");
    expect(checked.summaries[0]!.slos).toEqual([{ name: "maxIteratorAge", met: false, noData: true }]);
    expect(checked.summaries[0]!.reasons[0]!.kind).toBe("consumer c: no GetRecords call after warmup (no iterator age to judge)");
  });

  it("refuse a reason without its kind, naming the field", () => {
    const data = part({ slos: [], reasons: [{ slo: "writeThrottledPercent", reason: "hot shard" }] });
    expect(() => checkPartShape(data, "part.json")).toThrow(CliError);
    expect(() => checkPartShape(data, "part.json")).toThrow(/part\.json: summaries\[0\]\.reasons\[0\]\.kind: expected string, got nothing/);
  });
});
