// The command line's files: reading scenario files (with their hash and the name reports show), writing
// outputs (a file-system failure is exit 1, not an internal error), the fonts of the PNG charts and the
// Vega builds inlined into report.html.

import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { HtmlLibraries } from "../report/html.js";
import { CliError, EXIT } from "./errors.js";

export interface ScenarioFile {
  /** The file's text (UTF-8). */
  text: string;
  sha256: string;
  /** The path reports show: relative to the working folder. */
  scenarioFile: string;
}

export function readScenarioFile(file: string): ScenarioFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`${file}: cannot read the scenario file (${err.code === "ENOENT" ? "no such file" : err.message})`, EXIT.badInput);
  }
  return {
    text: bytes.toString("utf8"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    scenarioFile: relative(process.cwd(), file).split("\\").join("/") || file,
  };
}

/** A file-system failure while writing `target`, as the exit-1 error the user sees. */
export function writeFailure(target: string, e: unknown, what = "the output"): CliError {
  const err = e as NodeJS.ErrnoException;
  return new CliError(`${target}: cannot write ${what} (${err.code ? `${err.code}: ` : ""}${err.message.replace(/^\w+: /, "")})`, EXIT.badInput);
}

/**
 * Checks, without creating anything, that the output folder `dir` can be made and written: it is a folder or does
 * not exist yet, and the nearest folder that exists on its path is a folder this process may write in. Run
 * before simulating, so a bad --out fails in a moment rather than after the run, and leaves nothing behind.
 * Throws the exit-1 error writeFiles would (`<dir>: cannot write the output (CODE: why)`).
 */
export function checkOutputFolder(dir: string): void {
  const fail = (code: string, why: string) => new CliError(`${dir}: cannot write the output (${code}: ${why}); nothing was simulated`, EXIT.badInput);
  // Up the path as written until something exists.
  let at = dir;
  let isFolder: boolean;
  for (;;) {
    try {
      isFolder = statSync(at).isDirectory();
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = dirname(at);
      // ENOENT: not there yet; ENOTDIR: a file further up, which the next step finds.
      if ((code === "ENOENT" || code === "ENOTDIR") && parent !== at) {
        at = parent;
        continue;
      }
      throw writeFailure(dir, e);
    }
  }
  const shown = at === dir ? "it" : at;
  if (!isFolder) throw fail(at === dir ? "EEXIST" : "ENOTDIR", `${shown} is a file, not a folder`);
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "EACCES";
    throw fail(code, code === "EROFS" ? `${shown} is on a read-only file system` : `${shown} is not writable by this user`);
  }
}

/** Writes files (paths relative to `dir`, sub-folders made as needed). */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  let target = dir;
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      target = join(dir, name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  } catch (e) {
    throw writeFailure(target, e);
  }
}

/**
 * The fonts the PNG charts are drawn with: DejaVu Sans and its bold, from the npm package dejavu-fonts-ttf (the
 * same glyphs on every machine); empty when they cannot be found (the system's fonts are used then).
 */
export function chartFonts(): string[] {
  try {
    const files = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => fileURLToPath(import.meta.resolve(`dejavu-fonts-ttf/ttf/${f}`)));
    return files.every((f) => existsSync(f)) ? files : [];
  } catch {
    return [];
  }
}

export const MISSING_FONTS_NOTE = "the DejaVu fonts of the npm package dejavu-fonts-ttf were not found (npm ci); PNG charts use the system's fonts";

/**
 * The minified browser builds inlined into report.html. Each package's `exports` map hides build/, but the
 * module it resolves to lives there.
 */
export function readLibraries(): HtmlLibraries {
  const read = (pkg: string, file: string) => {
    const path = join(dirname(fileURLToPath(import.meta.resolve(pkg))), file);
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      throw new CliError(`cannot read ${path} for report.html (${(e as Error).message}); is ${pkg} installed? (npm ci)`, EXIT.internal);
    }
  };
  return { vega: read("vega", "vega.min.js"), vegaLite: read("vega-lite", "vega-lite.min.js"), vegaEmbed: read("vega-embed", "vega-embed.min.js") };
}
