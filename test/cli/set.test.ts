// `run --set PATH=VALUE` and `validate --set`: a scenario field given a value on the command line (the paths of
// sweep's --vary), through the command line's main() from the repo root.

import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, it } from "vitest";
import { parseOverrides } from "../../src/cli/overrides.js";
import { defaultRunFolder } from "../../src/cli/runCommands.js";
import { reportJsonSchema } from "../../src/report/reportSchema.js";
import { cli, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-set-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let count = 0;
const outPath = (label: string) => join(tmp, `${label}-${++count}`);

const QUICKSTART = "scenarios/quickstart.yaml";

interface Report {
  provenance: { scenarioFile: string; scenarioSha256: string; overrides?: string[]; seed: number };
  scenario: { stream: { shards: number }; producers: { instances: number; rate: { value: number } }[] };
  [key: string]: unknown;
}

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;

describe.concurrent("run --set", () => {
  it("runs the scenario with the value set, says so in report.json's provenance and in report.md, and gives the same results as the edited file", async ({ expect }) => {
    const set = outPath("set-shards");
    const editedFile = join(tmp, "quickstart-2-shards.yaml");
    const text = readFileSync(join(root, QUICKSTART), "utf8");
    writeFileSync(editedFile, text.replace(/^ {2}shards: 4$/m, "  shards: 2"));
    const edited = outPath("edited");
    const [r, e] = await Promise.all([
      cli("run", QUICKSTART, "--set", "stream.shards=2", "--out", set, "--no-charts"),
      cli("run", editedFile, "--out", edited, "--no-charts", "--quiet"),
    ]);
    expect(r.stderr).toBe("");
    expect([r.code, e.code]).toEqual([0, 0]);
    // The comment in the quickstart scenario promises this: on 2 shards the record limit binds.
    expect(r.stdout).toContain("binding write limit: shard write records");

    const report = readReport(set);
    expect(report.scenario.stream.shards).toBe(2);
    expect(report.provenance.overrides).toEqual(["stream.shards=2"]);
    const validate = new Ajv({ strict: false }).compile(reportJsonSchema());
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // The file is the committed one, untouched: its name and hash.
    expect(report.provenance.scenarioFile).toBe(QUICKSTART);
    expect(report.provenance.scenarioSha256).toBe(createHash("sha256").update(readFileSync(join(root, QUICKSTART))).digest("hex"));
    const md = readFileSync(join(set, "report.md"), "utf8");
    expect(md).toContain("_Values set on the command line (`run --set`), in force over the scenario file's: `stream.shards=2`._");
    expect(md).toContain("| set on the command line | `stream.shards=2` |");

    // Everything but the provenance is what editing the file gives.
    const fromFile = readReport(edited);
    expect(fromFile.provenance.overrides).toBeUndefined();
    const { provenance: _a, ...restSet } = report;
    const { provenance: _b, ...restFile } = fromFile;
    expect(restSet).toEqual(restFile);
  });

  it("takes several --set, in list elements by name, and lists them in order", async ({ expect }) => {
    const dir = outPath("set-several");
    const r = await cli("run", QUICKSTART, "--set", "producers[web].rate.value=1000/s", "--set", "producers.web.instances=3", "--set", "seed=9", "--out", dir, "--no-charts", "--quiet");
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const report = readReport(dir);
    expect(report.scenario.producers[0]!.rate.value).toBe(1000);
    expect(report.scenario.producers[0]!.instances).toBe(3);
    expect(report.provenance.seed).toBe(9);
    expect(report.provenance.overrides).toEqual(["producers[web].rate.value=1000/s", "producers.web.instances=3", "seed=9"]);
  });

  // A value or a path that does not fit the scenario is a usage mistake (the file is fine): exit 2, like a bad --vary.
  it.for([
    [["stream.shards=20000"], "shardcast: --set stream.shards=20000: stream.shards: must be at most 10000 (allowed 1..10000), got 20000\n"],
    [["stream.shards=two"], 'shardcast: --set stream.shards=two: stream.shards: expected a whole number (1..10000), got "two"\n'],
    [["stream.shardz=2"], "shardcast: --set stream.shardz=2: stream.shardz: unknown field `shardz`; did you mean `shards`?\n"],
    [["producers[mobile].instances=2"], 'shardcast: --set producers[mobile].instances=2: producers has no element named "mobile" (names: web)\n'],
    [["duration=30s"], "shardcast: --set duration=30s: warmup: warmup must be shorter than duration\n"],
  ] as const)("--set %j exits 2 naming the field and what is allowed, with no stack trace and no output", async ([sets, message], { expect }) => {
    const dir = outPath("set-bad");
    const r = await cli("run", QUICKSTART, ...sets.flatMap((s) => ["--set", s]), "--out", dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(message);
    expect(existsSync(dir)).toBe(false);
  });

  it("an On-demand Standard stream beside an Advantage one exits 2 naming the field and why (helper-77: billed on-demand stream-hours beside the Advantage commitment)", async ({ expect }) => {
    const dir = outPath("mixed-modes");
    const r = await cli("run", "scenarios/enrichment-pipeline.yaml", "--set", "streams[raw].mode=on-demand", "--set", "streams[enriched].mode=on-demand-advantage", "--out", dir, "--no-charts");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'shardcast: --set streams[raw].mode=on-demand --set streams[enriched].mode=on-demand-advantage: streams[1].mode: stream "enriched" is on-demand-advantage while "raw" is on-demand: On-demand Advantage is an account-level mode, its rates applying to every on-demand stream of the account (UpdateAccountSettings turns it on for the account), so the on-demand streams of a scenario, one account, are all on-demand or all on-demand-advantage (provisioned streams may stay beside either)\n',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("--set stream.* on a pipeline (streams:) exits 2 and shows the path that names a stream", async ({ expect }) => {
    const r = await cli("run", "scenarios/enrichment-pipeline.yaml", "--set", "stream.shards=3", "--out", outPath("pipeline"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "shardcast: --set stream.shards=3: scenarios/enrichment-pipeline.yaml has no `stream` (its streams are under `streams`: e.g. --set streams[raw].shards=3)\n",
    );
  });

  // A --set that cannot be read is a usage mistake, as a bad --vary is: exit 2 with one line, before the file is read.
  it.for([
    [["stream.shards"], 'shardcast: --set "stream.shards": expected PATH=VALUE, e.g. stream.shards=2 or producers[web].rate.value=3000/s\n'],
    [["=2"], 'shardcast: --set "=2": expected PATH=VALUE, e.g. stream.shards=2 or producers[web].rate.value=3000/s\n'],
    [["stream..shards=2"], 'shardcast: --set "stream..shards=2": cannot read the path "stream..shards"\n'],
    [["stream.shards=2,4"], 'shardcast: --set "stream.shards=2,4": one value, not 2 (to compare several, use `shardcast sweep --vary stream.shards=2,4`)\n'],
    [["stream.shards=1..3"], 'shardcast: --set "stream.shards=1..3": one value, not 3 (to compare several, use `shardcast sweep --vary stream.shards=1..3`)\n'],
    [["stream.shards="], 'shardcast: --set "stream.shards=": an empty value in ""\n'],
    [["stream.shards=2", "stream.shards=3"], "shardcast: --set stream.shards is given twice\n"],
    // The prototype's machinery is no scenario field, and setting it would change every object in the process.
    [["__proto__.polluted=1"], 'shardcast: --set "__proto__.polluted=1": "__proto__" cannot be part of a path (no scenario field has that name)\n'],
    [["stream.constructor.prototype.polluted=1"], 'shardcast: --set "stream.constructor.prototype.polluted=1": "constructor" cannot be part of a path (no scenario field has that name)\n'],
    [["producers[web].prototype=1"], 'shardcast: --set "producers[web].prototype=1": "prototype" cannot be part of a path (no scenario field has that name)\n'],
  ] as const)("--set %j that cannot be read exits 2 with one line, no stack trace, nothing written", async ([sets, message], { expect }) => {
    const dir = outPath("set-unreadable");
    // The file does not even have to exist: the --set is read first.
    const [r, noFile] = await Promise.all([
      cli("run", QUICKSTART, ...sets.flatMap((s) => ["--set", s]), "--out", dir),
      cli("validate", "no-such-scenario.yaml", ...sets.flatMap((s) => ["--set", s])),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(message);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(message);
    expect(existsSync(dir)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("without --out writes beside the sample's folder, never over its committed report", ({ expect }) => {
    expect(defaultRunFolder("quickstart", [])).toBe(join("reports", "quickstart"));
    expect(defaultRunFolder("quickstart", parseOverrides(["stream.shards=2"]))).toBe(join("reports", "quickstart+stream.shards=2"));
    const two = parseOverrides(["streams[raw].shards=3", "producers[web].rate.value=3000/s"]);
    expect(defaultRunFolder("enrichment-pipeline", two)).toBe(join("reports", "enrichment-pipeline+streams[raw].shards=3+producers[web].rate.value=3000_s"));
  });
});

describe.concurrent("validate --set", () => {
  it("validates the scenario with the value set and says so", async ({ expect }) => {
    const r = await cli("validate", QUICKSTART, "--set", "stream.shards=2");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${QUICKSTART} with --set stream.shards=2: valid scenario "quickstart" (2 shards, 1 producer(s))\n`);
  });

  it("rejects a value out of range like run does (exit 2)", async ({ expect }) => {
    const r = await cli("validate", QUICKSTART, "--set", "stream.shards=20000");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("shardcast: --set stream.shards=20000: stream.shards: must be at most 10000 (allowed 1..10000), got 20000\n");
  });

  it("still reports the file's own problems at their line and column first", async ({ expect }) => {
    const file = "test/fixtures/cli/too-many-shards.yaml";
    const [plain, set] = await Promise.all([cli("validate", file), cli("validate", file, "--set", "stream.shards=2")]);
    expect(set.code).toBe(1);
    expect(set.stderr).toBe(plain.stderr);
    expect(set.stderr).toMatch(/^test\/fixtures\/cli\/too-many-shards\.yaml:7:11: stream\.shards: /);
  });
});
