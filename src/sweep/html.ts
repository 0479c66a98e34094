// sweep.html: a sweep in one self-contained page, like report.html (src/report/html.ts, whose look, markdown
// rendering, script escaping and Content-Security-Policy it shares): sweep.md rendered to HTML — the
// recommendation, the AWS formula and the comparison table — then the sweep's charts, drawn in the page by the
// inlined Vega, Vega-Lite and vega-embed from their inline specs, then the runs. It opens offline from file://
// and fetches nothing.

import type { Chart } from "../report/charts/kit.js";
import { CONTENT_SECURITY_POLICY, escapeHtml, markdownToHtml, RENDER_SCRIPT, scriptJson, scriptSource, STYLE, type HtmlLibraries } from "../report/html.js";
import type { buildSweepJson } from "./report.js";

export interface SweepHtmlInput {
  sweep: ReturnType<typeof buildSweepJson>;
  /** sweep.md. */
  markdown: string;
  charts: Chart[];
  libraries: HtmlLibraries;
}

/** The whole sweep as one HTML document. Deterministic: the same input gives the same bytes. */
export function buildSweepHtml(input: SweepHtmlInput): string {
  const { sweep, markdown, charts, libraries } = input;
  // The recommendation and the table first, the runs (provenance) after the charts.
  const at = markdown.search(/^## Runs$/m);
  const [head, tail] = at < 0 ? [markdown, ""] : [markdown.slice(0, at), markdown.slice(at)];
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
  const p = sweep.provenance;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="shardcast ${escapeHtml(p.shardcastVersion)}">`,
    `<title>shardcast sweep: ${escapeHtml(sweep.scenario)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    markdownToHtml(head),
    charts.length > 0 ? `<nav class="charts">Charts: ${nav}</nav>` : "",
    charts.length > 0 ? `<section id="charts">\n<h2>Charts</h2>\n${figures}\n</section>` : "",
    markdownToHtml(tail),
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
