// Monthly cost against hand-computed bills at the prices of src/aws/prices.ts (listed with their sources in docs/limits.md).
import { describe, expect, it } from "vitest";
import { monthlyCost } from "../../src/result/cost.js";
import { simulateScenario as simulate } from "../../src/run.js";
import { oneProducer, scenarioOf } from "./scenarioOf.js";

const stream = { shards: 4, retentionHours: 24, writeBytesPerSecond: 0 };
const base = { streams: [stream], leaseTables: [] };

describe("monthlyCost", () => {
  it("4 shards for a 730-hour month: 4 × 730 × $0.015 = $43.80", () => {
    expect(monthlyCost(base).total).toBeCloseTo(43.8, 10);
  });

  it("1,000 PUT payload units/s: 2.628 billion a month × $0.014 per million = $36.79", () => {
    expect(monthlyCost({ ...base, streams: [{ ...stream, shards: 0, putPayloadUnitsPerSecond: 1000 }] }).total).toBeCloseTo(36.792, 6);
  });

  it("retention of 48 h adds $0.02 per shard-hour: 4 × 730 × 0.02 = $58.40", () => {
    const c = monthlyCost({ ...base, streams: [{ ...stream, retentionHours: 48 }] });
    expect(c.items.find((i) => i.item === "extended retention")!.usd).toBeCloseTo(58.4, 10);
  });

  it("two fan-out consumers on 4 shards: 8 consumer-shard-hours each hour (8 × 730 × $0.015 = $87.60) plus retrieval at $0.013/GB", () => {
    const c = monthlyCost({ ...base, streams: [{ ...stream, efoConsumers: 2, efoBytesPerSecond: 1_000_000 }] });
    expect(c.items.find((i) => i.item === "enhanced fan-out consumer-shard-hours")!.usd).toBeCloseTo(87.6, 10);
    expect(c.items.find((i) => i.item === "enhanced fan-out data retrieval")!.usd).toBeCloseTo(2_628 * 0.013, 6);
  });

  it("a provisioned 10/10 lease table: 730 × (10 × $0.00065 + 10 × $0.00013) = $5.69", () => {
    const c = monthlyCost({ ...base, streams: [], leaseTables: [{ provisioned: { read: 10, write: 10 }, writeUnitsPerSecond: 3, readUnitsPerSecond: 1 }] });
    expect(c.total).toBeCloseTo(5.694, 6);
  });
});

describe("a run's cost", () => {
  it("30 KB records are billed 2 PUT payload units each (25 KB chunks): 100 records/s → 200 units/s", () => {
    // 3 MB/s over 8 shards stays below each shard's 1 MiB/s, so every record is accepted.
    const r = simulate(
      oneProducer({ shards: 8, duration: "60s", producer: { rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "30000B" } } }),
    );
    expect(r.accounting.lost.throttledPastRetries).toBe(0);
    const put = r.cost.items.find((i) => i.item === "PUT payload units")!.usd;
    expect(put).toBeCloseTo((200 * 730 * 3600 * 0.014) / 1e6, 2);
  });
});

describe("a run that switches capacity mode is billed at each mode for its part of the time", () => {
  // 500 records/s of 1,000 B (+ 36 B keys, 1 KiB billed each) on 4 shards (125 KB/s a shard, below the on-demand split
  // trigger and a shard's limits: never throttled, never split). 20 minutes, no warmup, switched at 10:00.
  const run = (from: string, to: string) =>
    simulate(
      scenarioOf({
        seed: 3,
        duration: "20m",
        warmup: "0s",
        stream: from === "provisioned" ? { shards: 4 } : { mode: from, onDemand: { previousPeak: "2MiB/s" } },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "1000B" }, partitionKey: { kind: "random", length: 36 } }],
        reshards: [{ at: "10m", kind: "switch-mode", mode: to }],
      }),
    );
  const item = (r: ReturnType<typeof simulate>, name: string) => r.cost.items.find((i) => i.item === name)?.usd;
  const GB = 1e9;

  it("provisioned → on-demand at half time: half the shard-hours and PUT units, half the stream-hours and data in", () => {
    const r = run("provisioned", "on-demand");
    expect(r.reshards).toEqual([]);
    // 4 shards for half of a 730-hour month at $0.015; 500 units/s for half a month at $0.014 a million.
    expect(item(r, "shard-hours")).toBeCloseTo(4 * 365 * 0.015, 6);
    expect(item(r, "PUT payload units")!).toBeCloseTo((500 * 0.5 * 730 * 3600 * 0.014) / 1e6, 1);
    // On-demand: $0.04 a stream-hour for 365 hours; 500 × 1,024 B/s for half a month at $0.08 a GB.
    expect(item(r, "on-demand stream-hours")).toBeCloseTo(365 * 0.04, 6);
    expect(item(r, "on-demand data in (records rounded up to 1 KiB)")!).toBeCloseTo(((500 * 1024 * 0.5 * 730 * 3600) / GB) * 0.08, 1);
    expect(r.cost.total).toBeCloseTo(r.cost.items.reduce((a, i) => a + i.usd, 0), 6);
  });

  it("on-demand → provisioned: the same items, the other way round; a stream that never switched bills one mode only", () => {
    const r = run("on-demand", "provisioned");
    expect(item(r, "on-demand stream-hours")).toBeCloseTo(365 * 0.04, 6);
    expect(item(r, "shard-hours")).toBeCloseTo(4 * 365 * 0.015, 6);
    const whole = simulate(scenarioOf({ seed: 3, duration: "20m", warmup: "0s", stream: { shards: 4 }, producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "1000B" } }] }));
    expect(item(whole, "shard-hours")).toBeCloseTo(4 * 730 * 0.015, 6);
    expect(item(whole, "on-demand stream-hours")).toBeUndefined();
  });

  it("Advantage for half the time: the account-wide 25 MiB/s commitment is billed for that half only", () => {
    const r = run("provisioned", "on-demand-advantage");
    // No reader: data out is 0, so the shortfall is the whole 25 MiB/s of data out at $0.016 a GB and 25 MiB/s less
    // the 500 KiB/s written of data in at $0.032 a GB, for half a month.
    const month = 730 * 3600;
    const expected = (((25 * 1_048_576 - 500 * 1024) * 0.5 * month) / GB) * 0.032 + ((25 * 1_048_576 * 0.5 * month) / GB) * 0.016;
    expect(item(r, "On-demand Advantage minimum-throughput commitment (shortfall, account-wide)")!).toBeCloseTo(expected, 0);
    expect(item(r, "On-demand Advantage data in (records rounded up to 1 KiB)")!).toBeCloseTo(((500 * 1024 * 0.5 * month) / GB) * 0.032, 1);
  });
});
