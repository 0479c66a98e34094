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

const run = (duration: string, writeBurst = "60s", slo: Record<string, unknown> = { writeThrottledPercent: 1 }) =>
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
      slo,
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

describe("an SLO met only because the write burst lasts to the end is met so far (4 min 30 s)", () => {
  // At the end the shard still has ~15,000 of its 60,000 records of burst, drawn at 500 a second: it runs out 30 s after
  // the end, at 0:05:00. From then it is offered 1,500 records/s and takes at most its 1,000: at least
  // 500 ÷ 1,500 = 1/3 of its attempts are refused, retries or not (they only add attempts). One shard: that is 1/3 of
  // the stream's attempts, over the 0.1% target (and their retries add refused attempts: burstThrottleAndPutLatency.test).
  // The SDK's 3 attempts: 54% of the records it takes get in only after a retry, over the 1% tail of a put-latency p99,
  // and their 600 ms of backoff can take its 93 ms past 400 ms; a p50 of 20 ms + 600 ms stays under 1 s. Before, the
  // verdict read "all 3 SLOs met" and each SLO "yes". It is true of a longer run: to 6:00 the same run throttles 31.4% of
  // its put attempts (missing the 0.1%) and its put latency p99 is 479 ms (93 ms to 4:30); to 15:00, 61.4% and 579 ms.
  const slo = { writeThrottledPercent: 0.1, putLatencyP50: "1s", putLatencyP99: "400ms" };
  const r = run("270s", "60s", slo);
  const v = verdictOf(r);
  const md = buildReportMarkdown(r, provenance, v);
  const at = (name: string) => v.slos.find((s) => s.name === name)!;

  it("judges the throttling and put p99 SLOs met on the burst, which runs out at about 0:05:00 and then refuses about 1/3", () => {
    for (const name of ["writeThrottledPercent", "putLatencyP99"]) {
      const b = at(name).onWriteBurst!;
      expect(at(name).met).toBe(true);
      expect(b).toMatchObject({ stream: "test", shard: "shardId-000000000000" });
      expect(Math.abs(b.runsOutAtUs / 1e6 - 300)).toBeLessThanOrEqual(3);
      expect(Math.abs(b.refusedShare - 1 / 3)).toBeLessThan(0.01);
    }
    // A p50's 20 ms and the retries' 600 ms of backoff stay under its 1 s.
    expect(at("putLatencyP50").onWriteBurst).toBeUndefined();
  });

  it("says 'met so far' in the verdict's head, the SLO table and the command line, with when the burst runs out", () => {
    expect(md).not.toContain("**Verdict: all 3 SLOs met.**");
    expect(md).toMatch(
      /\*\*Verdict: all 3 SLOs met so far: put attempts throttled and put latency p99 are met while shardId-000000000000's write burst \(stream\.writeBurst\) lasts: at the run's pace it runs out at 0:0(4:5[7-9]|5:0[0-3]), after the end, and the shard refuses at least 3[34]% of its writes from then, so a longer run may miss them\.\*\*/,
    );
    expect(md).toMatch(/\| put attempts throttled \| ≤ 0\.1% \| 0% \| yes, so far \(shardId-000000000000's write burst runs out at 0:0(4:5[7-9]|5:0[0-3]) at the run's pace\) \|/);
    expect(md).toMatch(/\| put latency p50 \| ≤ 1 s \| [\d.]+ ms \| yes \|/);
    expect(md).toMatch(/\| put latency p99 \| ≤ 400 ms \| [\d.]+ ms \| yes, so far \(shardId-000000000000's write burst/);
    expect(runSummary(r, v)).toMatch(/^test: all SLOs met so far \(writeThrottledPercent, putLatencyP99: shardId-000000000000's write burst runs out at 0:0(4:5[7-9]|5:0[0-3]) at the run's pace\);/);
    const json = buildReportJson(r, provenance, v);
    expect(json.verdict.slos[0]).toMatchObject({ name: "writeThrottledPercent", met: true, metSoFar: "writeBurst", onWriteBurst: { stream: "test", shard: "shardId-000000000000" } });
    // p50 is met outright: no metSoFar.
    expect(json.verdict.slos.find((s) => s.name === "putLatencyP50")!.metSoFar).toBeUndefined();
    expect(Math.abs(json.verdict.slos[0]!.onWriteBurst!.runsOutAtSeconds - 300)).toBeLessThanOrEqual(3);
  });
});
