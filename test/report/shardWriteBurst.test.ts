// A shard whose writers offer more than its 1,000 records/s for a while gets it all in on its write buckets' burst
// (stream.writeBurst), until the burst runs out: the report says so, and when, instead of "No write throttling" (or a
// throttled run with no word of the burst). Closed form: the burst lasts its size ÷ (offered − limit).
//
// One shard, stream.writeBurst 60 s: 60 s × 1,000 records/s = 60,000 records when full. 500 records/s of 100 B (the
// bucket stays full) until 3:00, then 1,500 records/s: 500 a second over the limit, so the burst runs out
// 60,000 ÷ (1,500 − 1,000) = 120 s later, at 0:05:00. Bytes stay far under 1 MiB/s (1,500 × (100 + 36) B ≈ 199 KiB/s).
// Run to 6:00 it runs out, and throttles from then; run to 4:30 (270 s) it has 60,000 − 90 × 500 = 15,000 records
// left, which last 15,000 ÷ 500 = 30 s past the end: to 0:05:00 again.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { runSummary } from "../../src/report/summary.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { buildReportJson } from "../../src/report/json.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

const run = (duration: string, writeBurst = "60s") =>
  simulateScenario(
    scenarioOf({
      duration,
      warmup: "1m",
      stream: { shards: 1, writeBurst },
      producers: [
        {
          name: "p",
          client: "sdk",
          instances: 4,
          rate: { shape: "step", levels: [{ at: "0s", value: "500/s" }, { at: "3m", value: "1500/s" }] },
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "random", length: 36 },
        },
      ],
      slo: { writeThrottledPercent: 1 },
    }),
  );

describe("a shard that takes a surge on its write burst until it runs out (6 minutes)", () => {
  const r = run("6m");
  const v = verdictOf(r);
  const md = buildReportMarkdown(r, provenance, v);

  it("ran out about 120 s after the surge began, at 0:05:00 (within 3 s: Poisson arrivals), drawing about 500 records/s over the limit", () => {
    const d = v.writeBurst!;
    expect(d).toHaveLength(1);
    expect(d[0]!.shard).toBe("shardId-000000000000");
    expect(d[0]!.limit).toBe("records");
    expect(d[0]!.fullUnits).toBe(60_000);
    expect(d[0]!.fromUs).toBe(180e6);
    expect(Math.abs(d[0]!.ranOutAtUs! / 1e6 - 300)).toBeLessThanOrEqual(3);
    expect(Math.abs(d[0]!.overPerSecond - 500)).toBeLessThan(15);
  });

  it("the writes bullet says it kept pace only on its burst until it ran out at 0:05:00, and throttled from then", () => {
    expect(v.binding.throttling).toBe(true);
    expect(md).toMatch(
      /Binding limit: \*\*shard write records .*\. Before throttling, a shard kept pace only on its write burst \(stream\.writeBurst 60 s\): shardId-000000000000 took (4[89]\d|5[01]\d) records\/s over its 1,000 records\/s from 0:03:00 until it ran out at 0:0(4:5[7-9]|5:0[0-3]) \(60,000 records when full\); throttled from then\./,
    );
    expect(runSummary(r, v)).toMatch(/binding write limit: shard write records \(write burst ran out on 1 shard, shardId-000000000000 first, at 0:0(4:5[7-9]|5:0[0-3])\)/);
  });
});

describe("a shard still drawing on its write burst at the end (4 min 30 s)", () => {
  const r = run("270s");
  const v = verdictOf(r);
  const md = buildReportMarkdown(r, provenance, v);

  it("has about 15,000 records left at the end, which last to about 0:05:00 (within 3 s)", () => {
    const d = v.writeBurst!;
    expect(d).toHaveLength(1);
    expect(d[0]!.ranOutAtUs).toBeNull();
    expect(Math.abs(d[0]!.leftAtEnd! - 15_000)).toBeLessThan(1_500);
    expect(Math.abs(d[0]!.lastsUntilUs! / 1e6 - 300)).toBeLessThanOrEqual(3);
  });

  it("is not 'No write throttling' alone: the bullet and the summary say a longer run throttles, and when", () => {
    expect(v.binding.throttling).toBe(false);
    expect(md).toMatch(
      /No write throttling\. The limit closest to binding: \*\*shard write records .*\*\*\. But a shard keeps pace only on its write burst \(stream\.writeBurst 60 s\), so a longer run throttles: shardId-000000000000 has taken (4[89]\d|5[01]\d) records\/s over its 1,000 records\/s since 0:03:00, 1\d,\d\d\d of its 60,000 records left at the end: at that pace it runs out at 0:0(4:5[7-9]|5:0[0-3]), and throttles about (4[89]\d|5[01]\d) records\/s from then\./,
    );
    expect(runSummary(r, v)).toContain("(1 shard keeping pace only on the write burst, shardId-000000000000 running out at 0:0");
    const json = buildReportJson(r, provenance, v);
    expect(json.verdict.writeBurst?.[0]).toMatchObject({ shard: "shardId-000000000000", limit: "records", fullUnits: 60_000, fromSeconds: 180, ranOutAtSeconds: null });
  });
});

describe("no draw to speak of", () => {
  it("with the default 1 s burst the surge empties it in 1,000 ÷ 500 = 2 s: a spike the throttled seconds show, no burst draw", () => {
    const r = run("6m", "1s");
    expect(r.writeBurst).toBeUndefined();
    expect(buildReportMarkdown(r, provenance)).not.toContain("write burst (");
  });
});
