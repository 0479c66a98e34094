// A KCL application's sink takes again what a stopped record processor had written past its checkpoint: the lease's next
// owner reads from the checkpoint and flushes those records again (KCL's at-least-once delivery: duplicates in the
// sink). They count as written twice, to the fault that stopped the processor, as an `output:` application's cut puts
// do (faultCausedBy.test.ts), in report.json (the fault's effect and the consumer) and in the Faults line.
//
// The scenario of faultCausedBy.test.ts: one shard; ten records of 100 B, all in the shard at 5.12 s; one KCL 2.x worker
// polling every 980 ms after each 20 ms response, so the batch of ten reaches the record processor at start ∈ [5.14 s,
// 6.14 s); TRIM_HORIZON; the only worker crashes at 10 s and a worker restarted at 30 s takes the expired lease.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { faultSummary } from "../../src/report/verdict.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "../model/scenarioOf.js";

const TEN_AT_5S = { shape: "step", arrivals: "even", levels: [{ at: "0s", value: "0/s" }, { at: "5s", value: "100/s" }, { at: "5.1s", value: "0/s" }] };

function run(sink: Record<string, unknown>, app: Record<string, unknown> = {}): RunResult {
  return simulate(
    scenarioOf({
      seed: 1,
      duration: "120s",
      warmup: "0s",
      stream: { name: "in", shards: 1 },
      producers: [
        {
          name: "p",
          client: "sdk",
          rate: TEN_AT_5S,
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "explicit", hashKeys: ["0"] },
          latency: { dist: "fixed", value: "20ms" },
        },
      ],
      consumers: [
        {
          name: "app",
          kind: "kcl",
          workers: 1,
          initialPosition: "TRIM_HORIZON",
          poll: { interval: "980ms", latency: { dist: "fixed", value: "20ms" } },
          processing: { perRecord: "100ms" },
          kcl: { version: 2 },
          sink,
          ...app,
        },
      ],
      faults: [
        { at: "10s", kind: "worker-crash", consumer: "app", workers: 1 },
        { at: "30s", kind: "worker-restart", consumer: "app", workers: 1 },
      ],
    }),
  );
}

const lag = (r: RunResult) => r.faults.map((f) => (f.effect?.kind === "lag" ? f.effect : null)!);
const reportJson = (r: RunResult) => buildReportJson(r, { scenarioFile: "t.yaml", scenarioSha256: "0" });

describe("a crash mid-flush: the BatchWriteItem requests already sent are written again by the next owner", () => {
  // DynamoDB, 4 items a request, each request a fixed 10 s, one after another; a flush at 10 records. The batch is
  // processed by start + 1 s ∈ [6.14, 7.14) s and flushed at once: requests of 4, 4 and 2 items sent at start + 1 s,
  // + 11 s and + 21 s (the table applies a request's items when it is sent). The crash at 10 s finds one request sent:
  // 4 written, the flush cut, 6 interrupted; the batch was not processed (its flush not done), no checkpoint. The worker
  // restarted at 30 s reads the ten from TRIM_HORIZON and flushes them again: 10 written by start' + 21 s < 120 s.
  // By hand: the table takes 4 + 10 = 14 items, 4 of them twice; nothing processed twice (the batch counted once).
  const sink = { kind: "dynamodb", table: { capacity: "provisioned", write: 1000 }, itemsPerRequest: 4, requestLatency: { dist: "fixed", value: "10s" }, buffer: { records: 10 } };
  const r = run(sink);

  it("counts the 4 written twice, to the crash", () => {
    const c = r.consumers[0]!;
    expect(c.accounting).toMatchObject({ accepted: 10, processed: 10, balanced: true });
    expect(r.sinks[0]!.accounting).toMatchObject({ offered: 20, written: 14, interrupted: 6, balanced: true });
    expect(c.reprocessed).toBe(0);
    expect(c.writtenAgain).toBe(4);
    expect(lag(r).map((e) => e.writtenAgain)).toEqual([4, 0]);
  });

  it("the crash's line and the sink accounting say so, naming the sink", () => {
    const line = faultSummary(r.faults[0]!, r);
    expect(line).toContain(
      "; 4 records written to app's DynamoDB table twice (it had taken them from a record processor that stopped before a checkpoint covered them; processed again, they were written again: duplicates in the table)",
    );
    expect(line).not.toContain("no record processed again");
    // The sink accounting's note: 4 + 10 = 14 written to 10 processed.
    expect(buildReportMarkdown(r, { scenarioFile: "t.yaml", scenarioSha256: "0" })).toContain(
      "app's sink wrote 14 records to 10 processed, 4 of them twice (it had taken them from record processors that stopped before a checkpoint covered them — a crash, a lost lease — and the leases' next owners, processing them again, wrote them again).",
    );
  });

  it("report.json has them: the fault's effect and the consumer", () => {
    const j = reportJson(r);
    expect(j.faults!.map((f) => (f.effect?.kind === "lag" ? f.effect.writtenAgainRecords : null))).toEqual([4, 0]);
    expect(j.consumers[0]!.writtenAgainRecords).toBe(4);
  });

  it("a crash before the flush (1 s a record: the batch processed no sooner than 15.14 s) has written nothing: none twice", () => {
    const r2 = run(sink, { processing: { perRecord: "1s" } });
    expect(r2.consumers[0]!.writtenAgain).toBe(0);
    expect(r2.sinks[0]!.accounting).toMatchObject({ offered: 10, written: 10 });
    expect(faultSummary(r2.faults[0]!, r2)).toContain("no record processed again");
  });
});

describe("flushes written since the last checkpoint (checkpoint: when-due) are written again", () => {
  // S3, one object a flush, a fixed 100 ms put: the ten are flushed at start + 1 s and written by start + 1.1 s ≤ 7.24 s,
  // the batch processed then. With `checkpoint: when-due` every 10 min, no checkpoint is due before the crash at 10 s:
  // the restarted worker reads the ten from TRIM_HORIZON, processes them again (10) and puts a second object of them:
  // 10 written twice. By hand: 2 objects, 20 records written.
  const s3 = { kind: "s3", putLatency: { dist: "fixed", value: "100ms" }, buffer: { records: 10 }, checkpoint: "when-due" };

  it("counts the 10 written twice, beside the 10 processed again", () => {
    const r = run(s3, { checkpoint: { every: "10m" } });
    const c = r.consumers[0]!;
    expect(r.sinks[0]!.accounting).toMatchObject({ offered: 20, written: 20, balanced: true });
    expect(c.reprocessed).toBe(10);
    expect(c.writtenAgain).toBe(10);
    expect(lag(r).map((e) => [e.reprocessed, e.writtenAgain])).toEqual([
      [10, 10],
      [0, 0],
    ]);
    const line = faultSummary(r.faults[0]!, r);
    expect(line).toContain("; 10 records processed again (");
    expect(line).toContain("; 10 records written to app's S3 bucket twice (it had taken them from a record processor that stopped before a checkpoint covered them; processed again, they were written again: duplicates in the bucket)");
  });

  it("after-flush (the Connector's): the flush is checkpointed at once, so nothing is processed or written twice", () => {
    const r = run({ ...s3, checkpoint: "after-flush" });
    const c = r.consumers[0]!;
    expect(r.sinks[0]!.accounting).toMatchObject({ offered: 10, written: 10 });
    expect(c.reprocessed).toBe(0);
    expect(c.writtenAgain).toBe(0);
  });
});
