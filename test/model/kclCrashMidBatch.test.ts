// A KCL worker that crashes while processRecords is running has processed part of its batch (amazon-kinesis-client:
// ShardConsumer runs ProcessTask, which hands the batch to processRecords; a crash ends the process mid-call, the call
// never returns and no checkpoint covers the batch). The lease's next owner reads from the checkpoint and processes
// those records again. By the model's own times the batch's perBatch comes first, then its records in order at
// perRecord each: k = floor((crash − start − perBatch) / perRecord) records were processed before the crash.
//
// One shard; ten records written together: a step of 100 records/s for 100 ms from 5 s ("even" arrivals: one producer
// window, sent at its end, 5.1 s) with a fixed 20 ms put latency, so all ten are in the shard at 5.12 s. One KCL 2.x
// worker polls every 980 ms after each 20 ms response, from its first take at a random instant in its first second:
// the call that finds the ten records comes in [5.12 s, 6.12 s), and the batch reaches the record processor 20 ms
// later, start ∈ [5.14 s, 6.14 s). Nothing else is ever written. initialPosition TRIM_HORIZON and a checkpoint
// interval longer than the run: the lease has no checkpoint, so the next owner (the restarted worker, which takes the
// expired lease) starts at the shard's first record and processes all ten.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import type { RunResult } from "../../src/result/runResult.js";
import { scenarioOf } from "./scenarioOf.js";

function crashAt(crash: string, processing: Record<string, string>): RunResult {
  return simulate(
    scenarioOf({
      seed: 1,
      duration: "120s",
      warmup: "0s",
      stream: { shards: 1 },
      producers: [
        {
          name: "p",
          client: "sdk",
          rate: { shape: "step", arrivals: "even", levels: [{ at: "0s", value: "0/s" }, { at: "5s", value: "100/s" }, { at: "5.1s", value: "0/s" }] },
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
          processing: processing,
          checkpoint: { every: "10m" },
          kcl: { version: 2 },
        },
      ],
      faults: [
        { at: crash, kind: "worker-crash", consumer: "app", workers: 1 },
        { at: "30s", kind: "worker-restart", consumer: "app", workers: 1 },
      ],
    }),
  );
}

describe("a worker crash while processRecords runs", () => {
  it("at 2 s a record, a crash at 14.64 s has processed 4 of the batch's 10: the next owner processes them again", () => {
    // start ∈ [5.14, 6.14) s, so crash − start ∈ (8.5, 9.5] s: floor(/ 2 s) = 4 whatever the phase.
    const r = crashAt("14.64s", { perRecord: "2s" });
    const c = r.consumers[0]!;
    expect(c.accounting).toMatchObject({ accepted: 10, processed: 10, balanced: true });
    expect(c.reprocessed).toBe(4);
    // The Faults section's counts of the crash and the restart hold the same 4 (all the crash's: they were lost when it
    // stopped the worker, though re-read after the restart; test/result/faultCausedBy.test.ts).
    const lag = r.faults.map((f) => (f.effect?.kind === "lag" ? f.effect.reprocessed : 0));
    expect(lag[0]! + lag[1]!).toBe(4);
  });

  it("a crash in the batch's first record has processed none of it: 0 again", () => {
    // crash − start ∈ (0.5, 1.5] s: floor(/ 2 s) = 0.
    const r = crashAt("6.64s", { perRecord: "2s" });
    expect(r.consumers[0]!.accounting).toMatchObject({ accepted: 10, processed: 10, balanced: true });
    expect(r.consumers[0]!.reprocessed).toBe(0);
  });

  it("the per-batch time comes first: with 3 s of it, a crash at 16.64 s has processed 3 records", () => {
    // crash − start − 3 s ∈ (6.5, 7.5] s: floor(/ 2 s) = 3 (without the per-batch time first it would be 5).
    const r = crashAt("16.64s", { perRecord: "2s", perBatch: "3s" });
    expect(r.consumers[0]!.accounting).toMatchObject({ accepted: 10, processed: 10, balanced: true });
    expect(r.consumers[0]!.reprocessed).toBe(3);
  });

  it("a crash after the batch was processed (20 s from start, done by 26.14 s) processes all 10 again", () => {
    const r = crashAt("27s", { perRecord: "2s" });
    expect(r.consumers[0]!.accounting).toMatchObject({ accepted: 10, processed: 10, balanced: true });
    expect(r.consumers[0]!.reprocessed).toBe(10);
  });
});
