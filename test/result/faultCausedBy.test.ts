// The records a consumer's fault caused to be processed again, skipped, or written twice to its output stream count to
// that fault, whenever the re-read happens: a worker crash's are processed again (or skipped) only when the lease's next
// owner starts, which after a crash of the only worker is a worker restarted later. Before, each fault counted what was
// processed again from it until the consumer's next fault, so the crash's line read "no record processed again" and the
// restart's showed the records the crash had lost.
//
// One shard; ten records written together: a step of 100 records/s for 100 ms from 5 s ("even" arrivals: one producer
// window, sent at its end, 5.1 s) with a fixed 20 ms put latency, so all ten are in the shard at 5.12 s. One KCL 2.x
// worker polls every 980 ms after each 20 ms response, from its first take at a random instant in its first second:
// the call that finds the ten records comes in [5.12 s, 6.12 s), and the batch reaches the record processor 20 ms
// later, start ∈ [5.14 s, 6.14 s). Nothing else is written (unless said). The only worker crashes; the restarted one
// (30 s) takes the expired lease: it is the lease's next owner.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { faultSummary } from "../../src/report/verdict.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "../model/scenarioOf.js";

const TEN_AT_5S = { shape: "step", arrivals: "even", levels: [{ at: "0s", value: "0/s" }, { at: "5s", value: "100/s" }, { at: "5.1s", value: "0/s" }] };

function run(opts: { crash: string; app: Record<string, unknown>; levels?: unknown; output?: Record<string, unknown> }): RunResult {
  const streams = opts.output ? { streams: [{ name: "in", shards: 1 }, { name: "out", shards: 1 }] } : { stream: { name: "in", shards: 1 } };
  return simulate(
    scenarioOf({
      seed: 1,
      duration: "120s",
      warmup: "0s",
      ...streams,
      producers: [
        {
          name: "p",
          client: "sdk",
          stream: "in",
          rate: opts.levels ?? TEN_AT_5S,
          recordSize: { dist: "fixed", size: "100B" },
          partitionKey: { kind: "explicit", hashKeys: ["0"] },
          latency: { dist: "fixed", value: "20ms" },
        },
      ],
      consumers: [
        {
          name: "app",
          kind: "kcl",
          stream: "in",
          workers: 1,
          poll: { interval: "980ms", latency: { dist: "fixed", value: "20ms" } },
          kcl: { version: 2 },
          ...opts.app,
          ...(opts.output ? { output: opts.output } : {}),
        },
      ],
      faults: [
        { at: opts.crash, kind: "worker-crash", consumer: "app", workers: 1 },
        { at: "30s", kind: "worker-restart", consumer: "app", workers: 1 },
      ],
    }),
  );
}

const lag = (r: RunResult) => r.faults.map((f) => (f.effect?.kind === "lag" ? f.effect : null)!);

describe("records processed again count to the crash that lost them, not to the restart whose worker re-read them", () => {
  // 2 s a record, TRIM_HORIZON, a checkpoint interval longer than the run: a crash at 14.64 s has processed
  // floor((14.64 − start) / 2 s) = 4 of the batch (crash − start ∈ (8.5, 9.5] s), with no checkpoint; the restarted
  // worker (30 s) starts at the shard's first record and processes those 4 again.
  const r = run({ crash: "14.64s", app: { initialPosition: "TRIM_HORIZON", processing: { perRecord: "2s" }, checkpoint: { every: "10m" } } });

  it("the crash counts the 4, the restart none", () => {
    expect(r.consumers[0]!.reprocessed).toBe(4);
    expect(lag(r).map((e) => e.reprocessed)).toEqual([4, 0]);
  });

  it("the crash's line says so, and the restart's counts none of its own but points to the crash its worker re-read them for", () => {
    const [crash, restart] = r.faults.map((f) => faultSummary(f, r));
    expect(crash).toContain("; 4 records processed again (");
    expect(crash).not.toContain("no record processed again");
    expect(restart).not.toContain("records processed again (");
    // The restart's worker (started at 30 s) took the crash's lease and processed the 4 again.
    expect(lag(r).map((e) => e.reReadFor)).toEqual([[], [{ kind: "worker-crash", atUs: 14_640_000, records: 4 }]]);
    expect(restart).toContain("; its worker re-read 4 records for the worker crash at 0:00:14 (processed again; counted to that worker crash)");
  });
});

describe("a restart points to the crash only when its own workers re-read for it", () => {
  it("two workers: the survivor takes the crashed worker's lease, the restarted one re-reads nothing", () => {
    // Two workers, one shard: the lease's owner crashes at 14.64 s (4 of the batch processed, as above); with a 2 s
    // failover the other worker takes the expired lease within seconds, long before the restart at 30 s, and processes
    // the 4 again: they count to the crash, and the restart's line points to nothing. (With the default 10 s failover
    // the survivor's taker had not come round by 30 s and the restarted worker took the lease: that line pointed.)
    const r = simulate(
      scenarioOf({
        seed: 1,
        duration: "120s",
        warmup: "0s",
        stream: { name: "in", shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: TEN_AT_5S, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: ["0"] }, latency: { dist: "fixed", value: "20ms" } }],
        consumers: [
          {
            name: "app",
            kind: "kcl",
            workers: 2,
            initialPosition: "TRIM_HORIZON",
            poll: { interval: "980ms", latency: { dist: "fixed", value: "20ms" } },
            processing: { perRecord: "2s" },
            checkpoint: { every: "10m" },
            lease: { failover: "2s" },
            kcl: { version: 2 },
          },
        ],
        faults: [
          { at: "14.64s", kind: "worker-crash", consumer: "app", workers: 1 },
          { at: "30s", kind: "worker-restart", consumer: "app", workers: 1 },
        ],
      }),
    );
    expect(r.consumers[0]!.reprocessed).toBe(4);
    expect(lag(r).map((e) => e.reprocessed)).toEqual([4, 0]);
    expect(r.consumers[0]!.lateReReads).toEqual([]);
    expect(lag(r).map((e) => e.reReadFor)).toEqual([[], []]);
    expect(faultSummary(r.faults[1]!, r)).not.toContain("re-read");
  });
});

describe("records skipped count to the crash that lost them", () => {
  // At LATEST with no checkpoint: the crash at 14.64 s has processed 4 of the ten (as above); the restarted worker
  // takes the lease at 30 s or later, past the first taker interval, so it starts at the tip: 10 − 4 = 6 skipped.
  const r = run({ crash: "14.64s", app: { initialPosition: "LATEST", processing: { perRecord: "2s" } } });

  it("the crash counts the 6, the restart none", () => {
    expect(r.consumers[0]!.accounting).toMatchObject({ accepted: 10, processed: 4, skipped: 6, balanced: true });
    expect(lag(r).map((e) => e.skipped)).toEqual([6, 0]);
    expect(faultSummary(r.faults[0]!, r)).toContain("; 6 records skipped, never processed");
  });
});

describe("why records were processed again: where the new owner started", () => {
  it("checkpoint: set but none written yet: the lease's initial position, TRIM_HORIZON, not 'read since the last checkpoint'", () => {
    // The case above: the checkpoint is due every 10 min, the lease had none when its worker crashed.
    const r = run({ crash: "14.64s", app: { initialPosition: "TRIM_HORIZON", processing: { perRecord: "2s" }, checkpoint: { every: "10m" } } });
    expect(r.consumers[0]!.leases?.checkpoints).toBe(0);
    expect(lag(r)[0]!.reprocessedFrom).toEqual({ checkpoint: 0, trimHorizon: 4, latest: 0 });
    const line = faultSummary(r.faults[0]!, r);
    expect(line).toContain("4 records processed again (app had written no checkpoint yet for the leases that changed hands, so the new owners started at the leases' initial position, TRIM_HORIZON");
    expect(line).not.toContain("read since the last checkpoint");
  });

  it("a checkpoint written before the crash: read since the last checkpoint", () => {
    // Ten more records at 30.12 s. The first ten took 20 s (done by 26.14 s), then a checkpoint (due: 1 s since the
    // worker started) at the 10th; the second ten start in [30.14, 31.14) s (the same poll phase, 25 polls later), and a
    // crash at 39.64 s has processed floor(8.5…9.5 s / 2 s) = 4 of them. The worker restarted at 50 s resumes from the
    // checkpoint and processes those 4 again.
    const levels = { ...TEN_AT_5S, levels: [...TEN_AT_5S.levels, { at: "30s", value: "100/s" }, { at: "30.1s", value: "0/s" }] };
    const r = simulate(
      scenarioOf({
        seed: 1,
        duration: "150s",
        warmup: "0s",
        stream: { name: "in", shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: levels, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: ["0"] }, latency: { dist: "fixed", value: "20ms" } }],
        consumers: [
          {
            name: "app",
            kind: "kcl",
            workers: 1,
            initialPosition: "TRIM_HORIZON",
            poll: { interval: "980ms", latency: { dist: "fixed", value: "20ms" } },
            processing: { perRecord: "2s" },
            checkpoint: { every: "1s" },
            kcl: { version: 2 },
          },
        ],
        faults: [
          { at: "39.64s", kind: "worker-crash", consumer: "app", workers: 1 },
          { at: "50s", kind: "worker-restart", consumer: "app", workers: 1 },
        ],
      }),
    );
    expect(r.consumers[0]!.accounting).toMatchObject({ accepted: 20, processed: 20, balanced: true });
    expect(lag(r)[0]!.reprocessedFrom).toEqual({ checkpoint: 4, trimHorizon: 0, latest: 0 });
    expect(faultSummary(r.faults[0]!, r)).toContain("; 4 records processed again (read since the last checkpoint)");
  });
});

describe("a crash while an output: application's puts are under way: the copies already written are written twice", () => {
  // 100 ms a record: the ten records' batch is processed by 7.14 s at the latest; it makes 2 records each (20) for
  // stream out, put at once (one shard takes 1,000 records/s) with a fixed 10 s round trip: acknowledged no sooner than
  // 16.14 s. A crash at 10 s finds the 20 in out and the puts not returned: the batch is not processed, no checkpoint
  // covers it; the restarted worker reads the ten from TRIM_HORIZON and writes their 20 again. By hand: out takes 40,
  // 20 of them twice; no upstream record was processed twice (the batch counted once, when its second puts were done).
  const output = { stream: "out", recordsPerRecord: 2, latency: { dist: "fixed", value: "10s" } };
  const app = { initialPosition: "TRIM_HORIZON", processing: { perRecord: "100ms" }, checkpoint: { every: "10m" } };

  it("counts the 20 written twice, to the crash", () => {
    const r = run({ crash: "10s", app, output });
    const c = r.consumers[0]!;
    expect(c.accounting).toMatchObject({ accepted: 10, processed: 10, balanced: true });
    expect(r.writers[0]).toMatchObject({ offered: 40, accepted: 40, interrupted: 0 });
    expect(c.reprocessed).toBe(0);
    expect(c.writtenAgain).toBe(20);
    expect(lag(r).map((e) => e.writtenAgain)).toEqual([20, 0]);
  });

  it("says so where the report shows records processed again: the crash's line and the pipeline's accounting", () => {
    const r = run({ crash: "10s", app, output });
    const line = faultSummary(r.faults[0]!, r);
    expect(line).toContain("; 20 records written to out twice (the crash cut a batch's puts after they were in");
    expect(line).not.toContain("no record processed again");
    // The pipeline: in took 10, app processed them (out took 40: 20 + the same 20 again).
    expect(buildReportMarkdown(r, { scenarioFile: "t.yaml", scenarioSha256: "0" })).toContain(
      "in accepted 10 (app: 10 processed (20 of the records it wrote to out written twice, a crash having cut their batch's puts))",
    );
  });

  it("a crash while the batch is still processing (2 s a record: done no sooner than 25.14 s) has written nothing: none twice", () => {
    const r = run({ crash: "10s", app: { ...app, processing: { perRecord: "2s" } }, output });
    expect(r.writers[0]).toMatchObject({ offered: 20, accepted: 20 });
    expect(r.consumers[0]!.writtenAgain).toBe(0);
    expect(faultSummary(r.faults[0]!, r)).toContain("no record processed again");
  });
});
