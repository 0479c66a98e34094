// report.html: one self-contained file. It fetches nothing from the network, holds every chart, and no
// inlined text (chart data, names from the scenario, the libraries) can close its <script> elements early.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCharts, type Chart } from "../../src/report/charts/index.js";
import { buildReportHtml, CONTENT_SECURITY_POLICY, scriptJson, scriptSource, type HtmlLibraries } from "../../src/report/html.js";
import type { ReportJson } from "../../src/report/reportTypes.js";

const root = join(import.meta.dirname, "..", "..");
const sample = (name: string) => ({
  report: JSON.parse(readFileSync(join(root, "reports", name, "report.json"), "utf8")) as ReportJson,
  markdown: readFileSync(join(root, "reports", name, "report.md"), "utf8"),
});
/** The libraries as the CLI reads them: each package's build/ folder, found through the module it resolves to. */
const library = (pkg: string, file: string) => readFileSync(join(dirname(fileURLToPath(import.meta.resolve(pkg))), file), "utf8");
const libraries: HtmlLibraries = { vega: library("vega", "vega.min.js"), vegaLite: library("vega-lite", "vega-lite.min.js"), vegaEmbed: library("vega-embed", "vega-embed.min.js") };

const { report, markdown } = sample("fanout-vs-polling");
const charts = runCharts(report);
const html = buildReportHtml({ report, markdown, charts, libraries });

/** The text between <script …> and </script>, for each script element, as an HTML parser would split it. */
const scripts = (doc: string) => [...doc.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attributes: m[1]!, body: m[2]! }));
const chartData = (doc: string) => JSON.parse(scripts(doc).find((s) => s.attributes.includes('id="shardcast-charts"'))!.body) as { name: string; spec: Record<string, unknown> }[];

describe("buildReportHtml", () => {
  it("asks the network for nothing: no src or href to an address, no stylesheet or font links, no import() of a URL", () => {
    expect(html).not.toMatch(/\b(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/import\(\s*["'`](https?:)?\/\//);
    expect(html).not.toMatch(/sourceMappingURL/);
    // The browser enforces it too: nothing may be loaded from anywhere.
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    // Outside the inlined libraries, no address appears at all (the charts' $schema is left out of the page).
    const page = html.replace(/<script>[\s\S]*?<\/script>/g, "");
    expect(page).not.toMatch(/https?:\/\//);
  });

  it("holds every chart: a figure and view per chart, and its spec in the inline JSON", () => {
    expect(charts.map((c) => c.name)).toEqual(["shard-heatmap", "cloudwatch-vs-truth", "latency-cdf", "oldest-unprocessed", "iterator-age", "lease-table"]);
    const data = chartData(html);
    expect(data.map((c) => c.name)).toEqual(charts.map((c) => c.name));
    for (const c of charts) {
      expect(html).toContain(`<figure class="chart" id="chart-${c.name}">`);
      expect(html).toContain(`<div class="view" id="chart-${c.name}-view"`);
      const { $schema: _schema, ...spec } = c.spec as unknown as Record<string, unknown>;
      expect(data.find((d) => d.name === c.name)!.spec).toEqual(spec);
    }
  });

  it("inlines Vega, Vega-Lite and vega-embed, and renders the verdict and SLOs before the charts and the tables after", () => {
    const bodies = scripts(html).map((s) => s.body);
    expect(bodies.some((b) => b.includes('t.version="6.4.0"'))).toBe(true);
    expect(bodies.some((b) => b.includes('var n="6.4.3"'))).toBe(true);
    expect(bodies.some((b) => b.includes("vegaEmbed"))).toBe(true);
    expect(html).toContain("<h1>shardcast report: fanout-vs-polling</h1>");
    const verdict = html.indexOf("<strong>Verdict:");
    const chartsAt = html.indexOf('<section id="charts">');
    const slos = html.indexOf("<h2>SLOs</h2>");
    const stream = html.indexOf("<h2>Stream</h2>");
    expect(verdict).toBeGreaterThan(0);
    expect(slos).toBeGreaterThan(verdict);
    expect(chartsAt).toBeGreaterThan(slos);
    expect(stream).toBeGreaterThan(chartsAt);
    expect(html).toContain('<th class="right">shards</th>');
    expect((html.replace(/<script>[\s\S]*?<\/script>/g, "").match(/<table>/g) ?? []).length).toBe((markdown.match(/^\|( :?---:? \|)+$/gm) ?? []).length);
  });

  it("escapes </script and <!-- in inlined data, and shows raw HTML in the markdown as text", () => {
    const evil = "</script><script>alert(1)</script><!--";
    const chart: Chart = { name: "evil", title: `a ${evil} title`, spec: { mark: "point", data: { values: [{ name: evil, n: 1 }] }, encoding: {} } };
    const doc = buildReportHtml({ report, markdown: `# ${evil}\n\n<script>alert(2)</script>\n\n<img src="https://example.com/x.png">\n`, charts: [chart], libraries });
    // Exactly the five script elements the page opens, each closed once.
    expect((doc.match(/<script/gi) ?? []).length).toBe(5);
    expect((doc.match(/<\/script/gi) ?? []).length).toBe(5);
    expect(doc).not.toContain("<!--");
    expect(chartData(doc)[0]!.spec).toEqual(chart.spec);
    expect(doc).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(doc.replace(/<script>[\s\S]*?<\/script>/g, "")).not.toMatch(/<img\b/);
  });

  it("scriptJson and scriptSource: a JSON value and a library's code survive unchanged, minus the source map line", () => {
    const value = { s: "</script><!-- <script> \u2028" };
    expect(JSON.parse(scriptJson(value))).toEqual(value);
    expect(scriptJson(value)).not.toContain("<");
    const js = 'var a = "</script>", b = /<!--/;\n//# sourceMappingURL=x.min.js.map\n';
    const safe = scriptSource(js);
    expect(safe).not.toMatch(/<\/script|<!--|sourceMappingURL/i);
    const run = (code: string) => new Function(`${code}; return [a, b.test("x<!--y"), b.test("x<!-y")];`)() as [string, boolean, boolean];
    expect(run(safe)).toEqual(run(js.replace(/\/\/#.*\n/, "")));
  });

  it("is deterministic: the same input gives the same bytes", () => {
    expect(buildReportHtml({ report, markdown, charts: runCharts(report), libraries })).toBe(html);
  });
});

describe("report.html's reading order", () => {
  it("puts the verdict, the SLO table and the faults before the charts, and the tables after them", () => {
    const { report: r, markdown: md } = sample("destination-outage");
    const page = buildReportHtml({ report: r, markdown: md, charts: runCharts(r), libraries });
    const at = (s: string) => {
      const i = page.indexOf(s);
      expect(i, s).toBeGreaterThan(0);
      return i;
    };
    const charts = at('<section id="charts">');
    expect(at("Verdict:")).toBeLessThan(charts);
    expect(at(">SLOs</h2>")).toBeLessThan(charts);
    expect(at(">Faults</h2>")).toBeLessThan(charts);
    expect(at(">Producers</h2>")).toBeGreaterThan(charts);
    expect(at(">Monthly cost</h2>")).toBeGreaterThan(charts);
  });
});
