// A shard's two write buckets (records, bytes) share one throttled series: a bucket drawn low by one limit is not the
// one that ran out when the other limit refuses the writes. One shard, stream.writeBurst 60 s: its buckets hold
// 60,000 records and 60 MiB = 62,914,560 B when full (1,000 records/s and 1 MiB/s × 60 s).
// - 0:00–2:00: 1,460 records/s of 100 B (+ a 36-character key: 136 B, 198,560 B/s, far under 1 MiB/s). The records
//   bucket falls 460 a second: 60,000 − 120 × 460 = 4,800 at 2:00, 8% of it full, under its empty threshold
//   (10% full, 6,000). The byte bucket stays full.
// - from 2:00: 990 records/s of 2 KiB (+ 36 B key: 2,084 B, 2,063,160 B/s). The records bucket gains 10 a second
//   (5,400 at 3:00, still under 6,000); the byte bucket falls 2,063,160 − 1,048,576 = 1,014,584 B a second and runs
//   out 62,914,560 ÷ 1,014,584 = 62.0 s later, at about 3:02. From then the byte limit refuses writes (the shard takes
//   1 MiB/s, 503 records/s of 2,084 B), and the records bucket refills.
// The bucket that ran out is the byte bucket, at about 3:02, drawn about 1,014,584 B/s over the limit since 2:00
// (Poisson arrivals: the run took 60,067 records in 2:00–3:00, 1,001 a second, 1,037,751 B/s over, and ran out at
// 3:00). Before, the first throttled step found the records bucket under 6,000 (4,843 at 2:00) and blamed it:
// limit "records", 60,000 when full, drawn since 0:00, 306.8 records/s over, ran out at 3:00.
import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const S = 1_000_000;

const r = simulateScenario(
  scenarioOf({
    duration: "4m",
    warmup: "1m",
    stream: { shards: 1, writeBurst: "60s" },
    producers: [
      {
        name: "small",
        client: "sdk",
        instances: 4,
        rate: { shape: "step", levels: [{ at: "0s", value: "1460/s" }, { at: "2m", value: "0/s" }] },
        recordSize: { dist: "fixed", size: "100B" },
        partitionKey: { kind: "random", length: 36 },
      },
      {
        name: "large",
        client: "sdk",
        instances: 4,
        rate: { shape: "step", levels: [{ at: "0s", value: "0/s" }, { at: "2m", value: "990/s" }] },
        recordSize: { dist: "fixed", size: "2KiB" },
        partitionKey: { kind: "random", length: 36 },
      },
    ],
  }),
);
const s = r.streams[0]!;

describe("a shard whose records bucket is drawn low while its byte limit throttles", () => {
  it("is throttled by bytes alone: the records limit refused nothing", () => {
    expect(s.shards[0]!.throttledByByteLimit).toBeGreaterThan(0);
    expect(s.shards[0]!.throttledByRecordLimit).toBe(0);
  });

  it("ran out of its byte bucket at about 3:02 (62 s after 2:00, within 3 s), not its records bucket", () => {
    const d = s.writeBurst!;
    expect(d).toHaveLength(1);
    expect(d[0]!.limit).toBe("bytes");
    expect(d[0]!.fullUnits).toBe(62_914_560);
    expect(d[0]!.fromUs).toBe(120 * S);
    expect(Math.abs(d[0]!.ranOutAtUs! / S - 182)).toBeLessThanOrEqual(3);
    expect(Math.abs(d[0]!.overPerSecond - 1_014_584) / 1_014_584).toBeLessThan(0.03);
  });
});
