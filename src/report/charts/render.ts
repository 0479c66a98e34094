// Rendering a Vega-Lite spec headless: vega-lite compiles it to Vega, a Vega View without a renderer draws
// it to SVG (no canvas needed; the same bytes on every run), and resvg rasterises the SVG to PNG with the
// fonts it is given (without them text disappears). Pure: fonts arrive as paths the caller found.

import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { withoutTooltipLayers } from "./kit.js";

export interface RenderOptions {
  /** Called with each warning vega-lite or vega reports (default: ignored). */
  onWarning?: (message: string) => void;
}

/** A logger for vega-lite and vega that passes warnings and errors on and drops the rest. */
function loggerFor(onWarning: (message: string) => void) {
  const text = (args: readonly unknown[]) => args.map(String).join(" ");
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: readonly unknown[]) => (onWarning(`error: ${text(args)}`), logger),
    warn: (...args: readonly unknown[]) => (onWarning(text(args)), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger as unknown as vega.LoggerInterface;
}

/**
 * Compiles a Vega-Lite spec and draws it to an SVG document, leaving the spec as it was. Layers that only carry tooltips are left out
 * (they are invisible), and element ids are numbered from 0 in document order: Vega numbers gradients and
 * clip paths with a process-wide counter, which would make the bytes depend on what was drawn before.
 */
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const logger = loggerFor(options.onWarning ?? (() => {}));
  // A copy: Vega tags the data rows it ingests (a symbol key on each), and the caller's spec stays untouched.
  const vg = compile(structuredClone(withoutTooltipLayers(spec)), { logger }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: "none", logger, logLevel: vega.Warn });
  try {
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Renames every id="…" (and its url(#…) and href="#…" references) to its stem and its order of appearance. */
export function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  const next = new Map<string, number>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) {
    const id = m[1]!;
    if (ids.has(id)) continue;
    const stem = id.replace(/\d+$/, "");
    const n = next.get(stem) ?? 0;
    next.set(stem, n + 1);
    ids.set(id, `${stem}${n}`);
  }
  if (ids.size === 0) return svg;
  const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(\\bid="|#)(${[...ids.keys()].map(escape).join("|")})(?=["')])`, "g");
  return svg.replace(pattern, (_, lead: string, id: string) => `${lead}${ids.get(id)}`);
}

/** Vega-Lite's compiled Vega spec (for checks that want to look inside). */
export function compileToVega(spec: TopLevelSpec, options: RenderOptions = {}): vega.Spec {
  return compile(structuredClone(spec), { logger: loggerFor(options.onWarning ?? (() => {})) }).spec;
}

/** The font the charts ask for; resvg falls back to it for any family it does not have. */
export const PNG_FONT_FAMILY = "DejaVu Sans";

/**
 * Rasterises an SVG at `scale` × its size. With font files, only those fonts are used (the same picture on
 * every machine that has them); with none, resvg loads the system's fonts.
 */
export function renderPng(svg: string, fontFiles: string[], scale = 2): Uint8Array {
  const font = fontFiles.length > 0 ? { loadSystemFonts: false, defaultFontFamily: PNG_FONT_FAMILY, fontFiles } : { loadSystemFonts: true, defaultFontFamily: PNG_FONT_FAMILY };
  const png = new Resvg(svg, { font, fitTo: { mode: "zoom", value: scale }, background: "white" }).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
