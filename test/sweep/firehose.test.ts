// A sweep over a Firehose buffering hint: the delivery SLO metrics, their reasons and the recommendation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sweepCharts } from "../../src/sweep/charts.js";
import { prepareSweep, runSweepHere, sweepOutputs } from "../../src/sweep/sweep.js";

const root = join(import.meta.dirname, "..", "..");
const file = "scenarios/firehose-buffering.yaml";

describe("sweeping firehose.archive.buffer.size on firehose-buffering", () => {
  const text = readFileSync(join(root, file), "utf8");
  const p = prepareSweep(text, file, "0".repeat(64), ["firehose.archive.buffer.size=32MiB,128MiB"], 2, (path) => readFileSync(join(root, path), "utf8"));
  const files = sweepOutputs(p, runSweepHere(p), 0.95).files;
  const sweep = JSON.parse(files["sweep.json"]!) as {
    metrics: { name: string }[];
    recommendation: { config: number | null };
    configs: { values: unknown[]; meetsAll: boolean; reasons: { reason: string }[]; metrics: Record<string, { mean: number }> }[];
  };

  it("takes sizes with units, and adds the delivery metrics to the write metrics", () => {
    expect(sweep.configs.map((c) => c.values[0])).toEqual(["32MiB", "128MiB"]);
    expect(sweep.metrics.map((m) => m.name)).toEqual(expect.arrayContaining(["deliveryP99Ms", "maxDataFreshnessMs", "firehoseNotDeliveredPercent"]));
  });

  it("32 MiB fills in ~47 s and meets the 120 s delivery SLO; 128 MiB takes ~190 s and misses it, with the delivery stream named", () => {
    const [small, big] = sweep.configs;
    // 32 MiB or 128 MiB at ~0.7 MB/s after the transformation.
    expect(small!.metrics.deliveryP99Ms!.mean).toBeGreaterThan(40_000);
    expect(small!.metrics.deliveryP99Ms!.mean).toBeLessThan(60_000);
    expect(big!.metrics.deliveryP99Ms!.mean).toBeGreaterThan(170_000);
    expect(small!.meetsAll).toBe(true);
    expect(big!.meetsAll).toBe(false);
    expect(big!.reasons.map((r) => r.reason)).toEqual(["delivery stream archive: delivery latency p99"]);
    expect(sweep.recommendation.config).toBe(0);
  });

  it("charts the delivery p99 against the buffer size in MiB, with the SLO and the recommendation", () => {
    const chart = sweepCharts(JSON.parse(files["sweep.json"]!) as Parameters<typeof sweepCharts>[0]).find((c) => c.name === "sweep-delivery-p99-ms")!;
    const text = JSON.stringify(chart.spec);
    expect(text).toContain('"title":"firehose.archive.buffer.size (MiB)"');
    expect(text).toContain('{"value":32,"label":"recommended: 32MiB"');
    // Delivery p99 passes 10 s (about 3 min at 128 MiB): the axis and the SLO rule read in seconds.
    expect(text).toContain('"label":"SLO ≤ 120 s"');
    const xs = [...text.matchAll(/"x":(\d+(?:\.\d+)?),"mean"/g)].map((m) => Number(m[1]));
    expect(xs).toEqual([32, 128]);
  });

  it("sweep.md shows long latencies and their bounds in seconds", () => {
    expect(files["sweep.md"]).toMatch(/\| firehose\.archive\.buffer\.size=128MiB \| [^|]+\| 1\d\d(\.\d)? s \[1\d\d(\.\d)?, 1\d\d(\.\d)?\] ✗ \|/);
  });
});
