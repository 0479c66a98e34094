// A catalogue of hostile inputs (issue 14): scenario, trace, export and part files and arguments that try to read
// files outside the scenario's folder, read devices and FIFOs, smuggle objects through YAML tags, nest without
// end, write through an object's prototype, hide other encodings, forge a sweep's partial results, or aim the
// output at /proc. Each entry states the exit code it must get (1: bad input; 2: a usage mistake) and the
// message it must print (naming the file, line:column and field where there is one); for every entry the test
// also checks that stderr holds no stack trace and no internal error, that a refused file's content is never
// quoted, and that no report was written: the --out folder, which holds a previous report set, is left exactly
// as it was (no new file, no temporary folder, no lock).
//
// The text files are committed in test/fixtures/hostile/; what cannot be committed as text (other encodings,
// zero bytes, FIFOs, symbolic links, sparse giants, forged part files) is made here in a temporary folder.
// Entries whose input would hang or exhaust an unguarded reader (FIFOs, devices, a 63-million-period export,
// an --out under /proc) run the CLI in its own process, so a regression fails by its timeout instead of
// stopping the test runner.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { LOCK_FILE } from "../../src/cli/files.js";
import { cli, cliProcess, type CliResult } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-hostile-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIX = "test/fixtures/hostile";
const SC = `${FIX}/scenarios`;
/** The temporary scenario folder, its exports and its forged parts. */
const T = join(tmp, "sc");
const EXP = join(tmp, "exports");
const PARTS = join(tmp, "parts");

const STACK_LINE = /^ {4}at /m;

/** A valid scenario's lines, for variants made here. */
const BASE = [
  "name: hostile",
  "description: plain",
  "duration: 1m",
  "stream: { shards: 1 }",
  "producers:",
  "  - name: web",
  "    client: sdk",
  "    instances: 1",
  '    rate: { shape: constant, value: "10/s" }',
  "    recordSize: { dist: fixed, size: 1KiB }",
].join("\n");
const traceScenario = (file: string) => BASE.replace('{ shape: constant, value: "10/s" }', `{ shape: trace, file: ${file} }`);
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

/** A real part file of the tiny sweep (2 runs, partition 1/1), for forging. */
let part: Record<string, unknown>;

beforeAll(async () => {
  mkdirSync(T);
  mkdirSync(EXP);
  mkdirSync(PARTS);
  // Scenario files that are not UTF-8 text, or not regular files.
  const [before, after] = BASE.split("description: plain") as [string, string];
  const description = (raw: number[]) => bytes(before, "description: caf", raw, after, "\n");
  writeFileSync(join(T, "latin1.yaml"), description([0xe9]));
  writeFileSync(join(T, "cesu-surrogate.yaml"), description([0xed, 0xa0, 0x80]));
  writeFileSync(join(T, "overlong.yaml"), description([0xc0, 0xaf]));
  writeFileSync(join(T, "truncated.yaml"), bytes(BASE, "\n# ends in the middle of a character: ", [0xe2, 0x82]));
  writeFileSync(join(T, "nul.yaml"), bytes(BASE, "\n", [0]));
  writeFileSync(join(T, "latin1-key.yaml"), bytes(BASE, "\n    partitionKey: { kind: fixed, keys: [{ key: \"caf", [0xe9], '", share: 1 }] }\n'));
  const utf16 = (le: boolean, bom: boolean) => {
    const b = Buffer.from(`${BASE}\n`, "utf16le");
    if (!le) b.swap16();
    return Buffer.concat([bom ? Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), b]);
  };
  writeFileSync(join(T, "utf16le-bom.yaml"), utf16(true, true));
  writeFileSync(join(T, "utf16be-bom.yaml"), utf16(false, true));
  writeFileSync(join(T, "utf16le.yaml"), utf16(true, false));
  writeFileSync(join(T, "utf16be.yaml"), utf16(false, false));
  const utf32 = Buffer.alloc(4 + 4 * (BASE.length + 1));
  utf32.writeUInt32LE(0xfeff, 0);
  [...`${BASE}\n`].forEach((c, i) => utf32.writeUInt32LE(c.codePointAt(0)!, 4 + 4 * i));
  writeFileSync(join(T, "utf32le-bom.yaml"), utf32);
  mkfifo(join(T, "fifo.yaml"));
  mkdirSync(join(T, "folder.yaml"));
  writeFileSync(join(T, "huge.yaml"), BASE);
  truncateSync(join(T, "huge.yaml"), 17 * 1024 * 1024); // sparse: no disk used
  symlinkSync("/dev/zero", join(T, "zero.yaml"));

  // Trace files a scenario names: links out, devices, a FIFO, a folder, a giant, other encodings.
  symlinkSync("/etc/passwd", join(T, "link-passwd.csv"));
  symlinkSync("/etc/shadow", join(T, "link-shadow.csv"));
  symlinkSync("/dev/zero", join(T, "link-zero.csv"));
  symlinkSync("/etc", join(T, "etc-link"));
  mkfifo(join(T, "fifo.csv"));
  mkdirSync(join(T, "dir.csv"));
  writeFileSync(join(T, "huge.csv"), "time,records\n0,1\n60,1\n");
  truncateSync(join(T, "huge.csv"), 300 * 1024 * 1024);
  writeFileSync(join(T, "latin1.csv"), bytes("time,records\n0,1 # caf", [0xe9], "\n60,1\n"));
  writeFileSync(join(T, "utf16.csv"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("time,records\n0,1\n60,1\n", "utf16le")]));
  writeFileSync(join(T, "nul.csv"), bytes("time,records\n0,1\n", [0], "60,1\n"));
  for (const f of ["link-passwd.csv", "link-shadow.csv", "link-zero.csv", "etc-link/passwd", "fifo.csv", "dir.csv", "huge.csv", "latin1.csv", "utf16.csv", "nul.csv", "/dev/zero", "/dev/stdin"]) {
    writeFileSync(join(T, `trace-${f.replace(/\W/g, "_")}.yaml`), traceScenario(f));
  }

  // CloudWatch exports.
  const point = (ts: string[], vs: number[]) => JSON.stringify({ MetricDataResults: [{ Id: "m1", Label: "IncomingRecords", Timestamps: ts, Values: vs, StatusCode: "Complete" }] });
  writeFileSync(join(EXP, "null.json"), "null\n");
  writeFileSync(join(EXP, "null-result.json"), '{ "MetricDataResults": [null] }\n');
  writeFileSync(join(EXP, "utf16.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(point(["2024-09-26T12:00:00Z", "2024-09-26T12:01:00Z"], [1, 2]), "utf16le")]));
  writeFileSync(join(EXP, "latin1.json"), bytes('{ "MetricDataResults": [], "Messages": [{ "Code": "x", "Value": "caf', [0xe9], '" }] }'));
  writeFileSync(join(EXP, "surrogate.json"), '{ "MetricDataResults": [{ "Id": "m1", "Label": "Incoming\\ud800Records", "Timestamps": [], "Values": [] }] }');
  writeFileSync(join(EXP, "deep.json"), `${"[".repeat(600)}${"]".repeat(600)}`);
  mkfifo(join(EXP, "fifo.json"));
  // Two years of 1-minute Sums with one stray data point a second after the first: the smallest spacing is 1 s.
  const start = Date.parse("2022-01-01T00:00:00Z");
  const ts: string[] = [];
  for (let t = start; t <= start + 2 * 365 * 86_400_000; t += 3_600_000) ts.push(new Date(t).toISOString());
  ts.splice(1, 0, new Date(start + 1000).toISOString());
  writeFileSync(join(EXP, "uneven.json"), point(ts, ts.map(() => 1)));
  // Even 1-minute spacing, but one point ten years later: 5 million periods.
  writeFileSync(join(EXP, "span.json"), point(["2014-01-01T00:00:00Z", "2014-01-01T00:01:00Z", "2014-01-01T00:02:00Z", "2024-01-01T00:00:00Z"], [1, 1, 1, 1]));

  // A real part file to forge.
  const made = await cli("sweep", `${SC}/tiny.yaml`, "--vary", "stream.shards=1,2", "--partition", "1/1", "--jobs", "1", "--quiet", "--out", join(tmp, "real-part"));
  if (made.code !== 0) throw new Error(`could not make the part file: ${made.stderr}`);
  part = JSON.parse(readFileSync(join(tmp, "real-part", "sweep-part-1-of-1.json"), "utf8")) as Record<string, unknown>;
}, 60_000);

/** A forged part, in a folder of its own: `change` edits a copy of the real part (or returns the file's text). */
type Part = Record<string, unknown>;
type Summary = Record<string, unknown> & { metrics: Record<string, unknown> };

function forge(name: string, change: (p: Part) => Part | string | Buffer): string {
  const d = join(PARTS, name);
  mkdirSync(d, { recursive: true });
  const out = change(structuredClone(part));
  writeFileSync(join(d, "sweep-part-1-of-1.json"), typeof out === "string" || Buffer.isBuffer(out) ? out : JSON.stringify(out));
  return d;
}
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const summary0 = (p: Part) => (p.summaries as Summary[])[0]!;

/** What a test runs against and checks. */
interface Entry {
  /** What the entry tries. */
  name: string;
  /** The command line, before --out (given the --out to use). */
  args: (out: string) => string[];
  code: 1 | 2;
  /** Patterns stderr must match (a string: contained). */
  stderr: (string | RegExp)[];
  /** Run in a process of its own (an unguarded CLI would hang or exhaust memory). */
  process?: boolean;
  /** The --out is part of the entry (no previous report set to compare). */
  ownOut?: boolean;
}

const at = (file: string, line: number, column: number, field = "") => new RegExp(`${file.replace(/[.[\]]/g, "\\$&")}:${line}:${column}: ${field.replace(/[.[\]]/g, "\\$&")}`);
const run = (file: string, ...more: string[]) => (out: string) => ["run", file, "--no-charts", "--quiet", ...more, "--out", out];
const sweepOf = (file: string, ...more: string[]) => (out: string) => ["sweep", file, "--jobs", "1", "--no-charts", "--quiet", ...more, "--out", out];
const merge = (dir: () => string) => (out: string) => ["merge", dir(), "--no-charts", "--out", out];
const imp = (file: string) => (out: string) => ["import", "cloudwatch", file, "--out", join(out, "trace.csv")];
const OUTSIDE = "outside the scenario's folder";

const CATALOGUE: Entry[] = [
  // --- File access confined to the scenario's folder -------------------------------------------------------
  { name: "trace: the password file by absolute path", args: run(`${SC}/trace-absolute-passwd.yaml`), code: 1, stderr: [at("trace-absolute-passwd.yaml", 8, 33, "producers[0].rate.file"), "/etc/passwd", OUTSIDE, "--allow-path"] },
  { name: "trace: the shadow file by absolute path", args: run(`${SC}/trace-absolute-shadow.yaml`), code: 1, stderr: [at("trace-absolute-shadow.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE] },
  { name: "trace: ../ out of the scenario's folder", args: run(`${SC}/trace-dotdot-escape.yaml`), code: 1, stderr: [at("trace-dotdot-escape.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE] },
  { name: "trace: ../ many times up to /etc/passwd", args: run(`${SC}/trace-dotdot-deep.yaml`), code: 1, stderr: [at("trace-dotdot-deep.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE] },
  { name: "trace: /proc/self/environ", args: run(`${SC}/trace-proc-self-environ.yaml`), code: 1, stderr: [at("trace-proc-self-environ.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE] },
  { name: "trace: /dev/zero by absolute path", args: run(`${SC}/trace-absolute-dev-zero.yaml`), code: 1, stderr: [at("trace-absolute-dev-zero.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE], process: true },
  { name: "trace: /dev/stdin", args: run(`${SC}/trace-dev-stdin.yaml`), code: 1, stderr: [at("trace-dev-stdin.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE], process: true },
  { name: "trace: a symlink in the folder to the password file", args: run(join(T, "trace-link_passwd_csv.yaml")), code: 1, stderr: [at("trace-link_passwd_csv.yaml", 9, 33, "producers[0].rate.file"), "a symbolic link that leads outside"] },
  { name: "trace: a symlink in the folder to the shadow file", args: run(join(T, "trace-link_shadow_csv.yaml")), code: 1, stderr: [at("trace-link_shadow_csv.yaml", 9, 33, "producers[0].rate.file"), "a symbolic link that leads outside"] },
  { name: "trace: a symlink in the folder to /dev/zero", args: run(join(T, "trace-link_zero_csv.yaml")), code: 1, stderr: [at("trace-link_zero_csv.yaml", 9, 33, "producers[0].rate.file"), "a symbolic link that leads outside"], process: true },
  { name: "trace: through a symlinked folder (etc-link/passwd)", args: run(join(T, "trace-etc_link_passwd.yaml")), code: 1, stderr: [at("trace-etc_link_passwd.yaml", 9, 33, "producers[0].rate.file"), OUTSIDE] },
  { name: "trace: /dev/zero even with --allow-path /dev (a device, not a regular file)", args: run(join(T, "trace-_dev_zero.yaml"), "--allow-path", "/dev"), code: 1, stderr: [at("trace-_dev_zero.yaml", 9, 33, "producers[0].rate.file"), "a character device; only regular files are read"], process: true },
  { name: "trace: a FIFO in the scenario's folder", args: run(join(T, "trace-fifo_csv.yaml")), code: 1, stderr: [at("trace-fifo_csv.yaml", 9, 33, "producers[0].rate.file"), "a named pipe (FIFO); only regular files are read"], process: true },
  { name: "trace: a folder", args: run(join(T, "trace-dir_csv.yaml")), code: 1, stderr: [at("trace-dir_csv.yaml", 9, 33, "producers[0].rate.file"), "a folder; only regular files are read"] },
  { name: "trace: a 300 MiB file", args: run(join(T, "trace-huge_csv.yaml")), code: 1, stderr: [at("trace-huge_csv.yaml", 9, 33, "producers[0].rate.file"), "300.0 MiB, more than the 256 MiB allowed"] },
  { name: "trace: Latin-1 bytes", args: run(join(T, "trace-latin1_csv.yaml")), code: 1, stderr: [at("trace-latin1_csv.yaml", 9, 33, "producers[0].rate.file"), /latin1\.csv:2:10: not UTF-8: the byte at offset 22 \(E9 0A/] },
  { name: "trace: UTF-16LE", args: run(join(T, "trace-utf16_csv.yaml")), code: 1, stderr: [at("trace-utf16_csv.yaml", 9, 33, "producers[0].rate.file"), /utf16\.csv:1:1: this file is UTF-16LE \(it starts with the byte order mark FF FE\); save it as UTF-8/] },
  { name: "trace: a zero byte (binary)", args: run(join(T, "trace-nul_csv.yaml")), code: 1, stderr: [at("trace-nul_csv.yaml", 9, 33, "producers[0].rate.file"), /nul\.csv:3:1: a zero byte at offset 17: this is a binary file, not text/] },
  { name: "sweep: a trace outside the folder is refused before any run", args: sweepOf(`${SC}/trace-absolute-passwd.yaml`, "--vary", "stream.shards=1,2"), code: 1, stderr: [at("trace-absolute-passwd.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE] },
  { name: "estimate: a trace outside the folder", args: () => ["estimate", `${SC}/trace-absolute-passwd.yaml`], code: 1, stderr: [at("trace-absolute-passwd.yaml", 8, 33, "producers[0].rate.file"), OUTSIDE], ownOut: true },
  { name: "--allow-path to a folder that does not exist", args: run(`${SC}/tiny.yaml`, "--allow-path", "/no/such/folder"), code: 2, stderr: ["--allow-path /no/such/folder: no such folder"] },

  // --- The scenario file itself: regular, bounded, UTF-8 -----------------------------------------------------
  { name: "scenario: /dev/zero", args: run("/dev/zero"), code: 1, stderr: ["/dev/zero: cannot read the scenario file (a character device; only regular files are read)"], process: true },
  { name: "scenario: a symlink to /dev/zero", args: run(join(T, "zero.yaml")), code: 1, stderr: ["zero.yaml: cannot read the scenario file (a character device; only regular files are read)"], process: true },
  { name: "scenario: a FIFO", args: run(join(T, "fifo.yaml")), code: 1, stderr: ["fifo.yaml: cannot read the scenario file (a named pipe (FIFO); only regular files are read)"], process: true },
  { name: "scenario: a folder", args: run(join(T, "folder.yaml")), code: 1, stderr: ["folder.yaml: cannot read the scenario file (a folder; only regular files are read)"] },
  { name: "scenario: 17 MiB", args: run(join(T, "huge.yaml")), code: 1, stderr: ["huge.yaml: cannot read the scenario file (17.0 MiB, more than the 16 MiB allowed)"] },
  { name: "scenario: a Latin-1 byte", args: run(join(T, "latin1.yaml")), code: 1, stderr: [/latin1\.yaml:2:17: not UTF-8: the byte at offset 30 \(E9 0A 64 75 …\) does not start a valid UTF-8 character \(Latin-1 or Windows-1252 text\?\); save it as UTF-8/] },
  { name: "scenario: a Latin-1 partition key (would route to another shard as U+FFFD)", args: run(join(T, "latin1-key.yaml")), code: 1, stderr: [/latin1-key\.yaml:11:52: not UTF-8: the byte at offset 266 \(E9 22/] },
  { name: "scenario: an encoded surrogate (CESU-8)", args: run(join(T, "cesu-surrogate.yaml")), code: 1, stderr: [/cesu-surrogate\.yaml:2:17: not UTF-8: the byte at offset 30 \(ED A0 80/] },
  { name: "scenario: an overlong encoding", args: run(join(T, "overlong.yaml")), code: 1, stderr: [/overlong\.yaml:2:17: not UTF-8: the byte at offset 30 \(C0 AF/] },
  { name: "scenario: a character cut off at the end", args: run(join(T, "truncated.yaml")), code: 1, stderr: [/truncated\.yaml:11:38: not UTF-8: the byte at offset \d+ \(E2 82\)/] },
  { name: "scenario: a zero byte", args: run(join(T, "nul.yaml")), code: 1, stderr: [/nul\.yaml:11:1: a zero byte at offset \d+: this is a binary file, not text/] },
  { name: "scenario: UTF-16LE with a byte order mark", args: run(join(T, "utf16le-bom.yaml")), code: 1, stderr: [/utf16le-bom\.yaml:1:1: this file is UTF-16LE \(it starts with the byte order mark FF FE\); save it as UTF-8/] },
  { name: "scenario: UTF-16BE with a byte order mark", args: run(join(T, "utf16be-bom.yaml")), code: 1, stderr: [/utf16be-bom\.yaml:1:1: this file is UTF-16BE \(it starts with the byte order mark FE FF\); save it as UTF-8/] },
  { name: "scenario: UTF-16LE without a byte order mark", args: run(join(T, "utf16le.yaml")), code: 1, stderr: [/utf16le\.yaml:1:1: this file is UTF-16LE \(every other byte is zero\); save it as UTF-8/] },
  { name: "scenario: UTF-16BE without a byte order mark", args: run(join(T, "utf16be.yaml")), code: 1, stderr: [/utf16be\.yaml:1:1: this file is UTF-16BE \(every other byte is zero\); save it as UTF-8/] },
  { name: "scenario: UTF-32LE with a byte order mark", args: run(join(T, "utf32le-bom.yaml")), code: 1, stderr: [/utf32le-bom\.yaml:1:1: this file is UTF-32LE \(it starts with the byte order mark FF FE 00 00\); save it as UTF-8/] },
  { name: "scenario: a lone surrogate escape in a YAML string", args: run(`${SC}/surrogate-yaml.yaml`), code: 1, stderr: [at("surrogate-yaml.yaml", 2, 14, "description"), "lone UTF-16 surrogate"] },
  { name: "scenario: a lone surrogate escape in a key", args: run(`${SC}/surrogate-key.yaml`), code: 1, stderr: [at("surrogate-key.yaml", 3, 1), "lone UTF-16 surrogate"] },
  { name: "scenario: a lone surrogate escape in JSON", args: run(`${SC}/surrogate.json`), code: 1, stderr: [at("surrogate.json", 1, 37, "description"), "lone UTF-16 surrogate"] },

  // --- YAML that is not plain data -------------------------------------------------------------------------
  { name: "!!python/object", args: run(`${SC}/tag-python-object.yaml`), code: 1, stderr: [at("tag-python-object.yaml", 3, 45, "stream.shards"), "unknown tag `!!python/object:os.system`"] },
  { name: "!!python/object/apply", args: run(`${SC}/tag-python-apply.yaml`), code: 1, stderr: [at("tag-python-apply.yaml", 3, 51, "stream.shards"), "unknown tag `!!python/object/apply:os.system`"] },
  { name: "a custom tag !foo", args: run(`${SC}/tag-custom.yaml`), code: 1, stderr: [at("tag-custom.yaml", 3, 24, "stream.shards"), "unknown tag `!foo`"] },
  { name: "!!binary", args: run(`${SC}/tag-binary.yaml`), code: 1, stderr: [at("tag-binary.yaml", 3, 28, "stream.shards"), "unknown tag `!!binary`"] },
  { name: "!!set", args: run(`${SC}/tag-set.yaml`), code: 1, stderr: [at("tag-set.yaml", 2, 20, "description"), "unknown tag `!!set`"] },
  { name: "nesting 5,000 flow lists deep", args: run(`${SC}/deep-flow.yaml`), code: 1, stderr: [/deep-flow\.yaml:10:\d+: YAML error: nesting too deep \(limit 64 levels of lists and mappings\)/] },
  { name: "nesting 100 block mappings deep", args: run(`${SC}/deep-100.yaml`), code: 1, stderr: [at("deep-100.yaml", 74, 129), "YAML error: nesting too deep (limit 64 levels of lists and mappings)"] },
  { name: "JSON nested 1,000 deep", args: run(`${SC}/deep.json`), code: 1, stderr: [at("deep.json", 1, 100), "JSON syntax error: nesting too deep (limit 64 levels of lists and objects)"] },
  { name: "JSON nested 70 deep", args: run(`${SC}/deep-70.json`), code: 1, stderr: [at("deep-70.json", 1, 100), "nesting too deep (limit 64"] },
  { name: "name: .. (the default output folder would be the working folder)", args: run(`${SC}/name-dotdot.yaml`), code: 1, stderr: [at("name-dotdot.yaml", 1, 7, "name"), "cannot be only dots"] },
  { name: "name: .", args: run(`${SC}/name-dot.yaml`), code: 1, stderr: [at("name-dot.yaml", 1, 7, "name"), "cannot be only dots"] },
  { name: "name: ...", args: run(`${SC}/name-dots.yaml`), code: 1, stderr: [at("name-dots.yaml", 1, 7, "name"), "cannot be only dots"] },
  { name: "shards: 1e308 reports the field's range", args: run(`${SC}/shards-1e308.yaml`), code: 1, stderr: [/^[^\n]*shards-1e308\.yaml:4:19: stream\.shards: must be at most 10000 \(allowed 1\.\.10000\), got 1e\+308\n$/] },
  { name: "shards: -1e308", args: run(`${SC}/shards-minus-1e308.yaml`), code: 1, stderr: [/^[^\n]*shards-minus-1e308\.yaml:4:19: stream\.shards: must be at least 1 \(allowed 1\.\.10000\), got -1e\+308\n$/] },
  { name: "instances: 1e308", args: run(`${SC}/instances-1e308.yaml`), code: 1, stderr: [/^[^\n]*instances-1e308\.yaml:8:16: producers\[0\]\.instances: must be at most 1000000 \(allowed 1\.\.1000000\), got 1e\+308\n$/] },
  { name: "shards: past 2^53", args: run(`${SC}/shards-past-2-53.yaml`), code: 1, stderr: [/^[^\n]*shards-past-2-53\.yaml:4:19: stream\.shards: must be at most 10000 \(allowed 1\.\.10000\), got 9007199254740992\n$/] },

  // --- --vary and --set through the prototype; their mistakes are usage mistakes -------------------------
  { name: "--set __proto__.polluted=1", args: run(`${SC}/tiny.yaml`, "--set", "__proto__.polluted=1"), code: 2, stderr: ['--set "__proto__.polluted=1": "__proto__" cannot be part of a path'] },
  { name: "--set stream.constructor.prototype.polluted=1", args: run(`${SC}/tiny.yaml`, "--set", "stream.constructor.prototype.polluted=1"), code: 2, stderr: ['"constructor" cannot be part of a path'] },
  { name: "--set producers[__proto__].instances=2", args: run(`${SC}/tiny.yaml`, "--set", "producers[__proto__].instances=2"), code: 2, stderr: ['"__proto__" cannot be part of a path'] },
  { name: "--set stream.toString.polluted=1 (an inherited member)", args: run(`${SC}/tiny.yaml`, "--set", "stream.toString.polluted=1"), code: 2, stderr: ["--set stream.toString.polluted=1: stream.toString: unknown field `toString`"] },
  { name: "--set stream.shards=2,4 (several values)", args: run(`${SC}/tiny.yaml`, "--set", "stream.shards=2,4"), code: 2, stderr: ['--set "stream.shards=2,4": one value, not 2'] },
  { name: "--set stream.shards=20000 (out of range)", args: run(`${SC}/tiny.yaml`, "--set", "stream.shards=20000"), code: 2, stderr: ["--set stream.shards=20000: stream.shards: must be at most 10000 (allowed 1..10000), got 20000"] },
  { name: "--vary __proto__.polluted=1,2", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "__proto__.polluted=1,2"), code: 2, stderr: ['--vary "__proto__.polluted=1,2": "__proto__" cannot be part of a path'] },
  { name: "--vary stream.__proto__.shards=1,2", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "stream.__proto__.shards=1,2"), code: 2, stderr: ['"__proto__" cannot be part of a path'] },
  { name: "--vary producers[prototype].instances=1,2", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "producers[prototype].instances=1,2"), code: 2, stderr: ['"prototype" cannot be part of a path'] },
  { name: "--vary without values", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "stream.shards"), code: 2, stderr: ['--vary "stream.shards": expected PATH=VALUES'] },
  { name: "--vary an empty range", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "stream.shards=4..2"), code: 2, stderr: ["a range goes up: 4..2 is empty"] },
  { name: "--vary a producer that does not exist", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "producers.mobile.instances=1,2"), code: 2, stderr: ['producers has no element named "mobile" (names: web)'] },
  { name: "--vary a value out of range", args: sweepOf(`${SC}/tiny.yaml`, "--vary", "stream.shards=1,20000"), code: 2, stderr: ["configuration stream.shards=20000: stream.shards: must be at most 10000"] },

  // --- merge: forged part files ----------------------------------------------------------------------------
  { name: "merge: a part that is not JSON", args: merge(() => forge("not-json", () => "{ this is not json")), code: 1, stderr: [/not-json\/sweep-part-1-of-1\.json: cannot read the partial sweep result/] },
  { name: "merge: a part that is null", args: merge(() => forge("null", () => "null")), code: 1, stderr: [/null\/sweep-part-1-of-1\.json: not a shardcast partial sweep result/] },
  { name: "merge: a NaN metric (null in JSON)", args: merge(() => forge("nan", (p) => (summary0(p).metrics.monthlyCostUsd = null, p))), code: 1, stderr: [/nan\/sweep-part-1-of-1\.json: summaries\[0\]\.metrics\.monthlyCostUsd: expected number, got null/] },
  { name: "merge: a metric written as the string NaN", args: merge(() => forge("nan-string", (p) => (summary0(p).metrics.putLatencyP99Ms = "NaN", p))), code: 1, stderr: [/summaries\[0\]\.metrics\.putLatencyP99Ms: expected number, got string/] },
  { name: "merge: a negative metric", args: merge(() => forge("negative", (p) => (summary0(p).metrics.writeThrottledPercent = -5, p))), code: 1, stderr: [/summaries\[0\]\.metrics\.writeThrottledPercent: .*got -5/] },
  { name: "merge: a metric of 1e999 (Infinity)", args: merge(() => forge("infinite", (p) => JSON.stringify(p).replace('"monthlyCostUsd":', '"monthlyCostUsd":1e999,"x":'))), code: 1, stderr: [/infinite\/sweep-part-1-of-1\.json: summaries\[0\]\.metrics/] },
  { name: "merge: a missing metric", args: merge(() => forge("missing-metric", (p) => (delete summary0(p).metrics.monthlyCostUsd, p))), code: 1, stderr: [/missing-metric\/sweep-part-1-of-1\.json: summaries\[0\]\.metrics: expected exactly /] },
  { name: "merge: summaries is null", args: merge(() => forge("summaries-null", (p) => ((p.summaries = null), p))), code: 1, stderr: [/summaries-null\/sweep-part-1-of-1\.json: summaries: expected array, got null/] },
  { name: "merge: partition is a string", args: merge(() => forge("partition-string", (p) => ((p.partition = "1/1"), p))), code: 1, stderr: [/partition-string\/sweep-part-1-of-1\.json: partition: expected object, got string/] },
  { name: "merge: an older part schema", args: merge(() => forge("old-schema", (p) => ((p.schema = "shardcast.sweep-part/2"), p))), code: 1, stderr: ["(it is shardcast.sweep-part/2, from another shardcast version; run the partitions again)"] },
  { name: "merge: an extra field", args: merge(() => forge("extra", (p) => ((p.command = "rm -rf /"), p))), code: 1, stderr: [/extra\/sweep-part-1-of-1\.json: the file: /] },
  { name: "merge: a task outside the plan", args: merge(() => forge("task", (p) => ((summary0(p).task = 7), p))), code: 1, stderr: [/task\/sweep-part-1-of-1\.json: summaries\[0\]\.task: 7 is not a task of the sweep \(it has 2\)/] },
  { name: "merge: a task given twice", args: merge(() => forge("twice", (p) => (((p.summaries as unknown[])[1] = summary0(p)), p))), code: 1, stderr: [/twice\/sweep-part-1-of-1\.json: summaries\[1\]\.task: task 0 is given twice/] },
  { name: "merge: a seed changed", args: merge(() => forge("seed", (p) => ((summary0(p).seed = 99), p))), code: 1, stderr: [/seed\/sweep-part-1-of-1\.json: summaries\[0\]: config, replication or seed differ/] },
  { name: "merge: the scenario text edited, its hash not", args: merge(() => forge("edited", (p) => ((p.scenarioText = String(p.scenarioText).replace("shards: 1", "shards: 2")), p))), code: 1, stderr: [/edited\/sweep-part-1-of-1\.json: scenarioText does not match scenarioSha256/] },
  {
    name: "merge: the --vary changed (digest)",
    args: merge(() => forge("digest", (p) => ((p.varies = ["stream.shards=1,3"]), p))),
    code: 1,
    stderr: [/digest\/sweep-part-1-of-1\.json: digest does not match the scenario, options, traces and plan/],
  },
  {
    name: "merge: a trace's text changed (digest)",
    args: merge(() => forge("trace-text", (p) => ((p.traces = Object.fromEntries(Object.keys(p.traces as object).map((k) => [k, "time,records,bytes\n0,1,1024\n60,1,1024\n"]))), p))),
    code: 1,
    stderr: [/trace-text\/sweep-part-1-of-1\.json: digest does not match/],
  },
  {
    name: "merge: a forged part whose scenario names /etc/passwd reads nothing",
    args: merge(() =>
      forge("names-passwd", (p) => {
        const text = String(p.scenarioText).replace("traces/ok.csv", "/etc/passwd");
        return { ...p, scenarioText: text, scenarioSha256: sha(text) };
      }),
    ),
    code: 1,
    stderr: [/tiny\.yaml:10:33: producers\[0\]\.rate\.file: the part files hold no trace \/etc\/passwd \(merge reads no file a part names\)/],
  },
  { name: "merge: a part file in UTF-16", args: merge(() => forge("utf16", (p) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(p), "utf16le")]))), code: 1, stderr: [/utf16\/sweep-part-1-of-1\.json:1:1: this file is UTF-16LE/] },
  { name: "merge: a lone surrogate in a part", args: merge(() => forge("surrogate", (p) => JSON.stringify(p).replace('"reasons":[]', '"reasons":[{"slo":"\\ud800","reason":"x"}]'))), code: 1, stderr: [/surrogate\/sweep-part-1-of-1\.json: summaries\.0\.reasons\.0\.slo: a string holds a lone UTF-16 surrogate/] },
  {
    name: "merge: a part file that is a FIFO",
    args: merge(() => {
      const d = join(PARTS, "fifo");
      mkdirSync(d, { recursive: true });
      mkfifo(join(d, "sweep-part-1-of-1.json"));
      return d;
    }),
    code: 1,
    stderr: [/fifo\/sweep-part-1-of-1\.json: cannot read the partial sweep result \(a named pipe \(FIFO\); only regular files are read\)/],
    process: true,
  },

  // --- import cloudwatch -----------------------------------------------------------------------------------
  { name: "import: /dev/zero as the export", args: imp("/dev/zero"), code: 1, stderr: ["/dev/zero: cannot read the export (a character device; only regular files are read)"], process: true },
  { name: "import: a FIFO as the export", args: imp(join(EXP, "fifo.json")), code: 1, stderr: [/fifo\.json: cannot read the export \(a named pipe \(FIFO\); only regular files are read\)/], process: true },
  { name: "import: an export that is null", args: imp(join(EXP, "null.json")), code: 1, stderr: [/null\.json: expected the JSON that `aws cloudwatch get-metric-data` prints \(an object with MetricDataResults\); got null/] },
  { name: "import: a result that is null", args: imp(join(EXP, "null-result.json")), code: 1, stderr: [/null-result\.json: MetricDataResults\[0\]: expected an object with Id, Label, Timestamps, Values and StatusCode; got null/] },
  { name: "import: a UTF-16 export", args: imp(join(EXP, "utf16.json")), code: 1, stderr: [/utf16\.json:1:1: this file is UTF-16LE/] },
  { name: "import: a Latin-1 export", args: imp(join(EXP, "latin1.json")), code: 1, stderr: [/latin1\.json:1:69: not UTF-8: the byte at offset 68 \(E9 22/] },
  { name: "import: a lone surrogate in a label", args: imp(join(EXP, "surrogate.json")), code: 1, stderr: [/surrogate\.json: MetricDataResults\.0\.Label: a string holds a lone UTF-16 surrogate/] },
  { name: "import: JSON nested 600 deep", args: imp(join(EXP, "deep.json")), code: 1, stderr: [/deep\.json:1:514: JSON syntax error: nesting too deep \(limit 512/] },
  {
    name: "import: an uneven export (one stray point a second after the first)",
    args: imp(join(EXP, "uneven.json")),
    code: 1,
    stderr: [/uneven\.json: 2022-01-01T00:00:00Z and 2022-01-01T00:00:01Z are 1 s apart, not a multiple of the period 3600 s \(the most common spacing of the timestamps, 17519 of 17521\)/],
    process: true,
  },
  {
    name: "import: an export spanning ten years of minutes",
    args: imp(join(EXP, "span.json")),
    code: 1,
    stderr: [/span\.json: the export spans 5,258,881 periods of 60 s .*; a trace holds at most 1,000,000 periods/],
    process: true,
  },

  // --- --out where no report can go --------------------------------------------------------------------------
  { name: "run --out under /proc", args: () => ["run", `${SC}/tiny.yaml`, "--no-charts", "--out", "/proc/shardcast-hostile/out"], code: 1, stderr: ["/proc/shardcast-hostile/out: cannot write the output (EPERM: /proc is on procfs (/proc), a view of the kernel, not a place for reports); nothing was simulated"], ownOut: true, process: true },
  { name: "run --out /proc itself", args: () => ["run", `${SC}/tiny.yaml`, "--no-charts", "--out", "/proc"], code: 1, stderr: ["/proc: cannot write the output (EPERM: it is on procfs (/proc)"], ownOut: true, process: true },
  { name: "run --out under /sys", args: () => ["run", `${SC}/tiny.yaml`, "--no-charts", "--out", "/sys/shardcast-hostile"], code: 1, stderr: ["/sys/shardcast-hostile: cannot write the output (EPERM: /sys is on sysfs (/sys)"], ownOut: true, process: true },
  { name: "sweep --out under /proc", args: () => ["sweep", `${SC}/tiny.yaml`, "--vary", "stream.shards=1,2", "--no-charts", "--out", "/proc/shardcast-hostile"], code: 1, stderr: ["/proc/shardcast-hostile: cannot write the output (EPERM: /proc is on procfs (/proc)"], ownOut: true, process: true },
  { name: "import --out under /proc", args: () => ["import", "cloudwatch", "scenarios/traces/clickstream-cloudwatch.json", "--out", "/proc/shardcast-hostile/t.csv"], code: 1, stderr: ["/proc/shardcast-hostile: cannot write the trace (EPERM: /proc is on procfs (/proc)"], ownOut: true, process: true },
  {
    name: "run into a folder another live run holds (its lock)",
    args: (out) => {
      writeFileSync(join(out, LOCK_FILE), `${process.pid}\n`);
      return ["run", `${SC}/tiny.yaml`, "--no-charts", "--out", out];
    },
    code: 1,
    stderr: [`another shardcast run (process ${process.pid}) is writing its reports in this folder`, "nothing was simulated"],
  },
];

/** A previous report set in a fresh --out folder: what no failed command may change. */
function previousSet(index: number): string {
  const out = join(tmp, "out", String(index));
  mkdirSync(join(out, "charts"), { recursive: true });
  for (const f of ["report.json", "report.md", "report.html", "sweep.json", "sweep.md", "trace.csv", "charts/a.svg"]) writeFileSync(join(out, f), `previous ${f}\n`);
  return out;
}

/** Every file under a folder with its content (hidden files too). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (lstatSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

describe.concurrent("the hostile-input catalogue: exit 1 or 2, the message, no stack trace, no report written", () => {
  it(`holds more than 60 entries, each exit 1 or 2 (${CATALOGUE.length})`, ({ expect }) => {
    expect(CATALOGUE.length).toBeGreaterThan(60);
    expect(new Set(CATALOGUE.map((e) => e.name)).size).toBe(CATALOGUE.length);
    for (const e of CATALOGUE) expect([1, 2]).toContain(e.code);
  });

  CATALOGUE.forEach((entry, index) => {
    it(`${entry.name} → exit ${entry.code}`, { timeout: 60_000 }, async ({ expect }) => {
      const out = previousSet(index);
      const args = entry.args(out);
      const before = snapshot(out);
      const r: CliResult = entry.process ? await cliProcess(...args) : await cli(...args);
      expect(r.code, r.stderr).toBe(entry.code);
      for (const p of entry.stderr) {
        if (typeof p === "string") expect(r.stderr).toContain(p);
        else expect(r.stderr).toMatch(p);
      }
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).not.toContain("internal error");
      // Nothing from a refused file is quoted (the password file's first field, a zero device's bytes).
      expect(r.stderr).not.toContain("root:");
      expect(r.stderr).not.toContain("\u0000");
      expect(r.stdout).toBe("");
      // No report written: the previous set as it was, nothing added (no temporary folder, no lock left).
      const after = snapshot(out);
      expect(after).toEqual(before);
      expect(existsSync("/proc/shardcast-hostile")).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
