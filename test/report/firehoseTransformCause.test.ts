// A Firehose transformation's failed invocations say why they failed (stop 41's left-over), one run for each cause:
// - timeout: an invocation longer than 5 minutes ("Amazon Data Firehose supports a Lambda invocation time of up to 5
//   minutes", https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html);
// - payload: the request or response over Lambda's synchronous payload, "6 MB for both the request and the response"
//   (same page), the record data in base64 (2430610);
// - fault: the scenario's lambda-errors fault.
// A failed invocation is retried NumberOfRetries (3) times, then its batch's records go to processing-failed/
// (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html). Before, report.md's
// "failed" column, report.json and the verdict gave the count alone ("N to processing-failed/ (failed by the
// transformation)").
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { transformFailureParts, verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

/** One shard, 1 KiB records at `rate`, read by a delivery stream to S3 whose transformation is `transform` over a 1 MB buffer. */
function transformRun(o: { duration: string; rate: string; transform: Record<string, unknown>; faults?: unknown[] }) {
  const r = simulateScenario(
    scenarioOf({
      seed: 7,
      duration: o.duration,
      warmup: "1m",
      stream: { name: "clicks", shards: 1 },
      producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: o.rate }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } }],
      firehose: [{ name: "archive", source: "clicks", buffer: { size: "64MiB", interval: "60s" }, transform: { buffer: { size: "1MB", interval: "60s" }, ...o.transform }, destination: { kind: "s3" } }],
      ...(o.faults ? { faults: o.faults } : {}),
    }),
  );
  const f = r.firehose[0]!;
  return { r, f, t: f.transform!, v: verdictOf(r).firehose[0]!, json: buildReportJson(r, PROVENANCE).firehose[0]!.transform!, md: buildReportMarkdown(r, PROVENANCE) };
}

describe("a transformation's failed invocations, by cause", () => {
  it("timeout: 1 MB invocations of 4 min + 2 min a MB = 6 min run to the 5-minute limit; 5 at once, each batch tried 4 times: 20 failed by 25 min, 5 batches given up", () => {
    // 100 records/s of 1 KiB fill the 1 MB buffer every 9.8 s: the first 5 invocations start in the first 50 s and take
    // the 5 slots (5 per shard). Each try runs to the 300 s limit and fails; the failed batch goes back to the head of
    // the queue and takes its slot again at once, so each slot fails its batch at about 310 + 300k s … 1,210 + … s: four
    // tries each (NumberOfRetries 3) by 1,500 s, the fifth not begun. 20 failed invocations, 5 batches of about 1 MB
    // (1,000,000 B ÷ 1,024 B ≈ 977 records) to processing-failed/.
    const { t, v, json, md } = transformRun({ duration: "25m", rate: "100/s", transform: { duration: { perInvocation: "4m", perMB: "2m" } } });
    expect(t.failedInvocations).toBe(20);
    expect(t.failedInvocationsBy).toEqual({ timeout: 20, payload: 0, fault: 0 });
    expect(t.failedBatches).toBe(5);
    expect(Math.abs(t.failedBatchRecords - 5 * 977)).toBeLessThanOrEqual(5);
    expect(t.failedBatchRecordsBy).toEqual({ timeout: t.failedBatchRecords, payload: 0, fault: 0 });
    expect(json.failedInvocationsBy).toEqual({ timeout: 20, payload: 0, fault: 0 });
    expect(json.failedBatchRecordsBy).toEqual({ timeout: t.failedBatchRecords, payload: 0, fault: 0 });
    expect(md).toContain("| 20 (20 timed out at the 5-minute limit) |");
    const n = t.failedBatchRecords.toLocaleString("en-US");
    expect(v.explanation).toContain(`over the whole run ${n} to processing-failed/ (failed by the transformation: ${n} in batches that failed every try, timed out at the 5-minute limit)`);
    // Its 5 slots busy all run, every invocation failing: the bottleneck clause says they fail (it read "5 invocations at
    // once (its concurrency) ran 100% of the run, and it delivered …", a slow transformation's words). 20 failed of 25
    // begun (the fifth tries, still running at the end).
    expect(v.bottleneck).toBe("transformation");
    expect(v.explanation).toMatch(/held back by its Lambda transformation: 5 invocations at once \(its concurrency\) ran \d+(\.\d+)?% of the run \(20 of its 25 invocations failed: 20 timed out at the 5-minute limit\), and it delivered/);
  });

  it("payload: a 3 MB buffer answered 1.8 times larger is 7.2 MB in base64, over 6 MiB: every invocation fails by its payload", () => {
    // 1,200 records/s of 1 KiB fill a 3 MB buffer every 2.4 s; invocations of 100 ms + 200 ms a MB (the default), 4 tries a batch.
    const { t, v, json, md } = transformRun({ duration: "5m", rate: "1200/s", transform: { buffer: { size: "3MB", interval: "60s" }, sizeFactor: 1.8 } });
    expect(t.ok).toBe(0);
    expect(t.failedInvocations).toBeGreaterThan(400);
    expect(t.failedInvocationsBy).toEqual({ timeout: 0, payload: t.failedInvocations, fault: 0 });
    expect(t.failedBatchRecordsBy).toEqual({ timeout: 0, payload: t.failedBatchRecords, fault: 0 });
    expect(json.failedInvocationsBy.payload).toBe(t.failedInvocations);
    const k = t.failedInvocations.toLocaleString("en-US");
    expect(md).toContain(`| ${k} (${k} over Lambda's 6 MiB payload in base64) |`);
    const n = t.failedBatchRecords.toLocaleString("en-US");
    expect(v.explanation).toContain(`(failed by the transformation: ${n} in batches that failed every try, over Lambda's 6 MiB payload in base64)`);
  });

  it("fault: a lambda-errors fault of share 1 for 1 minute fails every try begun in it, about 6,000 records' batches", () => {
    // 100 records/s of 1 KiB, 1 MB batches (about 977 records) every 9.8 s, invocations of 100 ms + 200 ms a MB = 0.3 s:
    // a batch cut in the fault's minute [2 min, 3 min) is tried 4 times within 1.2 s and given up; 60 s × 100 records/s
    // = 6,000 records, give or take a batch at each end of the window.
    const { t, v, json, md } = transformRun({ duration: "5m", rate: "100/s", transform: {}, faults: [{ at: "2m", kind: "lambda-errors", firehose: "archive", for: "1m", share: 1 }] });
    expect(t.failedInvocationsBy).toEqual({ timeout: 0, payload: 0, fault: t.failedInvocations });
    expect(t.failedInvocations).toBe(4 * t.failedBatches);
    expect(t.failedBatchRecords).toBeGreaterThan(6_000 - 977);
    expect(t.failedBatchRecords).toBeLessThan(6_000 + 977);
    expect(t.failedBatchRecordsBy).toEqual({ timeout: 0, payload: 0, fault: t.failedBatchRecords });
    expect(json.failedInvocationsBy.fault).toBe(t.failedInvocations);
    const k = t.failedInvocations.toLocaleString("en-US");
    expect(md).toContain(`| ${k} (${k} failed by a lambda-errors fault) |`);
    expect(v.explanation).toContain("in batches that failed every try, failed by a lambda-errors fault)");
  });

  it("counterfactual: no failure, no cause (the column reads 0)", () => {
    const { t, md, v } = transformRun({ duration: "5m", rate: "100/s", transform: {} });
    expect(t.failedInvocations).toBe(0);
    expect(t.failedInvocationsBy).toEqual({ timeout: 0, payload: 0, fault: 0 });
    expect(md).toMatch(/\| [\d,]+ \| 0 \| 0 \|/);
    expect(v.explanation).not.toContain("processing-failed");
  });

  it("several causes: each with its count, in the order timeout, payload, fault", () => {
    expect(transformFailureParts({ timeout: 8, payload: 4, fault: 0 })).toEqual(["8 timed out at the 5-minute limit", "4 over Lambda's 6 MiB payload in base64"]);
    expect(transformFailureParts({ timeout: 0, payload: 0, fault: 1_200 })).toEqual(["1,200 failed by a lambda-errors fault"]);
  });
});
