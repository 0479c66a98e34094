// `shardcast import cloudwatch` end to end: each test runs `shardcast import
// cloudwatch …` from the repo root and checks the CSV on stdout (or --out), the summary and notes on stderr,
// and exit 1 with a clear message (never a stack trace) on bad input. The committed sample trace must be what
// the import makes of the committed sample export, byte for byte.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { cli, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const STACK_LINE = /^ {4}at /m;
const NODE_ERROR_HEADER = /^\w*Error(\s\[\w+\])?: /m;

let count = 0;
/** Writes a file into the test's temporary folder and returns its path. */
function file(name: string, content: string): string {
  const path = join(tmp, `${++count}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** A get-metric-data page as the AWS CLI prints it (4-space JSON, newest first). */
function exportJson(times: string[], records: number[], bytes: number[] | null, extra: Record<string, unknown> = {}, status = "Complete"): string {
  const results = [{ Id: "m1", Label: "IncomingRecords", Timestamps: times, Values: records, StatusCode: status }];
  if (bytes) results.push({ Id: "m2", Label: "IncomingBytes", Timestamps: times, Values: bytes, StatusCode: status });
  return JSON.stringify({ MetricDataResults: results, ...extra, Messages: [] }, null, 4);
}

describe.concurrent("shardcast import cloudwatch", () => {
  it("turns scenarios/traces/clickstream-cloudwatch.json into scenarios/traces/clickstream.csv, byte for byte", async ({ expect }) => {
    const r = await cli("import", "cloudwatch", "scenarios/traces/clickstream-cloudwatch.json");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, "scenarios/traces/clickstream.csv"), "utf8"));
    expect(r.stderr.split("\n")).toEqual([
      "shardcast: imported 60 periods of 60 s (2024-09-26T08:00:00Z to 2024-09-26T09:00:00Z) from scenarios/traces/clickstream-cloudwatch.json",
      expect.stringMatching(/^ {2}records: [\d,]+ in total, mean [\d,]+\/s, peak period [\d,]+\/s \(from 2024-09-26T08:37:00Z\)$/),
      expect.stringMatching(/^ {2}bytes: [\d.]+ MiB in total; mean record size \d+ B$/),
      "  note: data points were in descending time order (CloudWatch's default, TimestampDescending): sorted ascending",
      "",
    ]);
  });

  it("--out writes the CSV to a file and names it on stderr; stdout stays empty", async ({ expect }) => {
    const out = join(tmp, "nested", "trace.csv");
    const r = await cli("import", "cloudwatch", "scenarios/traces/clickstream-cloudwatch.json", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe(readFileSync(join(root, "scenarios/traces/clickstream.csv"), "utf8"));
    expect(r.stderr).toContain(`wrote ${out}`);
  });

  it("merges the pages of a NextToken sequence; a first page alone is reported incomplete", async ({ expect }) => {
    const first = file(
      "page1.json",
      exportJson(["2024-09-26T14:03:00+02:00", "2024-09-26T14:02:00+02:00"], [40, 30], [4_000, 3_000], { NextToken: "AAEAAd3token" }, "PartialData"),
    );
    const last = file("page2.json", exportJson(["2024-09-26T14:01:00+02:00", "2024-09-26T14:00:00+02:00"], [20, 10], [2_000, 1_000]));
    const [both, alone] = await Promise.all([cli("import", "cloudwatch", first, last), cli("import", "cloudwatch", first)]);
    expect(both.code).toBe(0);
    expect(both.stdout).toBe(
      "time,records,bytes\n2024-09-26T12:00:00Z,10,1000\n2024-09-26T12:01:00Z,20,2000\n2024-09-26T12:02:00Z,30,3000\n2024-09-26T12:03:00Z,40,4000\n",
    );
    expect(both.stderr).toContain("note: merged 2 exports (pages)");
    expect(both.stderr).not.toContain("PartialData");
    expect(alone.code).toBe(0);
    expect(alone.stdout).toBe("time,records,bytes\n2024-09-26T12:02:00Z,30,3000\n2024-09-26T12:03:00Z,40,4000\n");
    expect(alone.stderr).toContain("note: PartialData: the export is incomplete");
  });

  it("fills gaps with 0, says so, and imports a records-only export", async ({ expect }) => {
    const gappy = file("gappy.json", exportJson(["2024-09-26T12:15:00+00:00", "2024-09-26T12:05:00+00:00", "2024-09-26T12:00:00+00:00"], [3, 2, 1], null));
    const r = await cli("import", "cloudwatch", gappy);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("time,records\n2024-09-26T12:00:00Z,1\n2024-09-26T12:05:00Z,2\n2024-09-26T12:10:00Z,0\n2024-09-26T12:15:00Z,3\n");
    expect(r.stderr).toContain("imported 4 periods of 300 s");
    expect(r.stderr).toContain(
      "note: 1 missing period filled with 0 (CloudWatch writes no data point for a period without successful puts): 2024-09-26T12:10:00Z",
    );
    expect(r.stderr).toContain("bytes: none (records-only trace: give producers a recordSize)");
  });

  it("--records-id and --bytes-id pick results whose names do not say what they are", async ({ expect }) => {
    const text = JSON.stringify({
      MetricDataResults: [
        { Id: "puts", Label: "clicks", Timestamps: ["2024-09-26T12:01:00+00:00", "2024-09-26T12:00:00+00:00"], Values: [2.0, 1.0], StatusCode: "Complete" },
        { Id: "size", Label: "clicks size", Timestamps: ["2024-09-26T12:01:00+00:00", "2024-09-26T12:00:00+00:00"], Values: [20.0, 10.0], StatusCode: "Complete" },
      ],
      Messages: [],
    });
    const f = file("named.json", text);
    const [bad, good] = await Promise.all([cli("import", "cloudwatch", f), cli("import", "cloudwatch", f, "--records-id", "puts", "--bytes-id", "clicks size")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `shardcast: ${f}: no IncomingRecords result (an Id or Label containing IncomingRecords); the export has puts (clicks), size (clicks size); name the records result with --records-id ID\n`,
    );
    expect(good.code).toBe(0);
    expect(good.stdout).toBe("time,records,bytes\n2024-09-26T12:00:00Z,1,10\n2024-09-26T12:01:00Z,2,20\n");
  });

  const bad: [string, () => string[], (f: string[]) => string][] = [
    [
      "a file that does not exist",
      () => [join(tmp, "no-such-export.json")],
      ([f]) => `shardcast: ${f}: cannot read the export (no such file)\n`,
    ],
    [
      "a JSON syntax error",
      () => [file("syntax.json", '{\n    "MetricDataResults": [\n        { "Id": "m1", }\n    ]\n}\n')],
      ([f]) => `shardcast: ${f}:3:21: JSON syntax error: trailing comma before \`}\` (not allowed in JSON)\n`,
    ],
    [
      "mismatched Timestamps and Values",
      () => [file("mismatch.json", exportJson(["2024-09-26T12:01:00+00:00", "2024-09-26T12:00:00+00:00"], [1], null))],
      ([f]) => `shardcast: ${f}: MetricDataResults[0] (Id m1): Timestamps has 2 entries but Values has 1; Timestamps[i] pairs with Values[i]\n`,
    ],
    [
      "an empty file",
      () => [file("empty.json", "")],
      ([f]) => `shardcast: ${f}: empty file; expected the JSON that \`aws cloudwatch get-metric-data\` prints\n`,
    ],
  ];
  for (const [what, files, message] of bad) {
    it(`exits 1 on ${what}, with a message and no stack trace`, async ({ expect }) => {
      const f = files();
      const r = await cli("import", "cloudwatch", ...f);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(message(f));
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).not.toMatch(NODE_ERROR_HEADER);
    });
  }

  it("without a file is a usage error (exit 2)", async ({ expect }) => {
    const r = await cli("import", "cloudwatch");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'files'");
  });
});
