// The run's charts, built from the committed sample reports: every spec is valid Vega-Lite (the published
// JSON Schema), compiles and renders without a warning, carries the data it claims, and is deterministic.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import type { TopLevelSpec } from "vega-lite";
import { beforeAll, describe, expect, it } from "vitest";
import {
  binSeries,
  lineChart,
  minuteMeans,
  runCharts,
  specText,
  stepsPerBin,
  timeScaleFor,
  withoutTooltipLayers,
  wrapText,
  type Chart,
  type Row,
} from "../../src/report/charts/index.js";
import { compileToVega, renderPng, renderSvg, renumberIds } from "../../src/report/charts/render.js";
import type { ReportJson } from "../../src/report/reportTypes.js";

const root = join(import.meta.dirname, "..", "..");
const SAMPLES = ["quickstart", "hot-key", "lease-table-throttling", "fanout-vs-polling", "firehose-buffering", "destination-outage"] as const;
/** The samples whose producers write to the Kinesis stream (destination-outage writes to Firehose only). */
const WRITTEN = SAMPLES.filter((name) => name !== "destination-outage");
const reports = Object.fromEntries(SAMPLES.map((name) => [name, JSON.parse(readFileSync(join(root, "reports", name, "report.json"), "utf8")) as ReportJson]));
const built = new Map<string, Chart[]>();
const chartsOf = (name: (typeof SAMPLES)[number]) => built.get(name) ?? (built.set(name, runCharts(reports[name]!)), built.get(name)!);
const chart = (name: (typeof SAMPLES)[number], chartName: string): Chart => {
  const c = chartsOf(name).find((x) => x.name === chartName);
  if (!c) throw new Error(`${name} has no ${chartName} chart`);
  return c;
};

/** The inline rows of a (layered or concatenated) spec's views, outermost first. */
function datasets(spec: unknown): Row[][] {
  const out: Row[][] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { data?: { values?: Row[] }; layer?: unknown[]; vconcat?: unknown[] };
    if (n.data?.values) out.push(n.data.values);
    for (const child of [...(n.layer ?? []), ...(n.vconcat ?? [])]) visit(child);
  };
  visit(spec);
  return out;
}

/** The rule layers' { value, label } rows. */
const rules = (spec: unknown) => datasets(spec).flat().filter((r) => "value" in r && "label" in r);

let validate: ValidateFunction;
beforeAll(() => {
  // The draft-07 schema of Vega-Lite 6.4.3; with optimisation off and refs not inlined, ajv compiles it in
  // about 2 s instead of 7 s.
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false, inlineRefs: false, code: { optimize: false } });
  validate = ajv.compile(JSON.parse(readFileSync(join(root, "node_modules/vega-lite/build/vega-lite-schema.json"), "utf8")) as object);
});

describe("runCharts on the sample reports", () => {

  it("draws the charts each sample has data for, in reading order", () => {
    // No put attempt throttled in the whole run: no throttled chart (the README promises no empty charts).
    expect(chartsOf("quickstart").map((c) => c.name)).toEqual(["shard-heatmap", "cloudwatch-vs-truth", "latency-cdf"]);
    expect(chartsOf("hot-key").map((c) => c.name)).toEqual(["shard-heatmap", "throttled", "cloudwatch-vs-truth", "latency-cdf"]);
    for (const name of ["lease-table-throttling", "fanout-vs-polling"] as const) {
      expect(chartsOf(name).map((c) => c.name)).toEqual(["shard-heatmap", "cloudwatch-vs-truth", "latency-cdf", "oldest-unprocessed", "iterator-age", "lease-table"]);
    }
    const firehose = ["firehose-buffer", "firehose-freshness", "firehose-latency-cdf"];
    expect(chartsOf("firehose-buffering").map((c) => c.name)).toEqual(["shard-heatmap", "cloudwatch-vs-truth", "latency-cdf", ...firehose]);
    // Direct PUT only: the stream nobody writes to gets no write charts.
    expect(chartsOf("destination-outage").map((c) => c.name)).toEqual(["latency-cdf", ...firehose]);
  });

  it("throttled: the subtitle's peak is the busiest step's, and the peak of the means it draws is said apart (helper-51)", () => {
    // replay-cloudwatch: 1 s steps drawn as 10 s means; its busiest second is not the highest mean drawn.
    const r = JSON.parse(readFileSync(join(root, "reports", "replay-cloudwatch", "report.json"), "utf8")) as ReportJson;
    const s = r.series;
    const busiest = Math.round(Math.max(...s.throttledRecords) / s.resolutionSeconds);
    const c = runCharts(r).find((x) => x.name === "throttled")!;
    const spec = c.spec as { title: { subtitle: string | string[] }; data: { values: { t: unknown; rate: number }[] } };
    const subtitle = [spec.title.subtitle].flat().join(" ");
    // The drawn means: per time bin, the shards' rates stacked.
    const byT = new Map<string, number>();
    for (const row of spec.data.values) byT.set(String(row.t), (byT.get(String(row.t)) ?? 0) + row.rate);
    const drawn = Math.round(Math.max(...byT.values()));
    expect(drawn).toBeLessThan(busiest);
    expect(subtitle).toContain(`at most ${busiest.toLocaleString("en-US")} per second over the busiest 1 s; the chart draws means over 10 s, at most ${drawn.toLocaleString("en-US")}.`);
  });

  for (const name of SAMPLES) {
    it(`${name}: every spec validates against vega-lite-schema.json and renders without a warning`, async () => {
      for (const c of chartsOf(name)) {
        const ok = validate(c.spec);
        expect(ok, `${c.name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
        const warnings: string[] = [];
        compileToVega(c.spec, { onWarning: (m) => warnings.push(m) });
        await renderSvg(c.spec, { onWarning: (m) => warnings.push(m) });
        expect(warnings, c.name).toEqual([]);
        expect(c.spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v6.json");
        expect(c.title.length).toBeGreaterThan(0);
      }
    });
  }

  it("is deterministic: the same report gives the same specs and .vl.json text", () => {
    for (const name of SAMPLES) {
      const a = chartsOf(name);
      const b = runCharts(structuredClone(reports[name]!));
      expect(b).toEqual(a);
      expect(b.map((c) => specText(c.spec))).toEqual(a.map((c) => specText(c.spec)));
    }
  });

  it("shard-heatmap: one cell per shard and bin, carrying the report's utilisation and throttled attempts", () => {
    for (const name of WRITTEN) {
      const h = reports[name]!.series.heatmap;
      const [cells] = datasets(chart(name, "shard-heatmap").spec);
      expect(cells).toHaveLength(h.shards.length * h.utilisation[0]!.length);
      const bins = h.utilisation[0]!.length;
      h.shards.forEach((shard, s) =>
        h.utilisation[s]!.forEach((u, b) => {
          expect(cells![s * bins + b]).toMatchObject({ shard, u, throttled: h.throttled[s]![b] });
        }),
      );
    }
    // hot-key: the throttled shard's row is at or over the limit, so it gets the second (orange-red) colour layer.
    const spec = chart("hot-key", "shard-heatmap").spec as unknown as { layer: { transform?: { filter: string }[] }[] };
    expect(spec.layer.map((l) => l.transform?.[0]?.filter).filter(Boolean)).toEqual(["datum.u < 1", "datum.u >= 1"]);
    const cells = datasets(spec)[0]!;
    const hot = cells.filter((c) => c.shard === "shardId-000000000006" && (c.from as number) >= 1);
    expect(hot.every((c) => (c.u as number) >= 1 && (c.throttled as number) > 0)).toBe(true);
    // quickstart never reaches the limit: no second colour layer.
    const quiet = chart("quickstart", "shard-heatmap").spec as unknown as { layer: { transform?: { filter: string }[] }[] };
    expect(quiet.layer.map((l) => l.transform?.[0]?.filter).filter(Boolean)).toEqual(["datum.u < 1"]);
  });

  it("cloudwatch-vs-truth: per-second points, and minute means equal to the hand-computed means of the series", () => {
    for (const name of WRITTEN) {
      const r = reports[name]!;
      expect(r.series.resolutionSeconds).toBe(1);
      const panels = (chart(name, "cloudwatch-vs-truth").spec as unknown as { vconcat: { data: { values: Row[] } }[] }).vconcat;
      const [streamRows, hotRows] = panels.map((p) => p.data.values);
      const fine = streamRows!.filter((row) => row.view === "per 1 s (simulated)");
      const coarse = streamRows!.filter((row) => row.view === "CloudWatch: 1-minute Sum / 60");
      expect(fine).toHaveLength(r.series.incomingRecords.length);
      expect(fine.map((row) => row.rate)).toEqual(r.series.incomingRecords);
      // One step per minute plus the point that carries the last step to the end of the run.
      expect(coarse).toHaveLength(Math.ceil(r.run.durationSeconds / 60) + 1);
      for (let m = 0; m < 3; m++) {
        let total = 0;
        for (let s = m * 60; s < (m + 1) * 60; s++) total += r.series.incomingRecords[s]!;
        expect(coarse[m]!.t).toBeCloseTo(m, 9); // minutes: these runs are longer than 3 minutes
        expect(coarse[m]!.rate as number).toBeCloseTo(total / 60, 2);
      }
      // The second panel is the hottest shard, against its 1,000 records/s limit.
      const hot = r.series.hotShards[0]!;
      expect(hotRows!.filter((row) => row.view === "per 1 s (simulated)").map((row) => row.rate)).toEqual(hot.incomingRecords);
      expect(rules(chart(name, "cloudwatch-vs-truth").spec)).toEqual([{ value: 1000, label: "limit 1,000 records/s per shard" }]);
    }
  });

  it("throttled: hot-key's throttled attempts are all on its hot shard and add up to the series", () => {
    const r = reports["hot-key"]!;
    const rows = datasets(chart("hot-key", "throttled").spec)[0]!;
    expect(new Set(rows.map((row) => row.shard))).toEqual(new Set(["shardId-000000000006"]));
    const per = stepsPerBin(r.series.startSeconds.length);
    const total = rows.reduce((a, row) => a + (row.rate as number) * per * r.series.resolutionSeconds, 0);
    expect(total).toBeCloseTo(
      r.series.throttledRecords.reduce((a, x) => a + x, 0),
      0,
    );
    // A run without throttling gets no chart at all.
    expect(reports.quickstart!.series.throttledRecords.every((x) => x === 0)).toBe(true);
    expect(chartsOf("quickstart").some((c) => c.name === "throttled")).toBe(false);
  });

  it("latency-cdf: the put CDF and each consumer's end-to-end CDF, with SLO targets as rules", () => {
    const r = reports["fanout-vs-polling"]!;
    const rows = datasets(chart("fanout-vs-polling", "latency-cdf").spec)[0]!;
    expect(rows.filter((row) => row.curve === "put (all producers)").map((row) => row.ms)).toEqual(r.latency.putCdf.map((p) => p.ms));
    for (const c of r.consumers) expect(rows.filter((row) => row.curve === `end-to-end: ${c.name}`).map((row) => row.fraction)).toEqual(c.endToEndCdf.map((p) => p.fraction));
    expect(rules(chart("fanout-vs-polling", "latency-cdf").spec)).toContainEqual({ value: 2000, label: "SLO end-to-end p99 ≤ 2 s" });
    expect(rules(chart("hot-key", "latency-cdf").spec)).toContainEqual({ value: 250, label: "SLO put p99 ≤ 250 ms" });
  });

  it("iterator-age: one line per consumer, the highest age in each bin, in seconds, with the SLO rule", () => {
    const r = reports["fanout-vs-polling"]!;
    const rows = datasets(chart("fanout-vs-polling", "iterator-age").spec)[0]!;
    const per = stepsPerBin(r.series.startSeconds.length);
    for (const c of r.consumers) {
      const ages = rows.filter((row) => row.consumer === c.name).map((row) => row.age);
      expect(ages).toHaveLength(Math.ceil(c.series.iteratorAgeMs.length / per));
      expect(Math.max(...(ages as number[]))).toBeCloseTo(Math.max(...c.series.iteratorAgeMs) / 1000, 3);
    }
    expect(rules(chart("fanout-vs-polling", "iterator-age").spec)).toEqual([{ value: 10, label: "SLO ≤ 10 s" }]);
  });

  it("oldest-unprocessed: one line per consumer from its oldest-unprocessed series, no rule without its SLO", () => {
    const r = reports["fanout-vs-polling"]!;
    const rows = datasets(chart("fanout-vs-polling", "oldest-unprocessed").spec)[0]!;
    const per = stepsPerBin(r.series.startSeconds.length);
    for (const c of r.consumers) {
      const ages = rows.filter((row) => row.consumer === c.name).map((row) => row.age);
      expect(ages).toHaveLength(Math.ceil(c.series.oldestUnprocessedAgeMs.length / per));
      expect(Math.max(...(ages as number[]))).toBeCloseTo(Math.max(...c.series.oldestUnprocessedAgeMs) / 1000, 3);
    }
    expect(rules(chart("fanout-vs-polling", "oldest-unprocessed").spec)).toEqual([]);
  });

  it("lease-table: a panel per consumer; a rule at the provisioned WCU only where the table is provisioned", () => {
    const lt = chart("lease-table-throttling", "lease-table").spec as unknown as { vconcat: unknown[] };
    expect(lt.vconcat).toHaveLength(1);
    expect(rules(lt)).toEqual([{ value: 10, label: "provisioned 10 WCU" }]);
    const r = reports["lease-table-throttling"]!;
    const per = stepsPerBin(r.series.startSeconds.length, 120);
    const throttled = datasets(lt)[0]!.filter((row) => row.what === "writes throttled per second");
    const total = throttled.reduce((a, row) => a + (row.rate as number) * per * r.series.resolutionSeconds, 0);
    expect(total).toBeCloseTo(r.consumers[0]!.series.leaseTableThrottledWrites!.reduce((a, x) => a + x, 0), 0);
    const fo = chart("fanout-vs-polling", "lease-table").spec as unknown as { vconcat: unknown[] };
    expect(fo.vconcat).toHaveLength(6);
    expect(rules(fo)).toEqual([]);
  });
});

describe("Firehose charts on the sample reports", () => {
  const MiB = 1_048_576;
  const max = (xs: unknown[]) => Math.max(...(xs as number[]));

  it("firehose-buffer: the fill against a rule at the size hint, and flushes by trigger adding up to the report's count", () => {
    const r = reports["firehose-buffering"]!;
    const f = r.firehose[0]!;
    const spec = chart("firehose-buffering", "firehose-buffer").spec as unknown as { vconcat: unknown[] };
    expect(spec.vconcat).toHaveLength(2);
    expect(rules(spec)).toEqual([{ value: 64, label: "size hint 64 MiB" }]);
    const fill = datasets(spec.vconcat[0]).find((rows) => rows.some((row) => "where" in row))!;
    const counts = datasets(spec.vconcat[1]).find((rows) => rows.some((row) => "trigger" in row))!;
    const buffered = fill.filter((row) => row.where === "in the buffers").map((row) => row.mib);
    expect(max(buffered)).toBeCloseTo(max(f.series.bufferBytes) / MiB, 3);
    // The destination buffer fills to its 64 MiB hint; the Lambda's own buffer (1 MB hint) waits on top of it.
    expect(max(buffered)).toBeGreaterThan(64);
    expect(max(buffered)).toBeLessThan(64 + 1e6 / MiB + 0.01);
    // The last two rows repeat the last bin at the end of the run (for the step line); the rest add up.
    const flushes = counts.slice(0, -2);
    const sumOf = (trigger: string) => flushes.filter((row) => row.trigger === trigger).reduce((a, row) => a + (row.flushes as number), 0);
    expect(sumOf("size hint reached")).toBe(f.flushes.size);
    expect(sumOf("interval expired")).toBe(f.flushes.interval);
  });

  it("firehose-buffer: during destination-outage the bytes at the destination climb to the retry duration's worth of traffic", () => {
    const r = reports["destination-outage"]!;
    const f = r.firehose[0]!;
    const spec = chart("destination-outage", "firehose-buffer").spec as unknown as { vconcat: unknown[] };
    const fill = datasets(spec.vconcat[0]).find((rows) => rows.some((row) => row.where === "at the destination"))!;
    const waiting = max(fill.filter((row) => row.where === "at the destination").map((row) => row.mib));
    // Requests are retried for 300 s and then go to the backup: 300 s × 1,500 records/s × 1 KiB ≈ 439 MiB, plus
    // at most one delivery the buffer was raised to while delivery fell behind (OpenSearch: at most 100 MiB).
    const expected = (300 * f.incoming.bytesPerSecond) / MiB;
    expect(f.buffer.raisedToBytes).toBe(100 * MiB);
    expect(waiting).toBeGreaterThan(0.97 * expected);
    expect(waiting).toBeLessThan(1.02 * expected + 100);
  });

  it("firehose-freshness: one line per delivery stream, the highest DataFreshness in each bin", () => {
    for (const name of ["firehose-buffering", "destination-outage"] as const) {
      const r = reports[name]!;
      const rows = datasets(chart(name, "firehose-freshness").spec).find((rows) => rows.some((row) => "freshness" in row))!;
      const per = stepsPerBin(r.series.startSeconds.length);
      const f = r.firehose[0]!;
      expect(rows).toHaveLength(Math.ceil(f.series.dataFreshnessSeconds.length / per));
      // Both runs stay under 20 minutes of DataFreshness, so the axis is in seconds.
      expect(max(rows.map((row) => row.freshness))).toBe(max(f.series.dataFreshnessSeconds));
    }
  });

  it("firehose-latency-cdf: the report's delivery CDF with the deliveryP99 SLO as a rule", () => {
    const r = reports["destination-outage"]!;
    const spec = chart("destination-outage", "firehose-latency-cdf").spec;
    const rows = datasets(spec).find((rows) => rows.some((row) => "stream" in row))!;
    expect(rows.map((row) => row.fraction)).toEqual(r.firehose[0]!.deliveryLatencyCdf.filter((p) => p.ms > 0).map((p) => p.fraction));
    expect(rules(spec)).toContainEqual({ value: 60_000, label: "SLO delivery p99 ≤ 60 s" });
  });
});

describe("rendering", () => {
  it("renderSvg gives the same bytes every time, whatever was drawn before (ids renumbered), and leaves the spec alone", async () => {
    const heatmap = chart("hot-key", "shard-heatmap").spec;
    const before = structuredClone(heatmap);
    const first = await renderSvg(heatmap);
    expect(heatmap).toStrictEqual(before);
    await renderSvg(chart("hot-key", "latency-cdf").spec);
    expect(await renderSvg(heatmap)).toBe(first);
    expect(first).toMatch(/^<svg /);
    expect(first).toContain('id="gradient_0"');
    expect(first).toContain("url(#gradient_0)");
  });

  it("renumberIds renames ids and their references in order of appearance, in one pass", () => {
    const svg = '<g id="gradient_7"/><g id="gradient_3"/><rect fill="url(#gradient_3)"/><use href="#gradient_7"/>';
    expect(renumberIds(svg)).toBe('<g id="gradient_0"/><g id="gradient_1"/><rect fill="url(#gradient_1)"/><use href="#gradient_0"/>');
  });

  it("leaves out the invisible tooltip layers in a static picture", async () => {
    const spec = chart("hot-key", "throttled").spec;
    expect(JSON.stringify(withoutTooltipLayers(spec))).not.toContain("tooltips (interactive only)");
    expect(JSON.stringify(spec)).toContain("tooltips (interactive only)");
    const svg = await renderSvg(spec);
    expect(svg).not.toContain('opacity="0"/>');
  });

  it("renderPng draws the SVG at twice its size with the given fonts", async () => {
    const svg = await renderSvg(chart("quickstart", "latency-cdf").spec);
    const fonts = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => fileURLToPath(import.meta.resolve(`dejavu-fonts-ttf/ttf/${f}`)));
    const png = renderPng(svg, fonts);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(view.getUint32(16)).toBe(2 * width);
  });
});

describe("the chart kit", () => {
  it("timeScaleFor picks seconds, minutes or hours by run length", () => {
    expect([timeScaleFor(120).unit, timeScaleFor(600).unit, timeScaleFor(3 * 3600).unit, timeScaleFor(2 * 86_400).unit]).toEqual(["s", "min", "min", "h"]);
    expect(timeScaleFor(600).at(90)).toBe(1.5);
    expect(timeScaleFor(600).at(10)).toBe(0.166667);
  });

  it("binSeries folds steps into bins by mean, max or sum, the last bin shorter", () => {
    expect(binSeries([1, 2, 3, 4, 5], 2, "mean")).toEqual([1.5, 3.5, 5]);
    expect(binSeries([1, 5, 3, 4, 2], 2, "max")).toEqual([5, 4, 2]);
    expect(binSeries([1, 2, 3, 4, 5], 2, "sum")).toEqual([3, 7, 5]);
  });

  it("stepsPerBin rounds up to 1, 2, 3, 5, 10, 15, …", () => {
    expect([stepsPerBin(600), stepsPerBin(601), stepsPerBin(1800), stepsPerBin(3600), stepsPerBin(1800, 120)]).toEqual([1, 2, 3, 10, 15]);
  });

  it("minuteMeans is CloudWatch's Sum / 60, a last partial minute divided by the seconds it covers", () => {
    const counts = Array.from({ length: 90 }, (_, i) => (i < 60 ? 2 : 4));
    expect(minuteMeans(counts, 1, 90)).toEqual([
      { startSeconds: 0, perSecond: 2 },
      { startSeconds: 60, perSecond: 4 },
    ]);
    expect(minuteMeans([10, 20, 30, 40], 30, 120)).toEqual([
      { startSeconds: 0, perSecond: 0.5 },
      { startSeconds: 60, perSecond: 70 / 60 },
    ]);
  });

  it("wrapText breaks at spaces within the width", () => {
    expect(wrapText("aaa bbb ccc ddd", 7)).toEqual(["aaa bbb", "ccc ddd"]);
    expect(wrapText("short", 80)).toEqual(["short"]);
  });

  it("specText keeps short values on one line and stays valid JSON", () => {
    const spec = { a: 1, rows: [{ x: 1, y: "b" }, { x: 2, y: "c" }], long: "x".repeat(120) };
    const text = specText(spec);
    expect(JSON.parse(text)).toEqual(spec);
    expect(text).toBe(`{\n  "a": 1,\n  "rows": [{"x":1,"y":"b"},{"x":2,"y":"c"}],\n  "long": "${"x".repeat(120)}"\n}\n`);
  });

  it("lineChart with a confidence band, a rule and points (as sweeps use it) is valid and compiles cleanly", async () => {
    const data: Row[] = [4, 8, 12, 16].map((shards) => ({ shards, mean: 10 / shards, lo: 8 / shards, hi: 12 / shards, app: "a" }));
    const spec: TopLevelSpec = lineChart({
      title: "Throttled % by shard count",
      subtitle: "Mean of 3 replications with its 95% interval.",
      data,
      x: { field: "shards", title: "shards" },
      y: { field: "mean", title: "throttled (%)" },
      band: { lower: "lo", upper: "hi" },
      series: { field: "app", title: "scenario" },
      rules: [{ axis: "y", value: 0.5, label: "SLO ≤ 0.5%" }],
      points: true,
    });
    expect(validate(spec), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const warnings: string[] = [];
    const svg = await renderSvg(spec, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(svg).toContain("SLO ≤ 0.5%");
  });
});
