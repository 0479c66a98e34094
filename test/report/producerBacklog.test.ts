// An overloaded producer that retries without a limit loses nothing, but its records pile up awaiting retry: the
// "Records lost" bullet says how many were still in flight at the end and that they grew, and the put-latency figures,
// which count only the records acknowledged, are marked lower bounds (≥) when those awaiting retry are enough to set
// them (helper-51: "0% lost" and "put latency p99 2 min 53 s" with 23% of the records awaiting retry, growing 600/s).
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { buildReportJson } from "../../src/report/json.js";
import { latencyCdf } from "../../src/report/charts/latencyCdf.js";
import { verdictOf } from "../../src/report/verdict.js";
import { judge, putLatencyCensored } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

/** A Kinesis Agent at `rate` lines/s of 100 B into 1 shard (1,000 records/s) for 3 minutes, 30 s warmup. */
const run = (rate: string) => {
  const r = simulateScenario(
    scenarioOf({
      duration: "3m",
      warmup: "30s",
      stream: { name: "logs", shards: 1 },
      producers: [{ name: "hosts", client: "agent", instances: 2, rate: { shape: "constant", value: rate }, recordSize: { dist: "fixed", size: "100B" }, agent: { maxBufferAge: "1s" } }],
      slo: { recordsLostPercent: 0, putLatencyP50: "10m", putLatencyP99: "1s", putLatencyP999: "1s" },
    }),
  );
  return { r, md: buildReportMarkdown(r, PROVENANCE, verdictOf(r)), slos: judge(r).slos };
};

describe("an overloaded Agent's backlog", () => {
  it("1,300 lines/s into 1,000 records/s: 234,000 offered, at most 180,000 + a burst written, the rest in flight and growing 300/s", () => {
    const { r, md, slos } = run("1300/s");
    const p = r.producers[0]!;
    expect(p.offered).toBe(234_000);
    const inFlight = p.inFlight.buffered + p.inFlight.awaitingRetry;
    // The shard writes 1,000 records/s (and a burst of at most 1 s): at least 234,000 − 181,000 are left.
    expect(inFlight).toBeGreaterThanOrEqual(53_000);
    expect(p.lost.throttledPastRetries).toBe(0);
    const line = md.split("\n").find((l) => l.startsWith("- Records lost:"))!;
    expect(line).toContain(`; but ${inFlight.toLocaleString("en-US")} records (`);
    expect(line).toContain("of the 234,000 offered, whole run) were still in flight at the end");
    // After warmup 150 s × (1,300 − 1,000) = 45,000 more records were offered than the shard takes.
    const grew = /they grew by ([\d,]+) after warmup \(([\d,]+) a second\)/.exec(line)!;
    expect(Number(grew[1]!.replace(/,/g, ""))).toBeGreaterThan(0.9 * 45_000);
    expect(Number(grew[1]!.replace(/,/g, ""))).toBeLessThan(1.05 * 45_000);
    expect(line).toMatch(/Put latency p99: ≥ /);
    // Awaiting retry: well over 1% and 0.1% of those and the acknowledged, under 50%: p99 and p99.9 are lower bounds, p50 not.
    const bound = (n: string) => slos.find((s) => s.name === n)!.lowerBound === true;
    expect(bound("putLatencyP99")).toBe(true);
    expect(bound("putLatencyP999")).toBe(true);
    expect(bound("putLatencyP50")).toBe(false);
    expect(md).toMatch(/\| put latency p99 \| ≤ 1 s \| ≥ /);
    // The producers table's row: p99 and the maximum are lower bounds, p50 (under half of the records awaiting) is not.
    const row = md.split("\n").find((l) => l.startsWith("| hosts | agent |"))!.split("|").map((c) => c.trim());
    const [p50, p99, max] = row.slice(-4, -1);
    expect(p50).not.toContain("≥");
    expect(p99).toMatch(/^≥ /);
    expect(max).toMatch(/^≥ /);
    // The latency chart's p99 too: its curve holds the acknowledged only.
    const chart = latencyCdf(buildReportJson(r, PROVENANCE))!;
    expect(JSON.stringify(chart.spec)).toContain(`not the ${p.inFlight.awaitingRetry.toLocaleString("en-US")} still awaiting retry at the end`);
  });

  it("500 lines/s into 1,000 records/s: nothing in flight worth saying, no lower bound", () => {
    const { md, slos } = run("500/s");
    const line = md.split("\n").find((l) => l.startsWith("- Records lost:"))!;
    expect(line).not.toContain("in flight");
    expect(line).not.toContain("≥");
    expect(slos.some((s) => s.lowerBound)).toBe(false);
    expect(md.split("\n").find((l) => l.startsWith("| hosts | agent |"))).not.toContain("≥");
  });
});

describe("putLatencyCensored: the censoredSets rule, the awaiting counted with the acknowledged", () => {
  it("p99 from 1%, p99.9 from 0.1%, p50 from 50% of the records", () => {
    expect(putLatencyCensored(10, 990, "p99")).toBe(true); // 10 of 1,000
    expect(putLatencyCensored(9, 991, "p99")).toBe(false);
    expect(putLatencyCensored(1, 999, "p999")).toBe(true); // 1 of 1,000
    expect(putLatencyCensored(1, 1_000, "p999")).toBe(false);
    expect(putLatencyCensored(500, 500, "p50")).toBe(true);
    expect(putLatencyCensored(499, 501, "p50")).toBe(false);
    expect(putLatencyCensored(0, 0, "p99")).toBe(false);
  });
});
