// sweep.html: a sweep in one self-contained page — the recommendation, the comparison table, the charts drawn
// inline, then the runs — built from a real sweep of the small fixture (stream.shards=2,3, 2 replications),
// checked as text and then opened from file:// in headless Chromium (test/report/browser.ts).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, type HtmlLibraries } from "../../src/report/html.js";
import { prepareSweep, runSweepHere, sweepChartFiles, sweepHtml, sweepOutputs } from "../../src/sweep/sweep.js";
import { launchBrowser } from "../report/browser.js";

interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
}
declare const document: { getElementById(id: string): PageElement | null };

const root = join(import.meta.dirname, "..", "..");
const FIXTURE = "test/fixtures/sweep/small-step.yaml";
const library = (pkg: string, file: string) => readFileSync(join(dirname(fileURLToPath(import.meta.resolve(pkg))), file), "utf8");
const libraries: HtmlLibraries = { vega: library("vega", "vega.min.js"), vegaLite: library("vega-lite", "vega-lite.min.js"), vegaEmbed: library("vega-embed", "vega-embed.min.js") };

const built = (async () => {
  const p = prepareSweep(readFileSync(join(root, FIXTURE), "utf8"), FIXTURE, "0".repeat(64), ["stream.shards=2,3"], 2);
  const { files } = sweepOutputs(p, runSweepHere(p), 0.95);
  const { charts } = await sweepChartFiles(files["sweep.json"]);
  const html = await sweepHtml(files, charts, libraries);
  return { files, charts, html, sweep: JSON.parse(files["sweep.json"]) as { recommendation: { text: string } } };
})();

const tmp = mkdtempSync(join(tmpdir(), "shardcast-sweep-html-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("buildSweepHtml", () => {
  it("is one document that asks the network for nothing", async () => {
    const { html } = await built;
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    // Tested as booleans: a failure would print the whole page, libraries included.
    expect(html.includes(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`)).toBe(true);
    expect(/\b(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?\/\//i.test(html)).toBe(false);
    expect(/<link\b/i.test(html)).toBe(false);
    // Outside the inlined libraries, no address at all (the charts' $schema is left out).
    expect(html.replace(/<script>[\s\S]*?<\/script>/g, "").match(/https?:\/\/\S*/g)).toBeNull();
    // The three libraries are inline.
    for (const lib of [libraries.vega, libraries.vegaLite, libraries.vegaEmbed]) expect(html.includes(lib.slice(0, 200))).toBe(true);
  });

  it("puts the recommendation first, then the table, then the charts, then the runs", async () => {
    const { html, sweep } = await built;
    const at = (s: string) => {
      const i = html.indexOf(s);
      expect(i, s).toBeGreaterThan(0);
      return i;
    };
    const title = at("<h1>shardcast sweep: sweep-small-step</h1>");
    // The recommendation's own words, from sweep.json.
    const recommendation = at(sweep.recommendation.text.slice(0, 40));
    const table = at("<table>");
    const charts = at('<section id="charts">');
    const runs = at("<h2>Runs</h2>");
    expect(title < recommendation && recommendation < table && table < charts && charts < runs).toBe(true);
    // The table has one row per configuration, with each mean's bounds (tested as booleans: a failure would print the page).
    const rows = [...html.matchAll(/<tr><td class="left">(.*?)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual(["stream.shards=2", "<strong>stream.shards=3</strong> (recommended)"]);
    expect(/<td class="right">[\d,.]+ ms \[[\d,.]+, [\d,.]+\] ✓<\/td>/.test(html)).toBe(true);
  });

  it("holds every chart: a figure and a view each, and the specs in the inline JSON", async () => {
    const { html, charts } = await built;
    expect(charts.map((c) => c.name)).toEqual(["sweep-write-throttled-percent", "sweep-end-to-end-p99-ms", "sweep-monthly-cost-usd"]);
    const json = /<script type="application\/json" id="shardcast-charts">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect((JSON.parse(json) as { name: string }[]).map((c) => c.name)).toEqual(charts.map((c) => c.name));
    for (const c of charts) expect(html.includes(`<div class="view" id="chart-${c.name}-view"`), c.name).toBe(true);
  });

  it("is the same bytes from the same sweep", async () => {
    const { files, charts, html } = await built;
    expect((await sweepHtml(files, charts, libraries)) === html).toBe(true);
  });

  it("in headless Chromium from file://, every chart draws, with no console error and no request beyond the file", async () => {
    const { html, charts } = await built;
    const file = join(tmp, "sweep.html");
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const context = await launchBrowser(join(tmp, "profile"));
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: "load" });
      await page.waitForSelector(`body[data-charts-rendered="${charts.length}"]`, { timeout: 30_000 });
      const drawn = await page.evaluate(
        (names) =>
          names.map((n) => {
            const view = document.getElementById(`chart-${n}-view`);
            const svg = view?.querySelector("svg");
            return { name: n, rendered: view?.getAttribute("data-rendered") === "true", marks: svg ? svg.querySelectorAll("g[class^='mark-'] > path, g[class^='mark-'] > text").length : 0 };
          }),
        charts.map((c) => c.name),
      );
      for (const d of drawn) {
        expect(d.rendered, d.name).toBe(true);
        expect(d.marks, d.name).toBeGreaterThan(5);
      }
      expect(await page.locator("main table").count()).toBe(1);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
