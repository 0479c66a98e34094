// The Firehose Lambda transformation's limits, against hand counts (helper-82's review, finding 1): with a Kinesis
// stream as source, at most 5 outstanding invocations per shard (Firehose guide, limits.md), the shards open at each
// moment: they change when the stream reshards, not every shard the run might ever create.
import { describe, expect, it } from "vitest";
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

describe("a stream-sourced transformation's concurrency: 5 per open shard of its source", () => {
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
      `Its concurrency followed the source stream's open shards (5 outstanding invocations per shard): 5 from the start, 10 from ${clock(split!.doneAtUs)}, 5 from ${clock(merge!.doneAtUs)}.`,
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

  it("on-demand: the service's split of 4 shards into 8 raises the limit from 20 to 40 when it completes", () => {
    const { r, f, v } = slowLambda({ stream: { mode: "on-demand", shards: 4 }, rate: "3200/s", duration: "20m" });
    const split = r.streams[0]!.reshards[0]!;
    expect(split.kind).toBe("on-demand-split");
    expect(split.openAfter).toBe(8);
    expect(split.doneAtUs).toBeLessThan(20 * 60e6);
    const t = f.transform!;
    expect(t.concurrencySteps).toEqual([
      { atUs: 0, concurrency: 20 },
      { atUs: split.doneAtUs, concurrency: 40 },
    ]);
    expect(t.maxRunning).toBe(40);
    // Its backlog holds it back; the verdict gives the limit as it was, not the most alone.
    expect(v.bottleneck).toBe("transformation");
    expect(v.explanation).toContain("held back by its Lambda transformation: 20 to 40 invocations at once (its concurrency, 5 per open shard of the source stream as it resharded)");
  });

  it("a concurrency the scenario sets holds through a reshard", () => {
    const { f } = slowLambda({ stream: { shards: 1 }, rate: "800/s", reshards: [{ at: "1m", kind: "update-shard-count", target: 2 }], transform: { concurrency: 3 } });
    expect(f.transform!.concurrencySteps).toEqual([{ atUs: 0, concurrency: 3 }]);
    expect(f.transform!.maxRunning).toBe(3);
  });
});
