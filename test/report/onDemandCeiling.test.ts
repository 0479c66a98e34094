// On-demand's ceiling: "data streams with the on-demand capacity mode scale up to 10 GB/s of write" in us-east-1,
// us-west-2 and eu-west-1 (Kinesis quotas and limits, https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html):
// ceil(10,000,000,000 ÷ 1,048,576) = 9,537 shards at a shard's 1 MiB/s. Past them the service's splits stop. Before,
// they stopped without a word: report.md and report.json said nothing of it, only that writes throttled.
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const S = 1_000_000;
const MiB = 1_048_576;
const CEILING_BYTES = 10_000_000_000;
const CEILING_SHARDS = Math.ceil(CEILING_BYTES / MiB);

// 64 KiB records with 36-byte keys: 65,572 B each, 183,004 a second, 12.0 GB/s offered, 2 GB/s above the ceiling.
const RECORD = 64 * 1024 + 36;
const RATE = 183_004;
const OFFERED = RATE * RECORD;

/** An On-demand Standard stream whose previous peak, 6 GB/s, starts it at the ceiling, checked every second for 3 s. */
const run = (rate: number, stream: Record<string, unknown> = {}) =>
  simulateScenario(
    scenarioOf({
      seed: 12,
      duration: "3s",
      stream: { name: "s", mode: "on-demand", onDemand: { previousPeak: "6GB/s", checkInterval: "1s", scaleDelay: "2s" }, ...stream },
      producers: [{ name: "p", client: "sdk", instances: 40, rate: { shape: "constant", value: `${rate}/s` }, recordSize: { dist: "fixed", size: "64KiB" }, partitionKey: { kind: "random", length: 36 } }],
    }),
  );

describe("12 GB/s offered to an on-demand stream at its ceiling, 9,537 shards (10 GB/s)", () => {
  const r = run(RATE);
  const c = r.onDemandCeiling!;

  it("the run notes the first check (0:00:01) that the ceiling stopped the service's splits, and no split happens", () => {
    expect(r.stream.openShards).toMatchObject({ atStart: CEILING_SHARDS, atEnd: CEILING_SHARDS });
    expect(r.reshards).toEqual([]);
    expect(c).toMatchObject({ atUs: 1 * S, shards: CEILING_SHARDS, bytesPerSecond: CEILING_BYTES, by: "on-demand maximum" });
    // The most the service would have held: twice the 12.0 GB/s peak, 22,889 shards at 1 MiB/s (within 2%: the first
    // check's second holds the producers' start).
    expect(c.neededBytesPerSecond / (2 * OFFERED)).toBeCloseTo(1, 1);
    expect(c.neededShards / Math.ceil((2 * OFFERED) / MiB)).toBeCloseTo(1, 1);
    expect(c.neededShards).toBeGreaterThan(2 * CEILING_SHARDS);
  });

  it("report.json's stream.onDemandCeiling gives the time, the ceiling and what the service would have needed", () => {
    const j = buildReportJson(r, PROVENANCE).stream.onDemandCeiling!;
    expect(j).toMatchObject({ atSeconds: 1, shards: CEILING_SHARDS, writeBytesPerSecond: CEILING_BYTES, by: "on-demand maximum", needed: { shards: c.neededShards } });
    expect(j.needed.writeBytesPerSecond).toBeGreaterThan(2 * CEILING_BYTES);
    expect(j.offered.writeBytesPerSecond).toBeGreaterThan(0);
  });

  it("report.md's Reshards section says it, with the documented 10 GB/s and the throughput it would have needed", () => {
    const md = buildReportMarkdown(r, PROVENANCE);
    const line = md.split("\n").find((l) => l.startsWith("- **The on-demand service's splits stopped at the mode's ceiling**"))!;
    expect(md).toContain("## Reshards of s");
    expect(line).toContain(
      "- **The on-demand service's splits stopped at the mode's ceiling** from 0:00:01: 9,537 open shards, what on-demand's documented maximum in us-east-1 (the scenario states no region: assumed), 10 GB/s of writes (9.31 GiB/s), needs at 1 MiB/s a shard (Kinesis quotas and limits: 10 GB/s in us-east-1, us-west-2 and eu-west-1, 200 MB/s in other Regions unless a support ticket raises it).",
    );
    expect(line).toContain(`twice the stream's peak, which the service would hold, is ${(c.neededBytesPerSecond / 1024 ** 3).toFixed(2)} GiB/s`);
    expect(line).toContain(`${c.neededShards.toLocaleString("en-US")} shards at 1 MiB/s and 1,000 records/s a shard`);
    // 9,537 shards: 9,537 × 1 MiB/s = 9.31 GiB/s, and 9,537 × 1,000 records/s (small records throttle at the records limit first).
    expect(line).toContain("Past the ceiling the service adds no shard: writes above 9.31 GiB/s or 9,537,000 records/s throttle for as long as they last.");
  });
});

describe("an on-demand stream well under its ceiling", () => {
  it("notes nothing: 1.5 GB/s offered to the 1,908 shards twice a previous peak of 1 GB/s starts: the service splits, within the ceiling", () => {
    const r = run(22_875, { onDemand: { previousPeak: "1GB/s", checkInterval: "1s", scaleDelay: "2s" } });
    expect(r.stream.openShards.atStart).toBe(Math.ceil(2e9 / MiB));
    expect(r.reshards.length).toBeGreaterThan(0);
    expect(r.onDemandCeiling).toBeUndefined();
    expect(buildReportJson(r, PROVENANCE).stream.onDemandCeiling).toBeUndefined();
    expect(buildReportMarkdown(r, PROVENANCE)).not.toContain("ceiling");
  });
});

describe("On-demand Advantage with warm throughput at its documented most, 10 GiB/s (10,240 shards), offered 12.0 GB/s", () => {
  // UpdateStreamWarmThroughput API reference: warm throughput up to 10 GiBps, above Standard's 10 GB/s: the ceiling is its shards.
  const r = run(RATE, { mode: "on-demand-advantage", onDemand: { warmThroughput: "10GiB/s", checkInterval: "1s", scaleDelay: "2s" } });

  it("stops at the warm throughput's 10,240 shards, and says whose ceiling it is", () => {
    expect(r.stream.openShards.atStart).toBe(10_240);
    expect(r.onDemandCeiling).toMatchObject({ atUs: 1 * S, shards: 10_240, bytesPerSecond: 10 * 1024 ** 3, by: "warm throughput" });
    expect(buildReportMarkdown(r, PROVENANCE)).toContain(
      "stopped at the mode's ceiling** from 0:00:01: 10,240 open shards, what the stream's warm throughput, 10 GiB/s, needs at 1 MiB/s a shard (above what on-demand's 10 GB/s needs).",
    );
  });
});

describe("an on-demand stream that states 10,000 shards, more than the ceiling's 9,537, offered 12.0 GB/s", () => {
  // AWS keeps a provisioned stream's shards when it switches to on-demand ("Choose the data stream capacity mode": it
  // "initially retains whatever shard count it had before the transition") and gives on-demand shards no upper limit
  // (Kinesis quotas and limits), so a stated 10,000 is held; the service's own splits stop at 9,537. 10,000 shards at
  // 1 MiB/s take 10,485,760,000 B/s = 9.77 GiB/s. Before, the run noted "9,537 open shards" and "writes above 9.31 GiB/s
  // throttle" while 10,000 were open.
  const r = run(RATE, { shards: 10_000, onDemand: { checkInterval: "1s", scaleDelay: "2s" } });
  const c = r.onDemandCeiling!;

  it("holds the 10,000 shards, splits none, and notes the ceiling with the shards it held", () => {
    expect(r.stream.openShards).toMatchObject({ atStart: 10_000, atEnd: 10_000 });
    expect(r.reshards).toEqual([]);
    expect(c).toMatchObject({ atUs: 1 * S, shards: CEILING_SHARDS, openShards: 10_000, bytesPerSecond: CEILING_BYTES, by: "on-demand maximum" });
    expect(buildReportJson(r, PROVENANCE).stream.onDemandCeiling).toMatchObject({ shards: CEILING_SHARDS, openShards: 10_000 });
  });

  it("report.md says the stream held 10,000 shards, more than the 9,537 of 10 GB/s, and throttles above what 10,000 take", () => {
    const line = buildReportMarkdown(r, PROVENANCE)
      .split("\n")
      .find((l) => l.startsWith("- **The on-demand service's splits stopped at the mode's ceiling**"))!;
    expect(line).toContain("from 0:00:01: the stream held 10,000 open shards, more than the 9,537 that on-demand's documented maximum in us-east-1 (the scenario states no region: assumed), 10 GB/s of writes (9.31 GiB/s), needs at 1 MiB/s a shard");
    expect(line).toContain("and keeps them");
    expect(line).not.toContain("9,537 open shards");
    expect(line).toContain(`writes above ${((10_000 * MiB) / 1024 ** 3).toFixed(2)} GiB/s or 10,000,000 records/s (its 10,000 shards at 1 MiB/s and 1,000 records/s) throttle`);
  });

  it("the verdict's throttled bullet writes its shard counts with thousands separators (it read 'on 3681 of 9537 shards')", () => {
    const bullet = buildReportMarkdown(r, PROVENANCE)
      .split("\n")
      .find((l) => l.startsWith("- Writes throttled:"))!;
    expect(bullet).toMatch(/ of put attempts, on \d{1,2},\d{3} of 10,000 shards/);
  });
});
