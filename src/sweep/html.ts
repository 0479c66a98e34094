// sweep.html: a sweep in one self-contained page, like report.html (src/report/html.ts, whose look, markdown
// rendering, script escaping and Content-Security-Policy it shares): sweep.md rendered to HTML — the
// recommendation, the AWS formula and the comparison table — then the sweep's charts, drawn in the page by the
// inlined Vega, Vega-Lite and vega-embed from their inline specs, then the runs. It opens offline from file://
// and fetches nothing.

import type { Chart } from "../report/charts/kit.js";
import { chartPage, type HtmlLibraries } from "../report/html.js";
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
  return chartPage({ title: `shardcast sweep: ${sweep.scenario}`, before: head, after: tail, charts, libraries, provenance: sweep.provenance });
}
