// The verdict on polling consumers throttled by a shard's shared read limits says which way it was true of the run:
// they needed more than the limit (their reads reach it on average), or their reads fit under it on average and
// were refused in bursts (API Reference GetRecords: 2 MiB/s and 5 calls/s per shard, shared by every polling
// consumer; a call that returns 10 MiB blocks the shard's calls for the next 5 s). Each case is built to have that
// one cause, with its expected read rate worked out from the writes.
import { describe, expect, it } from "vitest";
import { SHARD_READ_BYTES_PER_SECOND } from "../../src/aws/limits.js";
import { READ_BYTES_AT_LIMIT } from "../../src/result/judge.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const MiB = 1024 * 1024;
/** 1 KiB records with 36-character keys: 1,060 bytes each against the read limits (data and partition key). */
const RECORD_BYTES = 1024 + 36;

function producers(recordsPerSecond: number) {
  return [
    {
      name: "fleet",
      client: "sdk",
      instances: 2,
      rate: { shape: "poisson", value: `${recordsPerSecond}/s` },
      recordSize: { dist: "fixed", size: "1KiB" },
      partitionKey: { kind: "random", length: 36 },
    },
  ];
}

/** 10 minutes (2 of warmup) of one shard, "orders", written at 750 records/s, read by `readers`. */
const oneShard = (readers: Record<string, unknown>) =>
  simulateScenario(scenarioOf({ duration: "10m", warmup: "2m", stream: { name: "orders", shards: 1 }, producers: producers(750), ...readers }));

const kcl = (name: string) => ({ name, kind: "kcl", workers: 1, checkpoint: { every: "30s" }, processing: { perRecord: "0.01ms" } });

describe("polling consumers throttled by a shard's shared 2 MiB/s", () => {
  it("a KCL application and a Firehose delivery stream reading one shard written at 750 records/s read ~1.52 MiB/s: under the limit, refused while large calls' overdrafts were repaid", () => {
    // Both read everything the shard takes: 2 × 750 × 1,060 B/s = 1.52 MiB/s, under 2 MiB/s. The KCL's call after
    // 1.5 s idle returns ~1.1 MiB at once; with the delivery stream's calls between, such calls overdraw the budget,
    // and a refused reader's next call is larger still.
    const r = oneShard({ consumers: [kcl("app")], firehose: [{ name: "archive", source: "orders", buffer: { size: "128MiB", interval: "300s" }, destination: { kind: "s3" } }] });
    const expected = 2 * 750 * RECORD_BYTES;
    const c = verdictOf(r).consumers.find((x) => x.name === "app")!;
    expect(c.bottleneck).toBe("shard read bytes");
    expect(c.readThrottledPercent).toBeGreaterThan(1);
    expect(c.reads!.bytesPerSecond).toBeGreaterThan(0.95 * expected);
    expect(c.reads!.bytesPerSecond).toBeLessThan(1.05 * expected);
    expect(c.reads!.bytesPerSecond).toBeLessThan(READ_BYTES_AT_LIMIT);
    expect(c.reads!.atLimit).toBe(false);
    expect(c.explanation).toContain("from the busiest shard on average, under its shared 2 MiB/s; calls were refused while their shard's byte budget was overdrawn");
    expect(c.explanation).not.toContain("need more");
  });

  it("three KCL applications reading one shard written at 750 records/s need 2.27 MiB/s: they read at the limit, and the verdict says they need more", () => {
    // Demand 3 × 750 × 1,060 B/s = 2.27 MiB/s, over 2 MiB/s: the shard's budget caps what they read together.
    const r = oneShard({ consumers: [kcl("a"), kcl("b"), kcl("c")] });
    expect(3 * 750 * RECORD_BYTES).toBeGreaterThan(SHARD_READ_BYTES_PER_SECOND);
    for (const c of verdictOf(r).consumers) {
      expect(c.bottleneck).toBe("shard read bytes");
      expect(c.reads!.bytesPerSecond).toBeGreaterThanOrEqual(READ_BYTES_AT_LIMIT);
      // A call may overdraw the budget, but the debt is repaid: on average no more than 2 MiB/s (and its 1 s burst) is read.
      expect(c.reads!.bytesPerSecond).toBeLessThanOrEqual(SHARD_READ_BYTES_PER_SECOND * (1 + 1 / 480) + 10 * MiB / 480);
      expect(c.reads!.atLimit).toBe(true);
      expect(c.explanation).toContain("at its shared 2 MiB/s: they need more than it.");
    }
  });
});

describe("polling consumers throttled by a shard's shared 5 calls/s", () => {
  it("a Flink job polling every 200 ms and a KCL application share one shard: 5.66 calls/s asked, and the verdict says so", () => {
    // FlinkKinesisConsumer's 200 ms loop asks 5 calls/s; the KCL 1 / (1.5 s + 20 ms) more: 5.66 calls/s, over 5.
    const r = simulateScenario(
      scenarioOf({
        duration: "6m",
        warmup: "1m",
        stream: { name: "orders", shards: 1 },
        producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "poisson", value: "200/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        consumers: [
          { name: "job", kind: "flink", poll: { latency: { dist: "fixed", value: "20ms" } } },
          { name: "kcl", kind: "kcl", poll: { latency: { dist: "fixed", value: "20ms" } } },
        ],
      }),
    );
    const throttled = verdictOf(r).consumers.filter((c) => c.bottleneck === "shard read calls");
    expect(throttled.length).toBeGreaterThan(0);
    for (const c of throttled) {
      // Every call is counted, the refused ones too: at least the 5.66 a second asked.
      expect(c.reads!.callsPerSecond).toBeGreaterThanOrEqual(5 + 1 / 1.52 - 0.05);
      expect(c.reads!.atLimit).toBe(true);
      expect(c.explanation).toContain(`call the busiest shard ${c.reads!.callsPerSecond.toFixed(2)} times a second (refused calls included), at or over its shared 5 calls/s.`);
    }
  });
});
