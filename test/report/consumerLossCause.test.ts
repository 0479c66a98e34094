// helper-43's counterfactual review of the causes of a consumer's missed loss and lag SLOs. A missed consumerLostPercent
// named the consumer's bottleneck whenever it had one, and never the records it lost: a consumer held back by its
// function's duration that discarded a poison record's batches lost more with a faster function. The cause now lists
// the losses by reason, with the bottleneck besides. A Lambda error burst that set a lag's peak was counted twice:
// "after the burst; besides, N invocations failed", where every failure was the burst's.
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

/** 1,000 records/s of 1 KiB over 2 shards, one consumer, the SLOs given. */
const run = (consumer: Record<string, unknown>, slo: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const r = simulateScenario(
    scenarioOf({
      name: "loss",
      seed: 3,
      duration: "6m",
      warmup: "1m",
      stream: { name: "s", shards: 2 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
      consumers: [consumer],
      slo,
      ...extra,
    }),
  );
  const v = verdictOf(r);
  return { r, v, slo: (name: string) => v.slos.find((s) => s.name === name)! };
};

const lambda = (perRecord: string, poisonRecords: number) => ({
  name: "f",
  kind: "lambda",
  startingPosition: "LATEST",
  maximumRetryAttempts: 0,
  function: { duration: { perInvocation: "10ms", perRecord }, errors: { poisonRecords } },
});

describe("a missed consumerLostPercent", () => {
  it("a slow function discarding a poison record's batches: the discards, with its bottleneck besides", () => {
    const { r, v, slo } = run(lambda("3ms", 0.0005), { consumerLostPercent: 0.5 });
    expect(v.consumers[0]!.bottleneck).toBe("function duration");
    const s = slo("consumerLostPercent");
    expect(s.met).toBe(false);
    // 11,400 discarded in the whole run, 8,400 of them records that arrived after the 1-minute warmup (what the share counts).
    expect(r.consumers[0]!.accounting.discarded).toBe(11_400);
    expect(s.cause).toMatchObject({ kind: "consumerLost", reasons: { discarded: 8_400, skippedByAge: 0, skipped: 0, expiredUnread: 0 }, bottleneck: "function duration" });
    expect(s.why).toBe("records that arrived after warmup went unprocessed: 8,400 discarded after failing (no on-failure destination); besides, it is held back by function duration");
    // Counterfactuals: without the poison nothing is lost; a faster function loses more (it reaches more poison).
    expect(run(lambda("3ms", 0), { consumerLostPercent: 0.5 }).slo("consumerLostPercent").met).toBe(true);
    expect(run(lambda("1ms", 0.0005), { consumerLostPercent: 0.5 }).v.consumers[0]!.lostPercent).toBeGreaterThan(v.consumers[0]!.lostPercent);
  });

  it("a KCL application crashing without checkpoints: the records skipped at the lease change", () => {
    const kcl = (checkpoint?: string) => ({ name: "k", kind: "kcl", workers: 2, processing: { perRecord: "3ms" }, ...(checkpoint ? { checkpoint: { every: checkpoint } } : {}) });
    const crash = { faults: [{ at: "3m", kind: "worker-crash", consumer: "k", workers: 1 }] };
    const { slo } = run(kcl(), { consumerLostPercent: 0.5 }, crash);
    const s = slo("consumerLostPercent");
    expect(s.met).toBe(false);
    expect(s.cause).toMatchObject({ kind: "consumerLost", bottleneck: "processing" });
    expect(s.why).toMatch(/^records that arrived after warmup went unprocessed: [\d,]+ skipped at a lease change; besides, it is held back by processing$/);
    // Counterfactual: checkpoints every 5 s lose nothing.
    expect(run(kcl("5s"), { consumerLostPercent: 0.5 }, crash).slo("consumerLostPercent").met).toBe(true);
  });

  it("records older than the maximum record age: they aged out behind its bottleneck, which the sentence explains", () => {
    const { v, slo } = run({ ...lambda("1ms", 0.0005), maximumRetryAttempts: -1, maximumRecordAge: "60s" }, { consumerLostPercent: 0.1 });
    const s = slo("consumerLostPercent");
    expect(s.met).toBe(false);
    expect(s.cause).toMatchObject({ kind: "consumerLost", reasons: { skippedByAge: expect.any(Number) as number }, bottleneck: v.consumers[0]!.bottleneck });
    expect(s.why).toMatch(/ skipped for being older than the maximum record age \(no on-failure destination\); those that aged out did behind its bottleneck: Lambda consumer f: /);
  });
});

describe("a Lambda consumer's lag peak after a function error burst", () => {
  const fn = (parallelization = 1) => ({ name: "f", kind: "lambda", startingPosition: "LATEST", parallelization, function: { duration: { perInvocation: "10ms", perRecord: "1ms" } } });
  const burst = { duration: "8m", faults: [{ at: "3m", kind: "function-errors", consumer: "f", for: "60s", share: 0.9 }] };

  it("names the burst alone when its failures are all the run's: no steady 'function errors' besides", () => {
    const { r, slo } = run(fn(), { maxOldestUnprocessedAge: "30s", endToEndP99: "5s" }, burst);
    const s = slo("maxOldestUnprocessedAge");
    expect(s.met).toBe(false);
    expect(s.cause).toMatchObject({ kind: "consumer", bottleneck: "function errors", fault: { kind: "function-errors" } });
    const effect = r.faults[0]!.effect!;
    expect(effect.kind === "errors" && effect.errors).toBe(r.consumers[0]!.lambda!.errors);
    expect(s.why).toMatch(/^its lag peaked at 0:04:0\d, after the function error burst of f at 0:03:00 for 60 s: [\d,]+ invocations failed and the oldest unprocessed record reached [\d.]+ s \([\d.]+ m?s just before\); back to normal by [\d:]+$/);
    // Counterfactual: without the burst it is met.
    expect(run(fn(), { maxOldestUnprocessedAge: "30s" }, { duration: "8m" }).slo("maxOldestUnprocessedAge").met).toBe(true);
    // A Lambda consumer's time after a read is its function's, not a record processor's.
    expect(slo("endToEndP99").why).toContain("after it was read: the batching window, waiting for its shard's lane, the invocations and their retries");
    expect(slo("endToEndP99").why).not.toContain("record processor");
  });
});

describe("a Lambda consumer's lag set by its batching window (helper-43)", () => {
  // 100 records/s over 4 shards: a batch of up to 10,000 records never fills, so each shard's batch goes when the 30 s
  // window ends. 30% of invocations fail at random and are retried. The lag SLO (20 s) was blamed on the errors.
  const fn = (batchingWindow: string, share: number) => ({
    name: "f",
    kind: "lambda",
    startingPosition: "LATEST",
    batchSize: 10_000,
    batchingWindow,
    function: { duration: { perInvocation: "10ms", perRecord: "0.1ms" }, errors: { share } },
  });
  const lag = (batchingWindow: string, share: number) =>
    run(fn(batchingWindow, share), { maxOldestUnprocessedAge: "20s" }, {
      stream: { name: "s", shards: 4 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "100/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
    }).slo("maxOldestUnprocessedAge");

  it("names the window first, the errors besides; without the window it is met, without the errors not", () => {
    const s = lag("30s", 0.3);
    expect(s.met).toBe(false);
    expect(s.cause).toMatchObject({ kind: "consumer", bottleneck: "function errors", batchingWindowUs: 30_000_000 });
    expect(s.why).toMatch(/^Lambda consumer f's batching window \(MaximumBatchingWindowInSeconds 30 s\) holds each shard's records until a batch fills \(BatchSize 10,000\) or the window ends: its records wait about that long by design; besides, Lambda consumer f: /);
    const noErrors = lag("30s", 0);
    expect(noErrors.met).toBe(false);
    expect(noErrors.cause).toMatchObject({ bottleneck: "none", batchingWindowUs: 30_000_000 });
    expect(lag("0s", 0.3).met).toBe(true);
  });
});
