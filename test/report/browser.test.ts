// report.html in a real browser: headless Chromium (Debian's, or the one npm brings: test/report/browser.ts)
// opens generated reports from file://, every chart draws (an SVG with marks in each view), nothing is written
// to the console as an error, and no request leaves the file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.js";
import { runCharts } from "../../src/report/charts/index.js";
import { buildReportHtml, type HtmlLibraries } from "../../src/report/html.js";
import type { ReportJson } from "../../src/report/reportTypes.js";

// The page's DOM, as far as page.evaluate below looks at it (the project compiles without the DOM library).
interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
  getBoundingClientRect(): { width: number };
}
declare const document: { getElementById(id: string): PageElement | null };
const root = join(import.meta.dirname, "..", "..");
const library = (pkg: string, file: string) => readFileSync(join(dirname(fileURLToPath(import.meta.resolve(pkg))), file), "utf8");
const libraries: HtmlLibraries = { vega: library("vega", "vega.min.js"), vegaLite: library("vega-lite", "vega-lite.min.js"), vegaEmbed: library("vega-embed", "vega-embed.min.js") };

const tmp = mkdtempSync(join(tmpdir(), "shardcast-browser-"));
let context: BrowserContext | undefined;

beforeAll(async () => {
  // A persistent context on a fresh folder is a fresh --user-data-dir (Playwright manages the flag itself).
  context = await launchBrowser(join(tmp, "profile"));
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("report.html in headless Chromium, from file://", () => {
  for (const name of ["fanout-vs-polling", "hot-key", "destination-outage"]) {
    it(`${name}: every chart renders, with no console error and no request beyond the file`, async () => {
      const report = JSON.parse(readFileSync(join(root, "reports", name, "report.json"), "utf8")) as ReportJson;
      const markdown = readFileSync(join(root, "reports", name, "report.md"), "utf8");
      const charts = runCharts(report);
      const file = join(tmp, `${name}.html`);
      writeFileSync(file, buildReportHtml({ report, markdown, charts, libraries }));
      const url = pathToFileURL(file).href;

      const page = await context!.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });

      await page.goto(url, { waitUntil: "load" });
      await page.waitForSelector(`body[data-charts-rendered="${charts.length}"]`, { timeout: 30_000 });
      const drawn = await page.evaluate((names) => {
        return names.map((n) => {
          const view = document.getElementById(`chart-${n}-view`);
          const svg = view?.querySelector("svg");
          const marks = svg ? svg.querySelectorAll("g[class^='mark-'] > path, g[class^='mark-'] > line, g[class^='mark-'] > text").length : 0;
          return { name: n, rendered: view?.getAttribute("data-rendered") === "true", svg: Boolean(svg), marks, width: svg?.getBoundingClientRect().width ?? 0 };
        });
      }, charts.map((c) => c.name));
      for (const d of drawn) {
        expect(d, d.name).toMatchObject({ rendered: true, svg: true });
        expect(d.marks, `${d.name}: marks drawn`).toBeGreaterThan(10);
        expect(d.width, `${d.name}: width`).toBeGreaterThan(600);
      }
      // The tables came through too.
      expect(await page.locator("main table").count()).toBeGreaterThan(3);

      // The whole page as a picture, kept in memory: the suite leaves nothing in the system's temporary folder.
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.subarray(1, 4).toString("latin1"), "a PNG").toBe("PNG");
      await page.close();

      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    });
  }
});
