// report.html: one self-contained file that opens offline from file:// and fetches nothing. It holds
// report.md rendered to HTML (the verdict, the SLO table and the faults, then the charts, then the tables), the chart specs as inline
// JSON, and Vega, Vega-Lite and vega-embed inlined (the caller reads their minified builds and passes the
// text in). A Content-Security-Policy without any source but the page itself makes "fetches nothing" a
// property the browser enforces, not only a habit of this file.

import { Marked, type Tokens } from "marked";
import type { Chart } from "./charts/kit.js";
import type { ReportJson } from "./reportTypes.js";

export interface HtmlLibraries {
  /** Text of vega/build/vega.min.js. */
  vega: string;
  /** Text of vega-lite/build/vega-lite.min.js. */
  vegaLite: string;
  /** Text of vega-embed/build/vega-embed.min.js. */
  vegaEmbed: string;
}

export interface ReportHtmlInput {
  report: ReportJson;
  /** report.md. */
  markdown: string;
  charts: Chart[];
  libraries: HtmlLibraries;
}

/** The page may run its own inline scripts (Vega compiles expressions with `new Function`) and nothing else. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** JSON for a <script type="application/json"> block: `<` escaped, so no `</script>` or `<!--` can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * A library's source for an inline <script>: without its `//# sourceMappingURL=` line (the map is not
 * there), and with any `</script`, `<script` or `<!--` written as `\x3C…` (the same character inside a
 * string or regular expression, where such text can occur in valid code), so the HTML parser cannot end
 * or re-open the script early.
 */
export function scriptSource(js: string): string {
  return js.replace(/^\/\/# sourceMappingURL=.*$/gm, "").replace(/<(?=\/script|script|!--)/gi, "\\x3C");
}

/** report.md → HTML. Raw HTML in the markdown (a scenario description) is shown as text; images and links to elsewhere are not fetched or followed. */
export function markdownToHtml(markdown: string): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      image: ({ text }: Tokens.Image) => escapeHtml(text),
      link({ href, tokens }: Tokens.Link) {
        const text = this.parser.parseInline(tokens);
        return href.startsWith("#") ? `<a href="${escapeHtml(href)}">${text}</a>` : `${text} (${escapeHtml(href)})`;
      },
      table(token: Tokens.Table) {
        const cell = (c: Tokens.TableCell, tag: "th" | "td") => `<${tag}${c.align ? ` class="${c.align}"` : ""}>${this.parser.parseInline(c.tokens)}</${tag}>`;
        // A table whose header cells are all empty (a two-column key/value list) gets no header row.
        const head = token.header.every((c) => c.text.trim() === "") ? "" : `<tr>${token.header.map((c) => cell(c, "th")).join("")}</tr>`;
        const body = token.rows.map((row) => `<tr>${row.map((c) => cell(c, "td")).join("")}</tr>`).join("\n");
        return `<div class="table"><table>\n${head ? `<thead>${head}</thead>\n` : ""}<tbody>\n${body}\n</tbody>\n</table></div>\n`;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

/** The report.md sections that come before the charts, with the verdict: what a reviewer reads first. */
const BEFORE_CHARTS = new Set(["Warnings", "SLOs", "Faults"]);

/** Splits report.md before its first "## " section other than the SLOs and the faults: the verdict and those, then the tables. */
export function splitVerdict(markdown: string): [string, string] {
  const re = /^## (.*)$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    if (!BEFORE_CHARTS.has(m[1]!.trim())) return [markdown.slice(0, m.index), markdown.slice(m.index)];
  }
  return [markdown, ""];
}

export const STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d9d9d9; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f4; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; min-height: 100vh; }
h1 { font-size: 26px; margin: 8px 0 12px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p, li { max-width: 80ch; }
code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f1f1ef; padding: 1px 4px; border-radius: 3px; }
.table { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
th { background: #f3f3f1; font-weight: 600; }
th.right, td.right { text-align: right; }
th.center, td.center { text-align: center; }
tbody tr:nth-child(even) { background: #fafaf8; }
nav.charts { font-size: 14px; color: var(--muted); margin: 4px 0 0; }
nav.charts a { color: var(--accent); text-decoration: none; margin-right: 14px; white-space: nowrap; }
nav.charts a:hover { text-decoration: underline; }
figure.chart { margin: 18px 0 28px; }
figure.chart .view { overflow-x: auto; min-height: 120px; }
figure.chart figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
.chart-error { color: #a50026; }
footer { margin-top: 40px; font-size: 12.5px; color: var(--muted); }
`;

export const RENDER_SCRIPT = `
(function () {
  var charts = JSON.parse(document.getElementById("shardcast-charts").textContent);
  var done = 0;
  function settle() {
    done += 1;
    if (done === charts.length) document.body.setAttribute("data-charts-rendered", String(charts.length));
  }
  charts.forEach(function (chart) {
    var view = document.getElementById("chart-" + chart.name + "-view");
    vegaEmbed(view, chart.spec, { mode: "vega-lite", renderer: "svg", actions: false })
      .then(function () { view.setAttribute("data-rendered", "true"); settle(); })
      .catch(function (error) {
        view.className += " chart-error";
        view.textContent = "This chart could not be drawn: " + error.message;
        console.error(error);
        settle();
      });
  });
  if (charts.length === 0) document.body.setAttribute("data-charts-rendered", "0");
})();
`;

/** The whole report as one HTML document. Deterministic: the same input gives the same bytes. */
export function buildReportHtml(input: ReportHtmlInput): string {
  const { report, markdown, charts, libraries } = input;
  const [verdict, tables] = splitVerdict(markdown);
  return chartPage({ title: `shardcast report: ${report.scenario.name}`, before: verdict, after: tables, charts, libraries, provenance: report.provenance });
}

/** What a page's footer says of where it came from. */
export interface PageProvenance {
  shardcastVersion: string;
  limitsVersion: string;
  scenarioFile: string;
  scenarioSha256: string;
  seed: number;
}

/**
 * A self-contained page (report.html, sweep.html): markdown `before` the charts, the charts drawn in the page by
 * the inlined libraries from their inline specs, markdown `after` them, and a footer with the provenance.
 */
export function chartPage(input: { title: string; before: string; after: string; charts: Chart[]; libraries: HtmlLibraries; provenance: PageProvenance }): string {
  const { title, before, after, charts, libraries, provenance: p } = input;
  // The .vl.json files carry $schema for editors; the page needs no address (vega-embed is told the mode).
  const specs = charts.map((c) => {
    const { $schema: _schema, ...spec } = c.spec as { $schema?: string };
    return { name: c.name, spec };
  });
  const figures = charts
    .map(
      (c) =>
        `<figure class="chart" id="chart-${escapeHtml(c.name)}">\n<div class="view" id="chart-${escapeHtml(c.name)}-view" role="img" aria-label="${escapeHtml(c.title)}"></div>\n` +
        `<figcaption>${escapeHtml(c.title)}: also in <code>charts/${escapeHtml(c.name)}.svg</code>, <code>.png</code> and <code>.vl.json</code>.</figcaption>\n</figure>`,
    )
    .join("\n");
  const nav = charts.map((c) => `<a href="#chart-${escapeHtml(c.name)}">${escapeHtml(c.title)}</a>`).join("\n");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="shardcast ${escapeHtml(p.shardcastVersion)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    markdownToHtml(before),
    charts.length > 0 ? `<nav class="charts">Charts: ${nav}</nav>` : "",
    charts.length > 0 ? `<section id="charts">\n<h2>Charts</h2>\n${figures}\n</section>` : "",
    markdownToHtml(after),
    `<footer>shardcast ${escapeHtml(p.shardcastVersion)}, ${escapeHtml(p.limitsVersion)}; scenario ${escapeHtml(p.scenarioFile)} (sha256 ${escapeHtml(p.scenarioSha256)}), seed ${p.seed}. ` +
      "This file works offline: the charts are drawn by Vega, Vega-Lite and vega-embed, included below.</footer>",
    "</main>",
    `<script type="application/json" id="shardcast-charts">${scriptJson(specs)}</script>`,
    `<script>${scriptSource(libraries.vega)}</script>`,
    `<script>${scriptSource(libraries.vegaLite)}</script>`,
    `<script>${scriptSource(libraries.vegaEmbed)}</script>`,
    `<script>${RENDER_SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
