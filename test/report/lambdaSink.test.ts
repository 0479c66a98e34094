// A Lambda function's sink: each invocation writes its batch before it returns, so the sink's flushes are the batches
// (not "a shard's end", and no Connector buffer limit applies); and the throttled items a sink sentence counts are split
// by what became of them: tried again, or throttled on the last try and lost (helper-57's 6 and 7).
import { describe, expect, it } from "vitest";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { lostReasons } from "../../src/report/verdict.js";
import { judge } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { lambdaScenario } from "./lambdaScenario.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

/** 200 records/s of 100 B on one shard to a Lambda function (batches of 100) writing to a DynamoDB table of `wcu` WCU. */
const lambdaToTable = (wcu: number, retry: Record<string, unknown> = {}) =>
  simulateScenario(
    lambdaScenario({
      seed: 1,
      duration: "3m",
      warmup: "30s",
      mapping: { sink: { kind: "dynamodb", table: { capacity: "provisioned", write: wcu }, requestLatency: { dist: "fixed", value: "10ms" }, retry: { backoff: "1s", ...retry } } },
    }),
  );

describe("a Lambda function's sink", () => {
  // 1,000 WCU for 200 items/s of 1 WCU: nothing throttled. The mapping offers each processed batch with `flush: true`
  // (the function writes it before it returns): no flush comes from a buffer limit, and the batches hold up to 100
  // records (BatchSize), 100 on average at 200 records/s read in full batches.
  const r = lambdaToTable(1000);
  const sk = r.sinks[0]!;
  const summary = buildReportJson(r, provenance).consumers[0]!.sink!.summary;

  it("credits its flushes to the invocations' batches, not to a shard's end", () => {
    expect(sk.flushes.records + sk.flushes.bytes + sk.flushes.age).toBe(0);
    expect(summary).not.toContain("a shard's end");
    const m = summary.match(/ in ([\d,]+) flushes \(one for each invocation's batch, which the function writes before it returns; (\d+) records a flush on average\)/);
    expect(m).not.toBeNull();
    expect(Number(m![1]!.replace(/,/g, ""))).toBe(sk.flushes.invocation);
    expect(Number(m![2])).toBeGreaterThanOrEqual(90);
    expect(Number(m![2])).toBeLessThanOrEqual(100);
    expect(summary).toContain("the function's lanes waited");
  });

  // report.json keys a sink's flushes by what set them off: a Lambda function's under `invocation` (schema 9), none under
  // `end`, which is a KCL record processor's shard end (helper-61). One flush per invocation (none fails): as many as
  // the function's Invocations over the whole run, and at least the 36,000 records ÷ 100 a batch.
  it("report.json counts them under flushes.invocation, one per invocation, none under end", () => {
    const json = buildReportJson(r, provenance).consumers[0]!.sink!;
    const invocations = r.consumers[0]!.lambda!.series.invocations.reduce((a, b) => a + b, 0);
    expect(json.flushes.end).toBe(0);
    expect(json.flushes.invocation).toBe(invocations);
    expect(json.flushes.invocation).toBeGreaterThanOrEqual(360);
  });

  it("shows no Connector buffer in the sink table: the batch is the flush", () => {
    const md = buildReportMarkdown(r, provenance);
    const row = md.split("\n").find((l) => l.startsWith("| fn | a DynamoDB table"))!;
    expect(row).toContain("| none: each invocation's batch (up to 100 records) |");
    expect(row).not.toContain("1,000 records, 1 MiB");
  });
});

describe("a sink's throttled items", () => {
  // 50 WCU for 200 items/s of 1 WCU: most items are throttled. With retry.limit 1 there is no second try: every item
  // throttled is lost (the function's handler gives it up), none tried again.
  it("with one try: throttled with no try left, none tried again", () => {
    const r = lambdaToTable(50, { limit: 1 });
    const a = r.sinks[0]!.afterWarmup;
    expect(a.throttledItems).toBeGreaterThan(1000);
    expect(Math.abs(a.lost.retriesExhausted - a.throttledItems)).toBeLessThanOrEqual(100);
    const summary = buildReportJson(r, provenance).consumers[0]!.sink!.summary;
    expect(summary).not.toContain("tried again");
    expect(summary).toContain(`; ${a.throttledItems.toLocaleString("en-US")} items throttled with no try left (lost);`);
  });

  // With three tries 100 ms apart, an item throttled on the first or second try is tried again, on the third it is lost.
  it("with three tries: those tried again and those lost on the last try add up to the throttled", () => {
    const r = lambdaToTable(50, { limit: 3, backoff: "100ms" });
    const a = r.sinks[0]!.afterWarmup;
    expect(a.lost.retriesExhausted).toBeGreaterThan(0);
    expect(a.throttledItems).toBeGreaterThan(a.lost.retriesExhausted);
    const summary = buildReportJson(r, provenance).consumers[0]!.sink!.summary;
    const n = (x: number) => x.toLocaleString("en-US");
    expect(summary).toContain(`; ${n(a.throttledItems)} items throttled: ${n(a.throttledItems - a.lost.retriesExhausted)} tried again, ${n(a.lost.retriesExhausted)} with no try left (lost);`);
  });
});

// The Connector's buffer and checkpoint policy do nothing for a Lambda function (the scenario refuses them); report.json
// echoed the defaults as if in force: buffer { 1,000 records, 1 MiB } and after-flush (helper-94's p1).
describe("a Lambda function's sink in report.json", () => {
  const json = buildReportJson(lambdaToTable(1000), provenance);

  it("has no buffer and no checkpoint policy: both null", () => {
    const sink = json.consumers[0]!.sink!;
    expect(sink.buffer).toBeNull();
    expect(sink.checkpoint).toBeNull();
    expect(sink.retry).toEqual({ limit: 3, backoffSeconds: 1 });
  });

  it("nor does the scenario it echoes", () => {
    const c = json.scenario.consumers[0]!;
    const sink = (c.kind === "lambda" ? c.sink : undefined) as Record<string, unknown> | undefined;
    expect(sink?.kind).toBe("dynamodb");
    expect(Object.keys(sink ?? {})).not.toContain("buffer");
    expect(Object.keys(sink ?? {})).not.toContain("checkpoint");
  });
});

// What a Lambda function's handler gives up after its own tries of a write was "unwritten … after the emitter's tries
// (IEmitter.fail)", the Connector's interface (helper-94's p1b: "16,436 unwritten … (IEmitter.fail)"): a function has no
// emitter. 50 WCU for 200 items/s with one try: over 1,000 items lost.
describe("records a Lambda function's sink lost past its tries", () => {
  const r = lambdaToTable(50, { limit: 1 });
  const lost = r.sinks[0]!.accounting.lost.retriesExhausted;
  const n = lost.toLocaleString("en-US");

  it("are the function's: its handler gave them up, no IEmitter.fail", () => {
    expect(lost).toBeGreaterThan(1000);
    expect(lostReasons(r)).toBe(`${n} unwritten to a Lambda consumer's sink after the function's own write tries (its handler gave those items up)`);
    const md = buildReportMarkdown(r, provenance);
    expect(md).not.toContain("IEmitter");
    expect(md).not.toContain("emitter's");
    expect(md).toContain(`${n} records were still unwritten after the function's 1 try of a write and were lost (its handler gave those items up)`);
    expect(md).toContain("| consumer | offered | written | buffered | being written | lost past the function's tries |");
  });

  it("a missed recordsLostPercent names them by the function's reason", () => {
    const v = judge(simulateScenario(lambdaScenario({ seed: 1, duration: "3m", warmup: "30s", slo: { recordsLostPercent: 1 }, mapping: { sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 50 }, requestLatency: { dist: "fixed", value: "10ms" }, retry: { limit: 1, backoff: "1s" } } } })));
    const cause = v.slos.find((x) => x.name === "recordsLostPercent")!.cause;
    expect(cause?.kind === "lost" ? Object.keys(cause.reasons) : undefined).toEqual(["functionSinkRetriesExhausted"]);
  });
});
