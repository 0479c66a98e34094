// Monthly cost against hand-computed bills at the prices of src/aws/prices.ts (listed with their sources in docs/limits.md).
import { describe, expect, it } from "vitest";
import { monthlyCost } from "../../src/result/cost.js";
import { simulateScenario as simulate } from "../../src/run.js";
import { oneProducer } from "./scenarioOf.js";

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
