// A Lambda consumer whose function fails half its invocations with MaximumRetryAttempts 0 discards about half its batches
// (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html: past the retry quota Lambda
// "discards the records and continues processing batches from the stream"). With only an end-to-end SLO stated, the
// report read "Verdict: all 1 SLOs met." and nothing more, and its backlog sentence gave the records inside at the end
// as a share of those it processed or held (10.6%), not of those that arrived after warmup (8.2%).
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { runScenario, simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { lambdaScenario } from "./lambdaScenario.js";
import { PROVENANCE } from "./runResultFixture.js";

/** 200 records/s of 100 B on one shard, 4 minutes (1 of warmup), to a Lambda function failing half its invocations, batches gathered for 20 s. */
const run = (slo: Record<string, unknown>) =>
  simulateScenario(lambdaScenario({ fn: { errors: { share: 0.5 } }, mapping: { batchSize: 10_000, batchingWindow: "20s", maximumRetryAttempts: 0 }, slo }));

describe("losses no SLO judges, beside the verdict", () => {
  const r = run({ endToEndP99: "60s" });
  const c = r.consumers[0]!;
  const md = buildReportMarkdown(r, PROVENANCE);

  it("discards about half of what arrived after warmup (200/s × 180 s), and meets its one SLO", () => {
    const lw = c.lostAfterWarmup;
    expect(lw.accepted).toBeGreaterThanOrEqual(35_900);
    expect(lw.accepted).toBeLessThanOrEqual(36_100);
    // Batches of 20 s (about 4,000 records), each failing with probability 1/2: 9 batches after warmup, 2 to 7 discarded.
    expect(lw.discarded).toBeGreaterThanOrEqual(2 * 3_900);
    expect(lw.discarded).toBeLessThanOrEqual(7 * 4_100);
    expect(md).toContain("**Verdict: all 1 SLOs met.**");
  });

  it("says beside the verdict that no SLO judges what the consumer lost, and how much", () => {
    const share = (100 * c.lostAfterWarmup.discarded) / c.lostAfterWarmup.accepted;
    expect(md).toContain(`No SLO judges what consumers lose: fn lost ${share.toFixed(2)}% of the records that arrived after warmup (set \`slo.consumerLostPercent\` to judge it).`);
  });

  it("report.json's verdict holds the same loss: slosMet true says nothing of it", () => {
    const v = buildReportJson(r, PROVENANCE).verdict;
    expect(v.slosMet).toBe(true);
    const share = (100 * c.lostAfterWarmup.discarded) / c.lostAfterWarmup.accepted;
    expect(v.unjudgedLosses?.firehose).toEqual([]);
    expect(v.unjudgedLosses?.consumers.map((x) => x.name)).toEqual(["fn"]);
    expect(v.unjudgedLosses?.consumers[0]!.lostPercent).toBeCloseTo(share, 2);
  });

  it("gives the records inside at the end as a share of those that arrived after warmup", () => {
    // One batching window's worth (about 20 s × 200/s) was still gathering at the end.
    expect(c.censoredAtEnd).toBeGreaterThan(2_000);
    const share = (100 * c.censoredAtEnd) / c.lostAfterWarmup.accepted;
    expect(md).toContain(`${c.censoredAtEnd.toLocaleString("en-US")} records were still unprocessed by fn (${share.toFixed(1)}% of those that arrived after warmup)`);
  });

  it("says nothing more when an SLO judges consumers' losses (and that SLO is missed)", () => {
    const judgedRun = run({ endToEndP99: "60s", consumerLostPercent: 1 });
    const judged = buildReportMarkdown(judgedRun, PROVENANCE);
    expect(judged).not.toContain("No SLO judges what consumers lose");
    expect(buildReportJson(judgedRun, PROVENANCE).verdict.unjudgedLosses).toBeUndefined();
    expect(judged).toContain("**Verdict: 1 of 2 SLOs missed**");
  });
});

// A delivery stream's transformation answering ProcessingFailed for 30% of the records (Firehose guide "Transform source
// data": those records go to the processing-failed/ prefix, not delivered): with only a put-throttling SLO stated, the
// report read "all 1 SLOs met." and nothing more beside it.
describe("what a delivery stream does not deliver, no SLO judging it", () => {

  const fhRun = (slo: Record<string, unknown>) =>
    runScenario(
      scenarioOf({
        seed: 3,
        duration: "6m",
        warmup: "1m",
        stream: { name: "s", shards: 2 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 16 } }],
        firehose: [{ name: "archive", source: "s", buffer: { size: "1MiB", interval: "60s" }, transform: { sizeFactor: 1, results: { processingFailed: 0.3 } }, destination: { kind: "s3" } }],
        slo,
      }),
      PROVENANCE,
    );

  it("says beside the verdict that no SLO judges it: about 30% of what came in after warmup", () => {
    const o = fhRun({ writeThrottledPercent: 1 });
    const f = o.verdict.firehose[0]!;
    // Each record fails with probability 0.3 (binomial over 150,000 records after warmup: within a point of 30%).
    expect(f.notDeliveredPercent).toBeGreaterThan(29);
    expect(f.notDeliveredPercent).toBeLessThan(31);
    expect(o.files["report.md"]).toContain("**Verdict: all 1 SLOs met.**");
    expect(o.files["report.md"]).toContain(
      `No SLO judges what delivery streams do not deliver: archive did not deliver ${f.notDeliveredPercent.toFixed(2)}% of the records that came in after warmup (set \`slo.firehoseNotDeliveredPercent\` to judge it).`,
    );
    const v = (JSON.parse(o.files["report.json"]!) as { verdict: { unjudgedLosses?: unknown } }).verdict;
    expect(v.unjudgedLosses).toEqual({ consumers: [], firehose: [{ name: "archive", notDeliveredPercent: expect.closeTo(f.notDeliveredPercent, 2) as unknown }] });
  });

  it("says nothing more when an SLO judges it", () => {
    const o = fhRun({ writeThrottledPercent: 1, firehoseNotDeliveredPercent: 50 });
    expect(o.files["report.md"]).not.toContain("No SLO judges");
    expect(JSON.parse(o.files["report.json"]!)).not.toHaveProperty("verdict.unjudgedLosses");
  });

  it("without SLOs there is nothing to say: no unjudged losses in report.json", () => {
    expect(JSON.parse(fhRun({}).files["report.json"]!)).not.toHaveProperty("verdict.unjudgedLosses");
  });
});
