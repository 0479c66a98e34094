// End-to-end tests of the command line from the repo root, as a user (or CI) would run it: exit codes,
// stdout/stderr and the files written. Most run in this process through main() (test/cli/runCli.ts); two
// runs of the same scenario in one process also show that nothing leaks between runs through module state.
// The executable itself runs in its own process for --version. The runs several tests look at (quickstart
// with its default seed) are started once and shared.

import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, it } from "vitest";
import { cli, cliProcess, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const packageVersion = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

/** A fresh, not yet existing path inside the test's temporary folder. */
let outCount = 0;
function outPath(label: string): string {
  return join(tmp, `${label}-${++outCount}`);
}

/** Starts a CLI run once, on first use; tests that look at the same run share it. */
function shared<T>(start: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= start());
}

const quickstartDir = outPath("quickstart");
const quickstartRun = shared(() => cli("run", "scenarios/quickstart.yaml", "--out", quickstartDir));

interface Report {
  schema: string;
  provenance: { shardcastVersion: string; scenarioFile: string; scenarioSha256: string; seed: number };
  verdict: { slosMet: boolean | null };
  accounting: Accounting;
  producers: (Accounting & { name: string })[];
}

interface Accounting {
  offered: number;
  accepted: number;
  inFlight: Record<string, number>;
  lost: Record<string, number>;
  balanced?: boolean;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** A Node stack-trace line or an uncaught error's `Error:`/`TypeError:`/`ScenarioError:` header. */
const STACK_LINE = /^ {4}at /m;
const NODE_ERROR_HEADER = /^\w*Error(\s\[\w+\])?: /m;

describe.concurrent("shardcast run", () => {
  it("writes report.json, report.md, report.html and charts/ for scenarios/quickstart.yaml, with provenance and balanced accounting", async ({ expect }) => {
    const r = await quickstartRun();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("quickstart: all SLOs met");
    expect(r.stdout).toContain(join(quickstartDir, "report.json"));
    expect(readdirSync(quickstartDir).sort()).toEqual(["charts", "report.html", "report.json", "report.md"]);
    // No throttling in the quickstart: no (empty) throttled chart.
    const charts = ["cloudwatch-vs-truth", "latency-cdf", "shard-heatmap"];
    expect(readdirSync(join(quickstartDir, "charts")).sort()).toEqual(charts.flatMap((c) => [`${c}.png`, `${c}.svg`, `${c}.vl.json`]));
    expect(readFileSync(join(quickstartDir, "report.html"), "utf8")).toMatch(/^<!doctype html>/);

    const report = JSON.parse(readFileSync(join(quickstartDir, "report.json"), "utf8")) as Report;
    expect(report.schema).toBe("shardcast.report/11");
    expect(report.provenance.seed).toBe(7);
    expect(report.provenance.scenarioFile).toBe("scenarios/quickstart.yaml");
    expect(report.provenance.shardcastVersion).toBe(packageVersion);
    expect(report.provenance.scenarioSha256).toBe(createHash("sha256").update(readFileSync(join(root, "scenarios/quickstart.yaml"))).digest("hex"));

    // records offered = accepted + still in flight + lost, recomputed here from the parts, for the stream
    // and for each producer, and the producers add up to the stream.
    for (const a of [report.accounting, ...report.producers]) {
      expect(a.offered).toBeGreaterThan(0);
      expect(a.accepted + sum(a.inFlight) + sum(a.lost)).toBe(a.offered);
    }
    expect(report.accounting.balanced).toBe(true);
    expect(report.producers.reduce((n, p) => n + p.offered, 0)).toBe(report.accounting.offered);

    const md = readFileSync(join(quickstartDir, "report.md"), "utf8");
    expect(md).toContain("quickstart");
  });

  it("is deterministic: a run in this process and one in its own process give byte-identical report.json, charts and report.html; --seed 8 gives a different one", async ({ expect }) => {
    const secondDir = outPath("quickstart-again");
    const seed8Dir = outPath("quickstart-seed8");
    const [first, second, seed8] = await Promise.all([
      quickstartRun(),
      cliProcess("run", "scenarios/quickstart.yaml", "--out", secondDir, "--quiet"),
      cli("run", "scenarios/quickstart.yaml", "--out", seed8Dir, "--seed", "8", "--quiet", "--no-charts"),
    ]);
    expect([first.code, second.code, seed8.code]).toEqual([0, 0, 0]);
    expect(second.stdout).toBe(""); // --quiet

    const a = readFileSync(join(quickstartDir, "report.json"));
    const b = readFileSync(join(secondDir, "report.json"));
    const c = readFileSync(join(seed8Dir, "report.json"));
    expect(a.equals(b), "two runs of the same scenario and seed differ").toBe(true);
    for (const file of ["report.md", "report.html", "charts/shard-heatmap.svg", "charts/latency-cdf.vl.json"]) {
      expect(readFileSync(join(quickstartDir, file)).equals(readFileSync(join(secondDir, file))), file).toBe(true);
    }
    expect(readdirSync(seed8Dir).sort(), "--no-charts").toEqual(["report.json", "report.md"]);
    expect(a.equals(c), "--seed 8 gave the same report as seed 7").toBe(false);
    expect((JSON.parse(c.toString("utf8")) as Report).provenance.seed).toBe(8);
  });

  it("reproduces the committed reports/quickstart/ byte for byte", async ({ expect }) => {
    const r = await quickstartRun();
    expect(r.code).toBe(0);
    const charts = readdirSync(join(root, "reports", "quickstart", "charts")).filter((f) => /\.(vl\.json|svg)$/.test(f)).map((f) => `charts/${f}`);
    for (const file of ["report.json", "report.md", ...charts]) {
      const committed = readFileSync(join(root, "reports", "quickstart", file), "utf8");
      const fresh = readFileSync(join(quickstartDir, file), "utf8");
      expect(fresh, `reports/quickstart/${file} differs from a fresh CLI run (npm run golden regenerates it)`).toBe(committed);
    }
  });

  it("--fail-on-slo exits 3 on scenarios/hot-key.yaml (SLOs missed) but still writes the report", async ({ expect }) => {
    const dir = outPath("hot-key");
    const r = await cli("run", "scenarios/hot-key.yaml", "--out", dir, "--fail-on-slo");
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("SLOs missed");
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain("internal error");
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
    expect(report.verdict.slosMet).toBe(false);
  });

  it("--fail-on-slo exits 0 on scenarios/quickstart.yaml (SLOs met)", async ({ expect }) => {
    const r = await cli("run", "scenarios/quickstart.yaml", "--out", outPath("quickstart-slo"), "--fail-on-slo", "--quiet");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("warns on stderr about a valid scenario over the account's shard quota (1,001 shards in ap-south-1), still runs, and writes the warning into report.json and report.md; --quiet prints nothing", async ({ expect }) => {
    const file = "test/fixtures/cli/shard-quota.yaml";
    const dir = outPath("shard-quota");
    const quietDir = outPath("shard-quota-quiet");
    const [r, quiet] = await Promise.all([cli("run", file, "--out", dir, "--no-charts"), cli("run", file, "--out", quietDir, "--no-charts", "--quiet")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^${escape(file)}:7:11: warning: stream\\.shards: 1,001 shards: more than 1,000, .*1,000 or 6,000.*\n$`));
    expect(r.stdout).toContain("shard-quota: no SLOs stated");
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { warnings?: { code: string; path: string; message: string }[] };
    expect(report.warnings).toEqual([{ code: "account-shard-quota", path: "stream.shards", message: expect.stringContaining("1,000 or 6,000") }]);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("## Warnings\n\n- `stream.shards`: 1,001 shards");
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);
    expect(readFileSync(join(quietDir, "report.json"), "utf8")).toBe(readFileSync(join(dir, "report.json"), "utf8"));
  });

  for (const fixture of ["too-many-shards.yaml", "syntax-error.yaml"]) {
    it(`exits 1 on a bad scenario (${fixture}), reports it like validate does and writes nothing`, async ({ expect }) => {
      const dir = outPath("bad-run");
      const file = `test/fixtures/cli/${fixture}`;
      const [run, validate] = await Promise.all([cli("run", file, "--out", dir), cli("validate", file)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+: `));
      expect(run.stderr).toBe(validate.stderr);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.stderr).not.toMatch(NODE_ERROR_HEADER);
      expect(existsSync(dir), "run created its output folder for a scenario that does not validate").toBe(false);
    });
  }

  it("exits 1 with a clear message naming a scenario file that does not exist", async ({ expect }) => {
    const dir = outPath("missing");
    const r = await cli("run", "test/fixtures/cli/no-such-scenario.yaml", "--out", dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/test\/fixtures\/cli\/no-such-scenario\.yaml.*no such file/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(dir)).toBe(false);
  });

  it("exits 1, not as an internal error, when the output folder cannot be created", async ({ expect }) => {
    const notAFolder = outPath("a-file");
    writeFileSync(notAFolder, "in the way\n");
    const r = await cli("run", "scenarios/quickstart.yaml", "--out", notAFolder, "--quiet");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(notAFolder);
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe.concurrent("shardcast validate", () => {
  it("accepts scenarios/hot-key.yaml and names the scenario", async ({ expect }) => {
    const r = await cli("validate", "scenarios/hot-key.yaml");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"hot-key"');
    expect(r.stdout).toContain("scenarios/hot-key.yaml");
  });

  it("lists each stream of a pipeline with its shard count (scenarios/enrichment-pipeline.yaml: raw 2, enriched 1)", async ({ expect }) => {
    const r = await cli("validate", "scenarios/enrichment-pipeline.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(raw: 2 shards, enriched: 1 shard, 1 producer(s))");
  });

  it("prints a warning like a problem (file:line:col: warning: path: message) and exits 0 for a valid scenario over the account's shard quota", async ({ expect }) => {
    const file = "test/fixtures/cli/shard-quota.yaml";
    const r = await cli("validate", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}: valid scenario "shard-quota" (1001 shards, 1 producer(s)), 1 warning\n`);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${escape(file)}:7:11: warning: stream\\.shards: `));
    expect(lines[0]).toContain("ap-south-1");
    expect(lines[0]).toContain("1,000 or 6,000");
    expect(lines[0]).toContain("account.shardQuota");
  });

  it("warns that \"5MB/s\" is decimal (issue 11), at its file:line:col, and exits 0", async ({ expect }) => {
    const file = "test/fixtures/cli/decimal-unit.yaml";
    const r = await cli("validate", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}: valid scenario "decimal-unit" (no stream, 1 producer(s)), 1 warning\n`);
    expect(r.stderr).toMatch(new RegExp(`^${escape(file)}:13:22: warning: firehose\\[0\\]\\.quotas\\.bytes: "5MB/s" is 5,000,000 B/s: .* write 5MiB/s \\(5,242,880 B/s\\)\\.\n$`));
  });

  // Each fixture holds exactly one mistake; `where` is the file:line:col the CLI must point at, `path` the
  // field, and `says` the pieces of the message a user needs (what is allowed, a suggestion).
  const cases: { fixture: string; where: string; path: string; says: string[] }[] = [
    { fixture: "typo-field.yaml", where: "14:5", path: "producers[0].partitonKey", says: ["unknown field `partitonKey`", "did you mean `partitionKey`?"] },
    { fixture: "too-many-shards.yaml", where: "7:11", path: "stream.shards", says: ["1..10000", "20000"] },
    { fixture: "bad-unit.yaml", where: "4:11", path: "duration", says: ["a duration such as", "5m", '"10 minutes"'] },
    { fixture: "bad-choice.yaml", where: "13:25", path: "producers[0].recordSize.dist", says: ["fixed, uniform, lognormal", '"gaussian"'] },
    // Issue 11: records all larger than maxRecordSize, and a rate without a unit, were accepted.
    { fixture: "record-too-large.yaml", where: "11:38", path: "producers[0].recordSize.size", says: ["every record is too large", "2 MiB (2,097,152 B)", "1 MiB (1,048,576 B)", "up to 10 MiB"] },
    { fixture: "bare-rate.yaml", where: "9:37", path: "producers[0].rate.value", says: ["a record rate needs a unit: /s, /m or /h", '"2000/s"', "allowed 0/s to"] },
    { fixture: "syntax-error.yaml", where: "6:1", path: "", says: ["YAML syntax error"] },
    { fixture: "syntax-error.json", where: "4:26", path: "", says: ["JSON syntax error", "trailing comma"] },
  ];

  for (const c of cases) {
    it(`rejects ${c.fixture} with exit 1 and ${c.path || "a syntax error"} at ${c.where}`, async ({ expect }) => {
      const file = `test/fixtures/cli/${c.fixture}`;
      const r = await cli("validate", file);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      // Every line is a problem in the form editors link: file:line:col: path: message.
      for (const line of lines) expect(line).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+: `));
      const prefix = `${file}:${c.where}: ${c.path ? `${c.path}: ` : ""}`;
      const line = lines.find((l) => l.startsWith(prefix));
      expect(line, `no line starting ${prefix} in:\n${r.stderr}`).toBeDefined();
      for (const piece of c.says) expect(line).toContain(piece);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).not.toMatch(NODE_ERROR_HEADER);
    });
  }

  it("exits 1 with a clear message naming a scenario file that does not exist", async ({ expect }) => {
    const r = await cli("validate", "scenarios/no-such-scenario.yaml");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("scenarios/no-such-scenario.yaml");
    expect(r.stderr).toContain("no such file");
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(NODE_ERROR_HEADER);
  });
});

describe.concurrent("shardcast schema", () => {
  it("prints a draft 2020-12 JSON Schema with properties.stream, and --out writes the same text", async ({ expect }) => {
    const file = `${outPath("schema")}.json`;
    const [printed, written] = await Promise.all([cli("schema"), cli("schema", "--out", file)]);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe("");
    const schema = JSON.parse(printed.stdout) as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.properties.stream).toBeTypeOf("object");

    expect(written.code).toBe(0);
    expect(written.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(printed.stdout);
  });

  it("--report prints the JSON Schema of report.json, which the report of a run validates against", async ({ expect }) => {
    const [printed, run] = await Promise.all([cli("schema", "--report"), quickstartRun()]);
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.stdout) as { $id: string; title: string; required: string[] };
    expect(schema.$id).toBe("urn:shardcast:schema:report");
    expect(schema.title).toBe("shardcast report.json");
    expect(run.code).toBe(0);
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(JSON.parse(readFileSync(join(quickstartDir, "report.json"), "utf8")))).toBe(true);
  });

  it("exits 1, not as an internal error, when --out cannot be written", async ({ expect }) => {
    const file = join(outPath("no-such-folder"), "schema.json");
    const r = await cli("schema", "--out", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe.concurrent("usage errors and --version", () => {
  const usage: { args: string[]; says: string }[] = [
    { args: ["frobnicate"], says: "unknown command 'frobnicate'" },
    { args: ["run", "x.yaml", "--seed", "abc"], says: "--seed must be a whole number" },
    { args: ["run", "x.yaml", "--granularity", "fast"], says: "--granularity must be batch or record" },
    { args: ["run", "x.yaml", "--no-such-option"], says: "unknown option '--no-such-option'" },
    { args: ["run"], says: "missing required argument 'scenario'" },
  ];
  for (const u of usage) {
    it(`\`shardcast ${u.args.join(" ")}\` exits 2 with a message`, async ({ expect }) => {
      const r = await cli(...u.args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(u.says);
      expect(r.stderr).not.toMatch(STACK_LINE);
    });
  }

  it("--version prints the version from package.json (the executable, in its own process)", async ({ expect }) => {
    const r = await cliProcess("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(packageVersion);
  });
});
