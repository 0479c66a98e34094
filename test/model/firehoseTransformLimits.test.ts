// The Firehose Lambda transformation's limits, against hand counts (helper-82's review, findings 1 and 3):
// - with a Kinesis stream as source, at most 5 outstanding invocations per shard (Firehose guide, limits.md), the shards
//   the delivery stream reads at each moment: they change when the stream reshards and when a closed parent has been
//   read to its end (its children wait for it), not every shard the run might ever create;
// - the 6 MB synchronous payload limit "for both the request and the response" (data-transformation.html), with each
//   record's data base64-encoded (data-transformation-status-model.html): 6 MiB (LAMBDA_SYNC_PAYLOAD_MAX_BYTES) against
//   4 × ceil(n / 3) of the buffered bytes and of the response's (× sizeFactor). Past it an invocation fails: retried
//   NumberOfRetries times, then its records go to processing-failed/.
import { describe, expect, it } from "vitest";
import { LAMBDA_SYNC_PAYLOAD_MAX_BYTES } from "../../src/aws/limits.js";
import { base64Bytes, payloadTooLarge } from "../../src/model/firehose/transform.js";
import { clock } from "../../src/report/format.js";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { PROVENANCE } from "../report/runResultFixture.js";
import { scenarioOf } from "./scenarioOf.js";

const KiB = 1_024;

/**
 * 1 KiB records at `rate` into `stream`, read by a delivery stream whose transformation cuts 1 MB invocations of
 * 100 ms + 7 s per MB = 7.1 s each: k invocations at once transform at most k × 1,000,000 B ÷ 7.1 s ÷ 1,024 B records/s
 * (687.7 for k = 5, 2,750.9 for k = 20), under the 800 records/s a shard is offered.
 */
function slowLambda(o: { stream: Record<string, unknown>; rate: string; duration?: string; reshards?: unknown[]; transform?: Record<string, unknown> }) {
  const r = simulateScenario(
    scenarioOf({
      seed: 7,
      duration: o.duration ?? "10m",
      warmup: "2m",
      stream: { name: "clicks", ...o.stream },
      producers: [
        { name: "web", client: "sdk", instances: 2, rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } },
      ],
      firehose: [
        {
          name: "archive",
          source: "clicks",
          buffer: { size: "5MiB", interval: "60s" },
          transform: { buffer: { size: "1MB", interval: "60s" }, duration: { perInvocation: "100ms", perMB: "7s" }, ...o.transform },
          destination: { kind: "s3" },
        },
      ],
      reshards: o.reshards ?? [],
    }),
  );
  return { r, f: r.firehose[0]!, v: verdictOf(r).firehose[0]! };
}

/** Records a second k invocations at once of 1 MB of 1 KiB records, 7.1 s each, transform. */
const capacity = (k: number) => (k * 1_000_000) / 7.1 / KiB;

describe("a stream-sourced transformation's concurrency: 5 per shard it reads of its source", () => {
  it("a split that completes after the run leaves 1 shard open: 5 at once, held back at 5 × 1 MB ÷ 7.1 s ≈ 688 of 800 records/s", () => {
    // UpdateShardCount 1 → 2 at 9 min takes longer than the minute left: the run sizes the stream for 3 shards (the
    // parent and its two children), and 5 × 3 = 15 at once kept up with the 800 records/s.
    const { r, f, v } = slowLambda({ stream: { shards: 1 }, rate: "800/s", reshards: [{ at: "9m", kind: "update-shard-count", target: 2 }] });
    expect(r.streams[0]!.reshards[0]!.doneAtUs).toBeGreaterThan(10 * 60e6);
    const t = f.transform!;
    expect(t.concurrency).toBe(5);
    expect(t.concurrencySteps).toEqual([{ atUs: 0, concurrency: 5 }]);
    expect(t.maxRunning).toBe(5);
    expect(v.bottleneck).toBe("transformation");
    expect(v.deliveredRecordsPerSecond / capacity(5)).toBeCloseTo(1, 1.7); // within 1%
    expect(v.explanation).toContain("held back by its Lambda transformation: 5 invocations at once (its concurrency)");
    // The reports give the one limit, with no steps.
    expect(buildReportMarkdown(r, PROVENANCE)).toContain("| 7.1 s | 5 of 5 |");
    expect(buildReportJson(r, PROVENANCE).firehose[0]!.transform).not.toHaveProperty("concurrencySteps");
  });

  it("the limit changes when a reshard completes: 5 on 1 shard, 10 once a split opens 2, 5 again once they merge", () => {
    // The reshards complete at whole seconds, when the reader polls each shard (once a second, from 0): its poll then
    // reads the closed parents to their ends at once, so the limit moves at the completion itself.
    const { r, f } = slowLambda({
      stream: { shards: 1 },
      rate: "800/s",
      reshards: [
        { at: "1m", kind: "update-shard-count", target: 2 },
        { at: "6m", kind: "update-shard-count", target: 1 },
      ],
    });
    const [split, merge] = r.streams[0]!.reshards;
    expect(merge!.doneAtUs).toBeLessThan(10 * 60e6);
    const t = f.transform!;
    expect(t.concurrencySteps).toEqual([
      { atUs: 0, concurrency: 5 },
      { atUs: split!.doneAtUs, concurrency: 10 },
      { atUs: merge!.doneAtUs, concurrency: 5 },
    ]);
    // The backlog 5 at once left (800 in, ≈ 688 out) drains with all 10 running once the split completes; never more.
    expect(t.concurrency).toBe(10);
    expect(t.maxRunning).toBe(10);
    // report.md: the most in force, and when each limit held; report.json: the steps.
    const md = buildReportMarkdown(r, PROVENANCE);
    expect(md).toContain("| 7.1 s | 10 of at most 10 |");
    expect(md).toContain(
      `Its concurrency followed the shards it read of the source stream (5 outstanding invocations per shard; a closed parent counts until read to its end, its children from then): 5 from the start, 10 from ${clock(split!.doneAtUs)}, 5 from ${clock(merge!.doneAtUs)}.`,
    );
    expect(buildReportJson(r, PROVENANCE).firehose[0]!.transform!.concurrencySteps).toEqual([
      { atSeconds: 0, concurrency: 5 },
      { atSeconds: split!.doneAtUs / 1e6, concurrency: 10 },
      { atSeconds: merge!.doneAtUs / 1e6, concurrency: 5 },
    ]);
  });

  it("on-demand with 4 shards open: 20 at once (not 5 × every shard an on-demand run may create), held back at ≈ 2,751 of 3,200 records/s", () => {
    // The service splits the 4 shards (called at 1 min), but the split completes only after the 10 minutes.
    const { r, f, v } = slowLambda({ stream: { mode: "on-demand", shards: 4 }, rate: "3200/s" });
    expect(r.streams[0]!.reshards.every((x) => x.doneAtUs > 10 * 60e6)).toBe(true);
    const t = f.transform!;
    expect(t.concurrency).toBe(20);
    expect(t.concurrencySteps).toEqual([{ atUs: 0, concurrency: 20 }]);
    expect(t.maxRunning).toBe(20);
    expect(v.bottleneck).toBe("transformation");
    expect(v.deliveredRecordsPerSecond / capacity(20)).toBeCloseTo(1, 1.7);
  });

  it("on-demand: the service's split of 4 shards into 8 raises the limit from 20 to 40 as each parent is read to its end", () => {
    // The reader polls shard k of the 4 at k × 250 ms past each second. The split completes at 15 min (900 s, a poll of
    // shard 0), each parent holding the records written since its last poll: each is read to its end at its first poll
    // from then, 900 s + k × 250 ms, and its two children are read from then: 20 → 25 → 30 → 35 → 40.
    const { r, f, v } = slowLambda({ stream: { mode: "on-demand", shards: 4 }, rate: "3200/s", duration: "20m" });
    const split = r.streams[0]!.reshards[0]!;
    expect(split.kind).toBe("on-demand-split");
    expect(split.openAfter).toBe(8);
    expect(split.doneAtUs).toBeLessThan(20 * 60e6);
    const t = f.transform!;
    expect(split.doneAtUs).toBe(900_000_000);
    expect(t.concurrencySteps).toEqual([
      { atUs: 0, concurrency: 20 },
      { atUs: 900_000_000, concurrency: 25 },
      { atUs: 900_250_000, concurrency: 30 },
      { atUs: 900_500_000, concurrency: 35 },
      { atUs: 900_750_000, concurrency: 40 },
    ]);
    expect(t.maxRunning).toBe(40);
    // Its backlog holds it back; the verdict gives the limit as it was, not the most alone.
    expect(v.bottleneck).toBe("transformation");
    expect(v.explanation).toContain("held back by its Lambda transformation: 20 to 40 invocations at once (its concurrency, 5 per shard read of the source stream as it resharded)");
  });

  it("a split's parent still being read at the end: its delivery stream keeps 5 at once, its children waiting for it; one done with it has 10", () => {
    // Three delivery streams (a, b, c) read one shard, 900 records/s of 1 KiB (0.88 MiB/s) each: 2.64 MiB/s against the
    // shard's 2 MiB/s of reads, so calls are refused and they fall behind. UpdateShardCount to 2 at 2 min completes at
    // 4 min: the parent holds the 900 × 240 = 216,000 records written before. A delivery stream that has read more than
    // that by the end was done with the parent and reads the children: 10 from then. One that has read fewer is still
    // reading the parent, whose children wait for it, so it reads 1 shard: 5 throughout (before b1bdd47, 10 from 240 s,
    // the open shards'). Their polls interleave within the second and they take turns in the places, so the refusals
    // fall on the three alike (before 6d8215c, all polling at the same instants, a and b were never refused and c 228
    // times) and they read alike: at 5 min none is done with the parent, at 6 min all are. (Before they took turns, one
    // that read a full 10 MiB polled again in its own place just as the 5 s of refusals it caused ran out, and so read
    // again while it was behind: a was done with the parent at 282 s, b and c not by 5 min.)
    const fh = (name: string) => ({ name, source: "clicks", buffer: { size: "64MiB", interval: "60s" }, transform: { buffer: { size: "1MB", interval: "60s" } }, destination: { kind: "s3" } });
    const runFor = (duration: string) =>
      simulateScenario(
        scenarioOf({
          seed: 7,
          duration,
          warmup: "1m",
          stream: { name: "clicks", shards: 1 },
          producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "900/s" }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } }],
          firehose: [fh("a"), fh("b"), fh("c")],
          reshards: [{ at: "2m", kind: "update-shard-count", target: 2 }],
        }),
      );
    const r = runFor("5m");
    expect(r.streams[0]!.reshards[0]!.doneAtUs).toBe(240_000_000);
    const refused = r.firehose.map((f) => f.sourceRead!.throttledCalls);
    const mean = (refused[0]! + refused[1]! + refused[2]!) / 3;
    for (const n of refused) expect(Math.abs(n / mean - 1)).toBeLessThan(0.05);
    for (const f of r.firehose) {
      expect(f.sourceRead!.read).toBeLessThan(216_000);
      expect(f.transform!.concurrencySteps).toEqual([{ atUs: 0, concurrency: 5 }]);
    }
    for (const f of runFor("6m").firehose) {
      expect(f.sourceRead!.read).toBeGreaterThan(216_000);
      const steps = f.transform!.concurrencySteps;
      expect(steps).toHaveLength(2);
      expect(steps[0]).toEqual({ atUs: 0, concurrency: 5 });
      expect(steps[1]!.concurrency).toBe(10);
      expect(steps[1]!.atUs).toBeGreaterThanOrEqual(240_000_000);
    }
    const t = r.firehose[2]!.transform!;
    expect(t.concurrency).toBe(5);
    // Its reads come in bursts (a call after refused ones brings up to 10 MiB): the limit binds.
    expect(t.maxRunning).toBe(5);
    // report.md: "N of M" with the one limit, no steps.
    const md = buildReportMarkdown(r, PROVENANCE);
    const section = md.slice(md.indexOf("#### c: Lambda transformation"));
    expect(section).toMatch(/^#### c: Lambda transformation \(whole run\)\n\n(.*\n){2}\|.*\| 5 of 5 \|\n/);
    expect(buildReportJson(r, PROVENANCE).firehose[2]!.transform).not.toHaveProperty("concurrencySteps");
  });

  it("a concurrency the scenario sets holds through a reshard", () => {
    const { f } = slowLambda({ stream: { shards: 1 }, rate: "800/s", reshards: [{ at: "1m", kind: "update-shard-count", target: 2 }], transform: { concurrency: 3 } });
    expect(f.transform!.concurrencySteps).toEqual([{ atUs: 0, concurrency: 3 }]);
    expect(f.transform!.maxRunning).toBe(3);
  });
});

describe("the 6 MB payload limit counts base64: 4 × ceil(n / 3) bytes of the request's and the response's record data", () => {
  it("base64 of n bytes is 4 × ceil(n / 3)", () => {
    expect(base64Bytes(0)).toBe(0);
    expect(base64Bytes(1)).toBe(4);
    expect(base64Bytes(3)).toBe(4);
    expect(base64Bytes(1_024)).toBe(1_368);
    expect(base64Bytes(3_000_000)).toBe(4_000_000);
  });

  it("a 3 MB buffer answered 1.8 times larger is 7.2 MB in base64, over 6 MiB; the threshold is 6 MiB × 3/4 ÷ 3 MB ≈ 1.573 (≈ 4.719 at 1 MB)", () => {
    expect(LAMBDA_SYNC_PAYLOAD_MAX_BYTES).toBe(6_291_456);
    expect(payloadTooLarge(3_000_000, 1.8)).toBe(true);
    // 4,718,592 B (6 MiB × 3/4) is exactly 6 MiB in base64: allowed; one group more is not.
    expect(payloadTooLarge(3_000_000, 1.57)).toBe(false);
    expect(payloadTooLarge(3_000_000, 1.573)).toBe(true);
    expect(payloadTooLarge(1_000_000, 4.71)).toBe(false);
    expect(payloadTooLarge(1_000_000, 4.72)).toBe(true);
    expect(payloadTooLarge(4_718_592, 1)).toBe(false);
    // The request counts too: 4,718,593 B of records is over 6 MiB in base64, however small the answer.
    expect(payloadTooLarge(4_718_593, 0.5)).toBe(true);
  });

  /** helper-82's payload.yaml: 2 shards, 1,200 records/s of 1 KiB, the largest transformation buffer (3 MB). */
  const payload = (sizeFactor: number) =>
    simulateScenario(
      scenarioOf({
        seed: 7,
        duration: "5m",
        warmup: "1m",
        stream: { name: "clicks", shards: 2 },
        producers: [
          { name: "web", client: "sdk", instances: 4, rate: { shape: "poisson", value: "1200/s" }, recordSize: { dist: "fixed", size: "1KiB" }, partitionKey: { kind: "random", length: 36 } },
        ],
        firehose: [{ name: "archive", source: "clicks", buffer: { size: "64MiB", interval: "60s" }, transform: { buffer: { size: "3MB", interval: "60s" }, sizeFactor }, destination: { kind: "s3" } }],
      }),
    ).firehose[0]!;

  it("sizeFactor 1.8 at a 3 MB buffer fails every invocation: each batch is tried 1 + 3 times, then all its records go to processing-failed/", () => {
    const f = payload(1.8);
    const t = f.transform!;
    expect(t.ok).toBe(0);
    expect(t.failedBatches).toBeGreaterThan(100);
    // Every invocation failed but those still running at the end; each failed batch took 4 attempts.
    expect(t.invocations - t.failedInvocations).toBeLessThanOrEqual(t.concurrency);
    expect(t.failedInvocations).toBeGreaterThanOrEqual(4 * t.failedBatches);
    expect(t.failedInvocations).toBeLessThan(4 * t.failedBatches + 4);
    expect(f.accounting.processingFailed).toBe(t.failedBatchRecords);
    expect(f.delivered.records).toBe(0);
    expect(f.accounting.balanced).toBe(true);
  });

  it("sizeFactor 1.5, under the threshold, fails none", () => {
    const t = payload(1.5).transform!;
    expect(t.failedInvocations).toBe(0);
    expect(t.ok).toBeGreaterThan(300_000);
  });
});
