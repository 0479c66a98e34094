// helper-68's fuzz findings F3 and F2: reshards completing at the same instant each listed the other's new shards and the
// open shards after both ("UpdateShardCount to 13" where the target was 8); a reshard the service refused at run time
// appeared nowhere in the report.
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const id = (i: number) => `shardId-${String(i).padStart(12, "0")}`;
const run = (reshards: unknown[], stream: Record<string, unknown> = {}, o = { duration: "1m", warmup: "5s", rate: "1000/s", size: "500B" }) => {
  const r = simulateScenario(
    scenarioOf({
      seed: 3,
      duration: o.duration,
      warmup: o.warmup,
      stream: { name: "s", shards: 4, reshardDuration: { splitMerge: "0s", uniformScaling: "0s", uniformScalingQuarter: "0s" }, ...stream },
      reshards,
      producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: o.size } }],
    }),
  );
  return { r, md: buildReportMarkdown(r, PROVENANCE, verdictOf(r)), json: buildReportJson(r, PROVENANCE, verdictOf(r)) };
};

describe("a split and a merge completing at the same instant", () => {
  // 4 shards; shard 0 split at 0:10 (done at once: shards 4 and 5, 5 open), then shards 1 and 2 merged at 0:10 (shard 6, 4 open).
  const { md, json } = run([
    { at: "10s", kind: "split", shard: 0 },
    { at: "10s", kind: "merge", shards: [1, 2] },
  ]);
  it("lists each one's own new shards and the open shards after it, in report.json", () => {
    expect(json.stream.reshards!.map((x) => ({ closed: x.closed, opened: x.opened, after: x.openShardsAfter }))).toEqual([
      { closed: [id(0)], opened: [id(4), id(5)], after: 5 },
      { closed: [id(1), id(2)], opened: [id(6)], after: 4 },
    ]);
  });
  it("and in report.md", () => {
    expect(md).toContain(`- SplitShard of ${id(0)}: called at 0:00:10, the stream UPDATING until 0:00:10; closed ${id(0)}; opened ${id(4)}, ${id(5)} (5 open shards)`);
    expect(md).toContain(`- MergeShards of ${id(1)} and ${id(2)}: called at 0:00:10, the stream UPDATING until 0:00:10; closed ${id(1)}, ${id(2)}; opened ${id(6)} (4 open shards)`);
  });
});

describe("an UpdateShardCount and a split completing at the same instant", () => {
  // 4 shards; UpdateShardCount to 8 at 0:10 (done at once: shards 4 to 11, 8 open), then shard 4 split at 0:10 (12 and 13, 9 open).
  const { md, json } = run([
    { at: "10s", kind: "update-shard-count", target: 8 },
    { at: "10s", kind: "split", shard: 4 },
  ]);
  it("names the UpdateShardCount's target, not the open shards after both", () => {
    expect(md).toContain(`- UpdateShardCount to 8: called at 0:00:10, the stream UPDATING until 0:00:10; closed ${id(0)}, ${id(1)}, ${id(2)}, ${id(3)}; opened ${[4, 5, 6, 7, 8, 9, 10, 11].map(id).join(", ")} (8 open shards)`);
    expect(md).toContain(`- SplitShard of ${id(4)}: called at 0:00:10, the stream UPDATING until 0:00:10; closed ${id(4)}; opened ${id(12)}, ${id(13)} (9 open shards)`);
    expect(json.stream.reshards!.map((x) => [x.opened.length, x.openShardsAfter])).toEqual([[8, 8], [2, 9]]);
  });
});

describe("an UpdateShardCount the service refuses at run time", () => {
  // On demand, 3,000 records/s of 1 KiB against a split trigger of 100,000 B/s: the service splits the 4 shards into 32
  // (called 0:00:10, done 0:00:30). Switched to provisioned at 1:00, UpdateShardCount to 2 at 1:10: with 32 open shards
  // the target must be 16 to 64 (half to twice), so the service refuses it and the stream keeps its 32 shards.
  const { md, json } = run(
    [
      { at: "60s", kind: "switch-mode", mode: "provisioned" },
      { at: "70s", kind: "update-shard-count", target: 2 },
    ],
    { mode: "on-demand", shards: undefined, onDemand: { scaleDelay: "30s", checkInterval: "10s", splitTrigger: "100000B/s" } },
    { duration: "2m", warmup: "10s", rate: "3000/s", size: "1KiB" },
  );
  const reason = "TargetShardCount 2 with 32 open shards: it must be between half and twice the open shards, 16 to 64";
  it("is listed in report.json with when, what and why", () => {
    expect(json.stream.openShards.atEnd).toBe(32);
    expect(json.stream.refusedReshards).toEqual([{ kind: "update-shard-count", by: "scenario", calledAtSeconds: 70, target: 2, rule: "target", reason }]);
  });
  it("and in report.md's reshards section", () => {
    expect(md).toContain(`- UpdateShardCount to 2: called at 0:01:10, **refused**, so it changed nothing: ${reason}.`);
  });
});
