// The bill of every capacity mode in closed form (src/result/modeBill.ts) against hand-computed amounts and
// break-evens, at the us-east-1 table of src/aws/prices.ts. A month is 730 h = 2,628,000 s; a GB is 10^9 B.

import { describe, expect, it } from "vitest";
import { resolvePrices } from "../../src/aws/prices.js";
import { billOfEveryMode, formulaShardsAt, shardsReadBound, shardsTakeBytesPerSecond, type StreamTraffic } from "../../src/result/modeBill.js";

const MONTH_S = 2_628_000;
const gb = (bytesPerSecond: number) => (bytesPerSecond * MONTH_S) / 1e9;

describe("the bill of every mode, in closed form", () => {
  // 1 MiB/s of 1 KiB records, one GetRecords reader.
  const t: StreamTraffic = { bytesPerSecond: 1_048_576, recordsPerSecond: 1_024, keyBytesPerRecord: 36, payloadUnitsPerRecord: 1, onDemandBytesPerRecord: 1_024, pollingConsumers: 1, efoConsumers: 0, retentionHours: 24 };

  it("at 1 MiB/s: provisioned 1 shard $10.95 + 2.69 G PUT units; On-demand $29.20 + in and out; Advantage at its floor", () => {
    const b = billOfEveryMode(t, 4);
    expect(b.formulaShards).toBe(1);
    const units = (1_024 * MONTH_S * 0.014) / 1e6;
    expect(b.provisionedAtFormula.total).toBeCloseTo(10.95 + units, 6);
    expect(b.provisionedAtShards!.total).toBeCloseTo(43.8 + units, 6);
    expect(b.onDemand.total).toBeCloseTo(29.2 + gb(1_048_576) * (0.08 + 0.04), 6);
    expect(b.advantage.total).toBeCloseTo(gb(26_214_400) * 0.048, 6);
  });

  it("On-demand Standard costs less than 4 shards below (4 × $10.95 − $29.20) ÷ (per-byte on-demand − per-byte PUT units) = 52,249 B/s", () => {
    const b = billOfEveryMode(t, 4);
    const perByteOnDemand = (MONTH_S / 1e9) * (0.08 + 0.04);
    const perBytePut = (MONTH_S * 0.014) / 1e6 / 1_024;
    const x = (43.8 - 29.2) / (perByteOnDemand - perBytePut);
    expect(x).toBeCloseTo(52_249.16, 1);
    expect(b.breakEvens.onDemandVsShards!.cheaperFirst).toBe("on-demand");
    expect(b.breakEvens.onDemandVsShards!.crossings).toHaveLength(1);
    expect(b.breakEvens.onDemandVsShards!.crossings[0]!.bytesPerSecond).toBeCloseTo(x, 6);
    expect(b.breakEvens.onDemandVsShards!.crossings[0]!.cheaperAbove).toBe("provisioned");
    // Against the formula's shards (1 at the lowest throughputs: $10.95 < $29.20), provisioned is cheaper throughout.
    expect(b.breakEvens.onDemandVsFormula).toEqual({ cheaperFirst: "provisioned", crossings: [] });
    expect(b.breakEvens.advantageVsFormula).toEqual({ cheaperFirst: "provisioned", crossings: [] });
  });

  it("with on-demand at $0.001/GB in and free out, it overtakes one shard inside the first shard's range: 18.25 ÷ (PUT − on-demand per byte) = 548,020 B/s", () => {
    const prices = resolvePrices("us-east-1", { onDemandDataInGb: 0.001, onDemandDataOutGb: 0 }).usd;
    const b = billOfEveryMode(t, null, prices);
    const perBytePut = (MONTH_S * 0.014) / 1e6 / 1_024;
    const perByteOnDemand = (MONTH_S / 1e9) * 0.001;
    const x = (29.2 - 10.95) / (perBytePut - perByteOnDemand);
    expect(x).toBeCloseTo(548_020.28, 1);
    expect(b.breakEvens.onDemandVsFormula.cheaperFirst).toBe("provisioned");
    expect(b.breakEvens.onDemandVsFormula.crossings.map((c) => c.cheaperAbove)).toEqual(["on-demand"]);
    expect(b.breakEvens.onDemandVsFormula.crossings[0]!.bytesPerSecond).toBeCloseTo(x, 4);
    expect(b.breakEvens.onDemandVsShards).toBeNull();
  });

  it("a break-even at a shard step: free PUT units make provisioned a stair of $10.95 a MiB/s; on-demand at $0.001/GB wins from the step to 4 shards (3 MiB/s)", () => {
    // On-demand: $29.20 + 2.628e-6 $ per B/s. At 3 MiB/s it is $37.47, below 4 shards' $43.80 and above 3 shards' $32.85.
    const prices = resolvePrices("us-east-1", { putPayloadUnitPerMillion: 0, onDemandDataInGb: 0.001, onDemandDataOutGb: 0 }).usd;
    const b = billOfEveryMode(t, null, prices);
    expect(b.breakEvens.onDemandVsFormula.cheaperFirst).toBe("provisioned");
    expect(b.breakEvens.onDemandVsFormula.crossings).toHaveLength(1);
    expect(b.breakEvens.onDemandVsFormula.crossings[0]!.bytesPerSecond).toBeCloseTo(3 * 1_048_576, 3);
    expect(b.breakEvens.onDemandVsFormula.crossings[0]!.cheaperAbove).toBe("on-demand");
  });

  it("the formula's shards: 1 KiB records with 3 readers need 1.5 × the write throughput in shards", () => {
    const three = { ...t, pollingConsumers: 3 };
    expect(formulaShardsAt(three, 1_048_576)).toBe(2);
    expect(formulaShardsAt(three, 2 * 1_048_576)).toBe(3);
    // 200 B records round up to 1 KiB: 1 MB/s of them is 5,000 KiB/s → 5 shards.
    expect(formulaShardsAt({ ...t, bytesPerSecond: 1e6, recordsPerSecond: 5_000 }, 1e6)).toBe(5);
  });
});

describe("the most a fixed shard count takes: partition keys count in a shard's limits with the data", () => {
  it("6 shards of 1,024 B records with 36 B keys: 1,060 B a record, so 1 MiB/s binds before 1,000 records/s (1,060,000 B/s); data 6 × 1,048,576 × 1,024 ÷ 1,060 = 6,077,783.9 B/s, 5.80 MiB/s (not 5.86: 6 × 1,000 × 1,024)", () => {
    expect(shardsTakeBytesPerSecond(6, 1_024, 36)).toBeCloseTo(6_077_783.91, 1);
    expect(shardsTakeBytesPerSecond(6, 1_024, 36) / 1_048_576).toBeCloseTo(5.7962, 4);
    // Without keys the records limit binds: 6 × 1,000 × 1,024 = 6,144,000 B/s.
    expect(shardsTakeBytesPerSecond(6, 1_024, 0)).toBe(6_144_000);
  });

  it("small records: 100 B of data + 36 B of key, 1,000 records/s bind (136,000 B/s a shard), of which 100,000 B/s data", () => {
    expect(shardsTakeBytesPerSecond(3, 100, 36)).toBeCloseTo(300_000, 6);
  });

  it("three polling readers share a shard's 2 MiB/s of records with their keys: 699,050.67 B/s each, × 1,024 ÷ 1,060 of data, × 20 shards = 13,506,186.5 B/s", () => {
    expect(shardsTakeBytesPerSecond(20, 1_024, 36, 3)).toBeCloseTo(((2 * 1_048_576) / 3) * (1_024 / 1_060) * 20, 3);
    expect(shardsTakeBytesPerSecond(20, 1_024, 36, 3)).toBeCloseTo(13_506_186.47, 1);
    expect(shardsReadBound(1_024, 36, 3)).toBe(true);
    // Two readers: 1 MiB/s each, equal to the write limit (not below it): the write limit binds.
    expect(shardsReadBound(1_024, 36, 2)).toBe(false);
  });
});
