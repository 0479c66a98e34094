// How a KCL application's record processors spend their time, per shard, over the last quarter after warmup
// (KclState.processorTime): checked against closed forms and against the sink's own measure of the same waits.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { producerPerShard, scenarioOf } from "./scenarioOf.js";

const run = (input: Record<string, unknown>) => simulateScenario(scenarioOf({ seed: 7, duration: "8m", warmup: "1m", ...input }));

/** Shard `s`'s shares of the measured window (the last quarter after warmup; every shard is open throughout). */
function shares(r: ReturnType<typeof run>, s: number) {
  const c = r.consumers[0]!;
  const pt = c.processorTime!;
  const span = r.durationUs - pt.fromUs;
  return { processing: pt.processing[s]! / span, held: pt.held[s]! / span, queued: pt.queued[s]! / span, room: pt.room[s]! / span };
}

describe("record processors' time per shard", () => {
  it("measures the last quarter after warmup", () => {
    const r = run({ stream: { name: "s", shards: 1 }, producers: producerPerShard(1, 100), consumers: [{ name: "k", kind: "kcl", workers: 1 }] });
    // 8 min with a 1 min warmup: the last quarter of 7 min starts at 6 min 15 s.
    expect(r.consumers[0]!.processorTime!.fromUs).toBe(375_000_000);
  });

  it("processing: records a second × perRecord of each second, nothing queued, no room waited for while it keeps up", () => {
    // 400 records/s at exactly 1 ms a record: 40% of the time processing (batches of about 400 a second; perBatch 0).
    const r = run({
      stream: { name: "s", shards: 1 },
      producers: producerPerShard(1, 400),
      consumers: [{ name: "k", kind: "kcl", workers: 1, processing: { perRecord: "1ms", variability: 0 } }],
    });
    const s = shares(r, 0);
    expect(s.processing).toBeGreaterThan(0.39);
    expect(s.processing).toBeLessThan(0.41);
    expect(s.held).toBe(0);
    expect(s.queued).toBe(0);
    expect(s.room).toBe(0);
  });

  it("queued: one slot for two busy shards, each shard's processor waits while the other's batch runs", () => {
    // Concurrency 1 for 2 shards of 600 records/s at 1 ms a record: 1.2 s of work a second for one slot. It falls behind;
    // the slot is never idle, so the two shards' processing adds up to all the time, and each shard's processor, its
    // cache never empty, waits for the slot while the other's batch runs: about half the time each.
    const r = run({
      stream: { name: "s", shards: 2 },
      producers: producerPerShard(2, 600),
      consumers: [{ name: "k", kind: "kcl", workers: 1, processing: { perRecord: "1ms", variability: 0, concurrency: 1 } }],
    });
    const [a, b] = [shares(r, 0), shares(r, 1)];
    expect(a.processing + b.processing).toBeGreaterThan(0.99);
    expect(a.processing + b.processing).toBeLessThanOrEqual(1.000001);
    for (const s of [a, b]) {
      expect(s.queued).toBeGreaterThan(0.4);
      expect(s.processing + s.queued).toBeGreaterThan(0.99);
      expect(s.room).toBeGreaterThan(0.5); // its reader waits for room in the cache: processing is the slower side
    }
  });

  it("held: one shard's flush waits are the sink's own waits, and a slow sink makes the reader wait for room", () => {
    // One shard, 900 records/s of 1,000 B to a table with 40 ms writes: it falls behind on its sink.
    const r = run({
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: "900/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
      consumers: [{ name: "k", kind: "kcl", workers: 1, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "lognormal", median: "40ms", p99: "48ms" } } }],
    });
    const s = shares(r, 0);
    const sink = r.sinks[0]!;
    // The sink's wait share is over all the time after warmup, the processor's over its last quarter: in steady state
    // (a constant rate, falling behind throughout) the two agree closely.
    expect(s.held).toBeGreaterThan(0.5);
    expect(Math.abs(s.held - sink.afterWarmup.waitShare)).toBeLessThan(0.03);
    expect(s.room).toBeGreaterThan(0.5);
  });
});
