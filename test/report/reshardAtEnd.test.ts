// A reshard completing exactly at the run's end: its children are open at that instant (UpdateShardCount sets the
// stream back to ACTIVE when the update is complete, API reference:
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html). The report stated two counts:
// "32 → 64 open" in the stream table and "(64 open shards)" after the reshard, but "open shards from 32 to 32" in the
// autoscaling section, whose count skipped the shards opened, and the parents closed, at the end instant.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { scalingInputOf, scalingSummary } from "../../src/result/scaling.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const S = 1_000_000;

// 32 shards, 10 minutes; UpdateShardCount to 64 at 8:00. 64 is 200% of 32, a multiple of 25%, so it takes
// reshardDuration.uniformScalingQuarter (2 min, the default) and completes at 10:00, the run's end. A scaling-utils
// policy watches the stream (so the report has its autoscaling section) and never fires: 2,000 records/s of 500 B is
// 6% of 32 shards' records limit, between its 1% scale-down and 95% scale-up thresholds.
const scenario = (policy: "scheduled" | "policy") =>
  scenarioOf({
    seed: 3,
    duration: "10m",
    warmup: "1m",
    stream: { name: "s", shards: 32 },
    producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "500B" } }],
    reshards: policy === "scheduled" ? [{ at: "8m", kind: "update-shard-count", target: 64 }] : [],
    autoscaling: [
      {
        policy: "scaling-utils",
        scaleOnOperation: ["PUT"],
        checkInterval: 60,
        scaleUp: { scaleThresholdPct: 95, scaleAfterMins: 5, scalePct: 200, coolOffMins: 15 },
        scaleDown: { scaleThresholdPct: 1, scaleAfterMins: 30, scalePct: 50, coolOffMins: 60 },
      },
    ],
  });

describe("an UpdateShardCount 32 → 64 completing exactly at the end of the run", () => {
  const r = simulateScenario(scenario("scheduled"));
  const run = r.streams[0]!;
  const md = buildReportMarkdown(r, PROVENANCE, verdictOf(r));
  const summary = scalingSummary(scalingInputOf(run, r.consumers, r.resolutionUs, r.durationUs));

  it("completes at the end (called at 8:00, UPDATING for 2 min), not after it", () => {
    expect(run.reshards.map((x) => [x.calledAtUs / S, x.doneAtUs / S, x.inProgressAtEnd])).toEqual([[480, 600, undefined]]);
  });

  it("the run's open shards at the end, the reshard's, and the autoscaling summary's most are all the target, 64", () => {
    expect(run.stream.openShards).toMatchObject({ atStart: 32, atEnd: 64 });
    expect(run.reshards[0]!.openAfter).toBe(64);
    expect([summary.minShards, summary.maxShards]).toEqual([32, 64]);
  });

  it("the children add no shard-hours: 32 shards × 10 min = 5.33 shard-hours", () => {
    expect(summary.shardHours).toBeCloseTo((32 * 10) / 60, 9);
  });

  it("report.md states 64 in the stream table, the reshards section and the autoscaling section", () => {
    expect(md).toMatch(/\| s \| 32 → 64 open \|/);
    expect(md).toContain("(64 open shards)");
    expect(md).toContain("open shards from 32 to 64, 5.3 shard-hours over the run");
  });
});

describe("the same run without the reshard", () => {
  const r = simulateScenario(scenario("policy"));
  const s = scalingSummary(scalingInputOf(r.streams[0]!, r.consumers, r.resolutionUs, r.durationUs));
  it("keeps 32 open from start to end", () => {
    expect(r.streams[0]!.stream.openShards).toMatchObject({ atStart: 32, atEnd: 32 });
    expect([s.minShards, s.maxShards, s.events]).toEqual([32, 32, 0]);
    expect(s.shardHours).toBeCloseTo((32 * 10) / 60, 9);
  });
});
