// The command line's files: reading scenario files (with their hash and the name reports show), writing
// outputs (a file-system failure is exit 1, not an internal error), the fonts of the PNG charts and the
// Vega builds inlined into report.html.

import { createHash } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { HtmlLibraries } from "../report/html.js";
import { decodeUtf8, InputFileError } from "../scenario/index.js";
import { CliError, EXIT } from "./errors.js";

// ---------------------------------------------------------------------------------------------------------
// Reading: only regular files of bounded size, as UTF-8 text; files a scenario names only inside its folder.

/** The largest scenario file read (bytes): far above any real scenario, far below what would exhaust memory. */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
/** The largest trace, CloudWatch export or sweep part file read (bytes): a year of 1-minute rows is ~25 MB. */
export const MAX_DATA_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;

/** What a file that is not a regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The bytes of `file`, a regular file of at most `max` bytes; else `refuse(why)` is thrown. The type is checked
 * before opening, and again on the open descriptor (opened non-blocking, so a FIFO swapped in meanwhile never
 * blocks); a device, FIFO, socket or folder is never read. The reasons never quote the file's content.
 */
export function readRegularFile(file: string, max: number, refuse: (why: string) => Error): Buffer {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "ENOTDIR" ? "a part of the path is not a folder" : `${code ?? "error"}`);
  }
  const check = (s: Stats) => {
    if (!s.isFile()) throw refuse(`${kindOf(s)}; only regular files are read`);
    if (s.size > max) throw refuse(`${(s.size / MIB).toFixed(1)} MiB, more than the ${max / MIB} MiB allowed`);
  };
  check(st);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(code === "EACCES" ? "permission denied" : `${code ?? "error"}`);
  }
  try {
    const opened = fstatSync(fd);
    check(opened);
    // The size may have grown since: read at most max + 1 bytes, and refuse more than max.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(max + 1 - total, Math.max(64 * 1024, opened.size + 1 - total)));
      if (chunk.length === 0) break;
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > max) throw refuse(`more than the ${max / MIB} MiB allowed`);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof CliError || e instanceof InputFileError) throw e;
    throw refuse(`${(e as NodeJS.ErrnoException).code ?? "read error"}`);
  } finally {
    closeSync(fd);
  }
}

/** `file`'s bytes as UTF-8 text, or the exit-1 error naming the file:line:col and byte offset where it is not. */
export function decodeFile(bytes: Uint8Array, file: string, refuse: (message: string) => Error = (m) => new CliError(m, EXIT.badInput)): string {
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return decoded.text;
  const p = decoded.problem;
  throw refuse(`${file}:${p.line}:${p.column}: ${p.message}`);
}

/** A file named on the command line (an export, a part file) as text: exit 1 with the reason when it cannot be. */
export function readTextFile(file: string, what: string, max = MAX_DATA_BYTES): string {
  const bytes = readRegularFile(file, max, (why) => new CliError(`${file}: cannot read ${what} (${why})`, EXIT.badInput));
  return decodeFile(bytes, file);
}

export interface ScenarioFile {
  /** The file's text (UTF-8). */
  text: string;
  sha256: string;
  /** The path reports show: relative to the working folder. */
  scenarioFile: string;
}

export function readScenarioFile(file: string): ScenarioFile {
  const bytes = readRegularFile(file, MAX_SCENARIO_BYTES, (why) => new CliError(`${file}: cannot read the scenario file (${why})`, EXIT.badInput));
  const scenarioFile = relative(process.cwd(), file).split("\\").join("/") || file;
  return {
    text: decodeFile(bytes, scenarioFile),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    scenarioFile,
  };
}

/** `child` is `root` or inside it (both real paths). */
function inside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** The folders --allow-path names, each checked to be a folder and resolved to its real path. */
export function allowedFolders(dirs: readonly string[]): string[] {
  return dirs.map((d) => {
    let real: string;
    try {
      real = realpathSync(d);
    } catch {
      throw new CliError(`--allow-path ${d}: no such folder`, EXIT.usage);
    }
    if (!statSync(real).isDirectory()) throw new CliError(`--allow-path ${d}: not a folder`, EXIT.usage);
    return real;
  });
}

/** commander's collector for the repeatable --allow-path. */
export function collectAllowPath(arg: string, previous: string[] = []): string[] {
  return [...previous, arg];
}

export const ALLOW_PATH_HELP = "also read trace files in this folder (by default only the scenario's own folder and below; repeatable)";

/**
 * The reader of the files a scenario names (its traces), for resolveTraces: a path must lead (after every `..`
 * and symlink, by its real path) into the scenario file's folder or one of the `allowed` folders (real paths),
 * and be a regular file of at most MAX_DATA_BYTES of UTF-8 text. Anything else is refused, by an
 * InputFileError that names the path and why, before the file is opened. `seen` collects each text read, by path.
 */
export function scenarioFileReader(scenarioFile: string, allowed: readonly string[], seen?: Map<string, string>): (path: string) => string {
  let home: string | undefined;
  return (path: string) => {
    const refuse = (why: string) => new InputFileError(`cannot read the trace file ${path} (${why})`);
    home ??= realpathSync(dirname(scenarioFile));
    let real: string;
    try {
      real = realpathSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw refuse(code === "ENOENT" ? "no such file; the path is relative to the scenario file's folder" : `${code ?? "error"}`);
    }
    if (!inside(home, real) && !allowed.some((root) => inside(root, real))) {
      const link = lstatSafe(path)?.isSymbolicLink() ? "a symbolic link that leads " : "";
      throw refuse(`${link}outside the scenario's folder ${dirname(scenarioFile) || "."}; a scenario reads only files in its own folder and below, unless --allow-path DIR allows another`);
    }
    const text = decodeFile(readRegularFile(real, MAX_DATA_BYTES, refuse), path, (m) => new InputFileError(m));
    seen?.set(path, text);
    return text;
  };
}

function lstatSafe(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing: checked before simulating, locked, staged in a temporary folder and renamed into place.

/** A file-system failure while writing `target`, as the exit-1 error the user sees. */
export function writeFailure(target: string, e: unknown, what = "the output"): CliError {
  const err = e as NodeJS.ErrnoException;
  return new CliError(`${target}: cannot write ${what} (${err.code ? `${err.code}: ` : ""}${err.message.replace(/^\w+: /, "")})`, EXIT.badInput);
}

/** File systems that are views of the kernel, never a place for files (statfs f_type, linux/magic.h). */
const PSEUDO_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: "procfs (/proc)",
  0x62656572: "sysfs (/sys)",
  0x63677270: "cgroup2",
  0x27e0eb: "cgroup",
  0x64626720: "debugfs",
  0x74726163: "tracefs",
  0x73636673: "securityfs",
  0x1cd1: "devpts",
  0x62656570: "configfs",
  0xcafe4a11: "bpf",
  0x6e736673: "nsfs",
};

/**
 * Checks, without creating anything, that the output folder `dir` can be made and written: it is a folder or does
 * not exist yet, and the nearest folder that exists on its path is a folder this process may write in, on a real
 * file system (not /proc or /sys). Run before simulating, so a bad --out fails in a moment rather than after the
 * run, and leaves nothing behind. Throws the exit-1 error (`<dir>: cannot write the output (CODE: why)`).
 * Returns the nearest folder that exists.
 */
export function checkOutputFolder(dir: string, what = "the output", after = "; nothing was simulated"): string {
  const fail = (code: string, why: string) => new CliError(`${dir}: cannot write ${what} (${code}: ${why})${after}`, EXIT.badInput);
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
      throw writeFailure(dir, e, what);
    }
  }
  const shown = at === dir ? "it" : at;
  if (!isFolder) throw fail(at === dir ? "EEXIST" : "ENOTDIR", `${shown} is a file, not a folder`);
  let type: number | undefined;
  try {
    type = Number(statfsSync(at).type);
  } catch {
    type = undefined;
  }
  const pseudo = type === undefined ? undefined : PSEUDO_FILE_SYSTEMS[type];
  if (pseudo) throw fail("EPERM", `${shown} is on ${pseudo}, a view of the kernel, not a place for reports`);
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "EACCES";
    throw fail(code, code === "EROFS" ? `${shown} is on a read-only file system` : `${shown} is not writable by this user`);
  }
  return at;
}

/** The name of the lock file in an output folder while a command writes its reports there. */
export const LOCK_FILE = ".shardcast.lock";
const TEMP_PREFIX = ".shardcast-tmp-";
const OLD_PREFIX = ".shardcast-old-";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

let nextTag = 0;

/**
 * An output folder held for one command's report set (e.g. report.json, report.md, report.html, charts/): made if
 * needed and locked (LOCK_FILE, with this process's id) so that a second run into it is refused; the new set is
 * written to a temporary folder inside it and renamed into place at the end, replacing the previous set's
 * entries (and only those: other files in the folder are left alone). A run that fails, or is interrupted by
 * SIGINT or SIGTERM while its handlers are on (guardSignals), leaves the previous set as it was, no temporary
 * folder and no lock; folders it made are removed again when empty.
 */
export class OutputFolder {
  private readonly made: string[] = [];
  private readonly lock: string;
  private temp: string | undefined;
  private locked = false;
  private closed = false;
  private readonly handlers: [NodeJS.Signals, () => void][] = [];

  private constructor(
    readonly dir: string,
    private readonly owned: readonly string[],
  ) {
    this.lock = join(dir, LOCK_FILE);
  }

  /** Checks `dir` (checkOutputFolder), makes it and takes its lock; throws the exit-1 error when it cannot. */
  static open(dir: string, owned: readonly string[]): OutputFolder {
    const existing = checkOutputFolder(dir);
    const out = new OutputFolder(dir, owned);
    // One folder at a time (never a recursive mkdir, which loops on some file systems).
    const missing: string[] = [];
    for (let d = dir; d !== existing && d !== dirname(d); d = dirname(d)) missing.unshift(d);
    try {
      for (const d of missing) {
        mkdirSync(d);
        out.made.unshift(d);
      }
      out.takeLock();
    } catch (e) {
      out.close();
      throw e instanceof CliError ? e : writeFailure(dir, e);
    }
    return out;
  }

  private takeLock(): void {
    for (let attempt = 0; ; attempt++) {
      try {
        writeFileSync(this.lock, `${process.pid}\n`, { flag: "wx" });
        this.locked = true;
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
        let pid = NaN;
        try {
          pid = Number(readFileSync(this.lock, "utf8").trim());
        } catch {
          // unreadable: treated as held
        }
        if (Number.isSafeInteger(pid) && pid > 0 && !processAlive(pid)) {
          unlinkSync(this.lock); // left by a run that was killed
          continue;
        }
        throw new CliError(
          `${this.dir}: another shardcast run${Number.isSafeInteger(pid) && pid > 0 ? ` (process ${pid})` : ""} is writing its reports in this folder ` +
            `(lock file ${this.lock}); wait for it to finish or give another --out; nothing was simulated`,
          EXIT.badInput,
        );
      }
    }
    // Holding the lock, nothing else writes here: temporary folders left by a killed run can go.
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith(TEMP_PREFIX) || name.startsWith(OLD_PREFIX)) rmSync(join(this.dir, name), { recursive: true, force: true });
    }
  }

  /**
   * From now on, SIGINT and SIGTERM remove the temporary folder and the lock (and the folders made) and end the
   * process (exit 130 or 143) with the previous report set untouched. Call it when the main thread is free to
   * run the handlers (not before a long synchronous simulation, which the default action should stop at once).
   */
  guardSignals(): void {
    if (this.handlers.length > 0 || this.closed) return;
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const handler = () => {
        this.close();
        process.stderr.write(`shardcast: ${signal}: stopped; ${this.dir} holds the previous reports as they were\n`);
        process.exit(code);
      };
      process.on(signal, handler);
      this.handlers.push([signal, handler]);
    }
  }

  /**
   * Writes the report set (paths relative to the folder, sub-folders made as needed): staged in a temporary folder,
   * then the previous set's entries moved aside and the new ones renamed into place (synchronous, so no signal
   * handler runs in between). A failure leaves the previous set as it was; throws the exit-1 error.
   */
  write(files: Record<string, string | Uint8Array>): void {
    const temp = join(this.dir, `${TEMP_PREFIX}${process.pid}-${nextTag++}`);
    this.temp = temp;
    let target = this.dir;
    try {
      mkdirSync(temp);
      for (const [name, content] of Object.entries(files)) {
        target = join(this.dir, name);
        const staged = join(temp, name);
        mkdirSync(dirname(staged), { recursive: true });
        writeFileSync(staged, content);
      }
    } catch (e) {
      this.removeTemp();
      throw writeFailure(target, e);
    }
    const entries = readdirSync(temp);
    const replaced = [...new Set([...this.owned, ...entries])];
    const old = join(this.dir, `${OLD_PREFIX}${process.pid}-${nextTag++}`);
    const movedOld: string[] = [];
    const movedNew: string[] = [];
    try {
      mkdirSync(old);
      for (const name of replaced) {
        if (lstatSafe(join(this.dir, name)) === undefined) continue;
        renameSync(join(this.dir, name), join(old, name));
        movedOld.push(name);
      }
      for (const name of entries) {
        renameSync(join(temp, name), join(this.dir, name));
        movedNew.push(name);
      }
    } catch (e) {
      // Put the previous set back.
      for (const name of movedNew) rmSync(join(this.dir, name), { recursive: true, force: true });
      for (const name of movedOld) renameSync(join(old, name), join(this.dir, name));
      rmSync(old, { recursive: true, force: true });
      this.removeTemp();
      throw writeFailure(this.dir, e);
    }
    rmSync(old, { recursive: true, force: true });
    this.removeTemp();
    this.made.length = 0; // the folder now holds reports: keep it
  }

  private removeTemp(): void {
    if (this.temp) rmSync(this.temp, { recursive: true, force: true });
    this.temp = undefined;
  }

  /** Releases the folder: the temporary folder and the lock removed, folders made and still empty removed. */
  close(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    this.handlers.length = 0;
    if (this.closed) return;
    this.closed = true;
    try {
      this.removeTemp();
    } catch {
      // best effort
    }
    // Only a lock this run took (another run's stays).
    if (this.locked) {
      try {
        unlinkSync(this.lock);
      } catch {
        // already gone
      }
    }
    for (const d of this.made) {
      try {
        rmdirSync(d);
      } catch {
        break; // not empty, or gone
      }
    }
  }
}

/** The report set of `run`: what a new run replaces in its --out folder. */
export const RUN_REPORT_SET = ["report.json", "report.md", "report.html", "charts"] as const;
/** The report set of `sweep` and `merge`. */
export const SWEEP_REPORT_SET = ["sweep.json", "sweep.md", "sweep.html", "charts"] as const;

/** Writes one file atomically: a temporary file beside it, renamed into place (nothing left on failure). */
export function writeFileAtomic(target: string, content: string | Uint8Array, what = "the output"): void {
  const temp = join(dirname(target), `${TEMP_PREFIX}${basename(target)}-${process.pid}-${nextTag++}`);
  try {
    writeFileSync(temp, content, { flag: "wx" });
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw writeFailure(target, e, what);
  }
}

/** Makes `dir` and its missing parents one at a time (never a recursive mkdir); the exit-1 error when it cannot. */
export function makeFolder(dir: string, what = "the output"): void {
  const existing = checkOutputFolder(resolve(dir), what, "");
  const missing: string[] = [];
  for (let d = resolve(dir); d !== existing && d !== dirname(d); d = dirname(d)) missing.unshift(d);
  try {
    for (const d of missing) mkdirSync(d);
  } catch (e) {
    throw writeFailure(dir, e, what);
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
