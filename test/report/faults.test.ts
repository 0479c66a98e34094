// Issue 11: faults are visible. The minimal scenario of docs/model.md crashes one of analytics's two workers at
// 5 minutes: the report lists the crash with its measured effect, every chart over time marks it, and the
// consumer's throttled catch-up reads are blamed on the crash, not on the shard's read limits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCharts } from "../../src/report/charts/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { runScenarioText } from "../../src/run.js";
import { ageEffect } from "../../src/result/faults.js";

const root = join(import.meta.dirname, "..", "..");
/**
 * The first YAML block of docs/model.md: the minimal scenario the docs show, its consumer on the KCL 2.x lease taker
 * (the timings below are 2.x's: the crashed worker's leases are taken at the next taker run once they expire).
 */
const docsExample = /```yaml\n([\s\S]*?)```/.exec(readFileSync(join(root, "docs/model.md"), "utf8"))![1]!;
const minimal = docsExample.replace(/\n( +)(kind: kcl\b[^\n]*)\n/, "\n$1$2\n$1kcl: { version: 2 }\n");
if (minimal === docsExample) throw new Error("docs/model.md's example no longer has a `kind: kcl` consumer");
const out = runScenarioText(minimal, { scenarioFile: "docs/model.md", scenarioSha256: "0" });
const report = JSON.parse(out.files["report.json"]) as ReportJson;
const md = out.files["report.md"];

/** Each chart's shaded ranges (a rect layer's data row with from, to and label). */
function shades(spec: unknown): { from: number; to: number; label: string }[] {
  const found: { from: number; to: number; label: string }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { data?: { values?: Record<string, unknown>[] }; layer?: unknown[]; vconcat?: unknown[]; hconcat?: unknown[] };
    for (const v of n.data?.values ?? []) if ("from" in v && "to" in v && "label" in v) found.push(v as { from: number; to: number; label: string });
    for (const child of [...(n.layer ?? []), ...(n.vconcat ?? []), ...(n.hconcat ?? [])]) visit(child);
  };
  visit(spec);
  return found;
}

describe("a worker crash in the report", () => {
  it("is listed in report.json with its measured lag, the records processed again, and when the consumer caught up", () => {
    expect(report.faults).toHaveLength(1);
    const f = report.faults![0]!;
    expect(f).toMatchObject({ kind: "worker-crash", target: "analytics", atSeconds: 300 });
    const e = f.effect!;
    expect(e.kind).toBe("lag");
    if (e.kind !== "lag" || !e.visible) throw new Error("the crash's lag is visible");
    // The crashed worker's two shards go unread until their leases expire (failoverTimeMillis, 10 s) and the
    // survivor's next taker pass (every 20 s) takes them: 10–31 s of records wait, against ~1–2 s before.
    expect(e.beforeSeconds).toBeLessThan(3);
    expect(e.maxSeconds).toBeGreaterThan(10);
    expect(e.maxSeconds).toBeLessThan(45);
    expect(e.recoveredAtSeconds).toBeGreaterThan(310);
    expect(e.recoveredAtSeconds).toBeLessThan(400);
    // The new owner restarts at the last checkpoint (every 30 s): at most 30 s × 2 shards × 750 records/s again.
    expect(e.reprocessedRecords).toBeGreaterThan(0);
    expect(e.reprocessedRecords).toBeLessThanOrEqual(30 * 2 * 760);
  });

  it("has a Faults section in report.md", () => {
    expect(md).toContain("## Faults");
    expect(md).toMatch(/- worker crash \(1 worker\) of analytics at 0:05:00: the oldest unprocessed record reached [\d.]+ s \([\d.]+ s just before\); [\d,]+ records processed again/);
  });

  it("is drawn as a marked interval on every chart over time, at 300 s", () => {
    const timeCharts = ["shard-heatmap", "cloudwatch-vs-truth", "oldest-unprocessed", "iterator-age", "lease-table"];
    const charts = runCharts(report);
    for (const name of timeCharts) {
      const c = charts.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      const text = JSON.stringify(c!.spec);
      expect(text, name).toContain("worker-crash: analytics");
    }
    // The line charts shade it (from 300 s; the time axis is in minutes on a 10-minute run).
    const iter = shades(charts.find((x) => x.name === "iterator-age")!.spec).find((s) => s.label === "worker-crash: analytics")!;
    expect(iter.from).toBeCloseTo(5, 6);
    expect(iter.to).toBeGreaterThan(iter.from);
  });

  it("takes the blame for the throttled catch-up reads, in a sentence that starts with the consumer's name", () => {
    const c = report.consumers[0]!;
    expect(c.bottleneck).toBe("catch-up after a fault");
    expect(c.explanation).toMatch(/^Consumer analytics: [\d.]+% of its GetRecords calls were throttled, (8\d|9\d|100)% of them while catching up after the worker crash at 0:05:00 \(the new lease owners read the backlog as fast as the shard allows\); (none at other times|1 was throttled at other times|[\d,]+ were throttled at other times)\.$/);
    // The missed end-to-end SLO names the crash, not the shard's shared read limits.
    const why = report.verdict.slos.find((s) => s.name === "endToEndP99")!.why!;
    expect(why).toContain("a worker crash at 0:05:00 left shards unread");
    expect(why).not.toMatch(/shared (2 MiB\/s|5 calls\/s)/);
  });
});

describe("a missed lag SLO of a consumer with no steady bottleneck", () => {
  /** 2 shards, 100 records/s of 200 B: the catch-up after a crash is small enough that no read is throttled. */
  const scenario = (faults: string) =>
    `name: lag
duration: 8m
warmup: 1m
stream: { shards: 2 }
producers:
  - { name: p, client: sdk, instances: 2, rate: { shape: constant, value: 100/s }, recordSize: { dist: fixed, size: 200B } }
consumers:
  - { name: app, kind: kcl, kcl: { version: 2 }, workers: 2, checkpoint: { every: 30s } }
${faults}slo:
  maxOldestUnprocessedAge: 1s
`;
  const run = (text: string) => JSON.parse(runScenarioText(text, { scenarioFile: "lag.yaml", scenarioSha256: "0" }).files["report.json"]) as ReportJson;

  it("names the crash of its workers whose window holds the peak", () => {
    const r = run(scenario("faults:\n  - { at: 3m, kind: worker-crash, consumer: app, workers: 1 }\n"));
    expect(r.consumers[0]!.bottleneck).toBe("none");
    const slo = r.verdict.slos.find((s) => s.name === "maxOldestUnprocessedAge")!;
    expect(slo.met).toBe(false);
    // The crashed worker's shard waits for its lease to expire (10 s) and be taken: the peak is in the minute after 3:00.
    expect(slo.cause).toMatchObject({ kind: "consumer", bottleneck: "none", fault: { kind: "worker-crash", atSeconds: 180 } });
    const peak = (slo.cause as { peakAtSeconds: number }).peakAtSeconds;
    expect(peak).toBeGreaterThanOrEqual(180);
    expect(peak).toBeLessThan(240);
    expect(slo.why).toMatch(/^its lag peaked at 0:03:\d\d, after the worker crash \(1 worker\) of app at 0:03:00: the oldest unprocessed record reached [\d.]+ s/);
    expect(slo.why).toContain("consumer app has no steady bottleneck");
  });

  it("without a fault says it found none, and when the lag peaked", () => {
    // Polling every 1.5 s, records wait about that long: over the 1 s target, with nothing wrong.
    const r = run(scenario(""));
    const slo = r.verdict.slos.find((s) => s.name === "maxOldestUnprocessedAge")!;
    expect(slo.met).toBe(false);
    expect(slo.cause).toMatchObject({ kind: "consumer", bottleneck: "none" });
    expect((slo.cause as { fault?: unknown }).fault).toBeUndefined();
    expect(slo.why).toMatch(/^consumer app has no steady bottleneck \(none of the report's causes applies, and it does not fall further behind\) and no fault of its own was under way then: its lag peaked at \d:\d\d:\d\d \(iterator age at most/);
  });
});

describe("a fault's level just before (helper-44)", () => {
  // A KCL application's start-up backlog peaks at 31.9 s around 0:20 and drains by 0:35; a worker crash comes at 0:55,
  // with ages of about 0.5 s just before. The level was the highest age of the minute before: the start-up's 31.9 s,
  // which the sentence called "just before" and which set recovery at 1.5 × 31.9 s + a step.
  const S = 1_000_000;
  const ages = Array.from({ length: 180 }, (_, i) => (i < 15 ? i * 2 * S : i < 35 ? 31.9 * S : i < 55 ? 0.5 * S : i < 100 ? (i - 54) * S : 0.6 * S));

  it("is the median of the 15 s before the fault, and recovery is measured against it", () => {
    const e = ageEffect(ages, S, 55 * S, 56 * S);
    expect(e.beforeUs).toBe(0.5 * S);
    if (!e.visible) throw new Error("the crash's lag is visible");
    expect(e.maxUs).toBe(45 * S);
    // Back within 1.5 × 0.5 s + 1 s when the ages fall to 0.6 s, at 100 s. Against 1.5 × 31.9 s + 1 s = 48.9 s, which the
    // crash's 45 s never passed, the crash had "no visible lag" and recovered at once (0:57).
    expect(e.recoveredAtUs).toBe(100 * S);
  });
});

describe("a fault on an age already growing (helper-48)", () => {
  const S = 1_000_000;
  // A consumer falling behind half a second a second from 0:30 (ages 0.5 s before), to the end at 10:00.
  const growing = Array.from({ length: 600 }, (_, i) => (i < 30 ? 0.5 * S : 0.5 * S + (i - 30) * 0.5 * S));

  it("a fault at 2:00 that changes nothing: the age stays on its trend, so no visible effect, and it is still growing", () => {
    const e = ageEffect(growing, S, 120 * S, 120 * S);
    // The level before: the median of 1:45–1:59, 0.5 + 82 × 0.5 = 41.5 s (without the trend, 1.5 × 41.5 s + 1 s = 63.25 s
    // was passed at 2:36, and the fault was given the growth up to the end: 285 s).
    expect(e.beforeUs).toBe(41.5 * S);
    expect(e.visible).toBe(false);
    if (e.visible) return;
    expect(e.growing).toBe(true);
  });

  it("a crash at 2:00 that doubles the pace (1 s a second): visible once it passes 1.5 × the trend, not recovered", () => {
    const crashed = growing.map((a, i) => (i < 120 ? a : growing[120]! + (i - 120) * S));
    const e = ageEffect(crashed, S, 120 * S, 120 * S);
    expect(e.visible).toBe(true);
    if (!e.visible) return;
    expect(e.maxUs).toBe(crashed[599]);
    expect(e.recoveredAtUs).toBeNull();
  });

  it("a steady age (no growth between the two spans before): the plain 1.5 × level, as before", () => {
    const steady = Array.from({ length: 300 }, (_, i) => (i >= 100 && i < 130 ? 10 * S : 2 * S));
    const e = ageEffect(steady, S, 100 * S, 101 * S);
    expect(e.beforeUs).toBe(2 * S);
    if (!e.visible) throw new Error("the 10 s rise is visible");
    expect(e.maxUs).toBe(10 * S);
    expect(e.recoveredAtUs).toBe(130 * S);
  });
});
