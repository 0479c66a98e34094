// The bill of every capacity mode against hand-computed amounts, at the us-east-1 table of src/aws/prices.ts (each
// amount's source in docs/limits.md). A month is 730 h = 2,628,000 s; a GB is 10^9 B; the on-demand modes bill each
// record rounded up to 1 KiB (1,024 B); On-demand Advantage bills at least its commitment, 25 MiB/s = 26,214,400 B/s,
// of data in and of data out.

import { describe, expect, it } from "vitest";
import { PRICE, PRICE_ITEMS, PRICE_TABLES, resolvePrices } from "../../src/aws/prices.js";
import { advantageShortfallUsd, COST_ITEMS, monthlyCost, onDemandRoundingHint, type StreamUsage } from "../../src/result/cost.js";
import { costHintSentence, priceTableText } from "../../src/report/verdict.js";
import type { RunResult } from "../../src/result/runResult.js";
import { PricesSchema, ScenarioSchema } from "../../src/spec/index.js";
import { simulateScenario } from "../../src/run.js";
import { build } from "../../src/model/build.js";
import { simulate } from "../../src/model/simulate.js";
import { oneProducer, scenarioOf } from "../model/scenarioOf.js";

const MONTH_S = 2_628_000;
const gb = (bytesPerSecond: number) => (bytesPerSecond * MONTH_S) / 1e9;
const item = (c: { items: { item: string; usd: number }[] }, name: string) => c.items.find((i) => i.item === name)?.usd;
const bill = (s: StreamUsage, prices = PRICE) => monthlyCost({ streams: [s], leaseTables: [] }, prices);

describe("the price table", () => {
  it("us-east-1 has a date and a source and unit for every item", () => {
    const t = PRICE_TABLES["us-east-1"]!;
    expect(t.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const k of PRICE_ITEMS) {
      expect(t.items[k].source.length, k).toBeGreaterThan(10);
      expect(t.items[k].unit.length, k).toBeGreaterThan(3);
      // What no public source confirmed says so in its source.
      if (!t.items[k].confirmed) expect(t.items[k].source, k).toMatch(/UNCONFIRMED/);
    }
  });

  it("PRICE is the default table's amounts", () => {
    expect(PRICE.shardHour).toBe(0.015);
    expect(PRICE.onDemandStreamHour).toBe(0.04);
    expect(PRICE.advantageCommitmentMiBps).toBe(25);
  });

  it("an override replaces the item and is reported with the table's amount", () => {
    const r = resolvePrices("us-east-1", { shardHour: 0.012, onDemandDataInGb: 0.05 });
    expect(r.usd.shardHour).toBe(0.012);
    expect(r.usd.putPayloadUnitPerMillion).toBe(0.014);
    // In the table's order.
    expect(r.overridden).toEqual([
      { item: "shardHour", usd: 0.012, tableUsd: 0.015 },
      { item: "onDemandDataInGb", usd: 0.05, tableUsd: 0.08 },
    ]);
    // 4 shards × 730 h × $0.012 = $35.04.
    expect(bill({ shards: 4, retentionHours: 24, writeBytesPerSecond: 0 }, r.usd).total).toBeCloseTo(35.04, 10);
    expect(priceTableText({ id: r.table, compiled: r.date, overridden: r.overridden })).toContain("shardHour $0.012 (table: $0.015), onDemandDataInGb $0.05 (table: $0.08)");
  });
});

describe("prices: in a scenario", () => {
  it("takes a table and overrides by item", () => {
    expect(PricesSchema.parse({ override: { shardHour: 0.01 } })).toEqual({ table: "us-east-1", override: { shardHour: 0.01 } });
  });

  it("an unknown item is an error that lists the items", () => {
    const r = PricesSchema.safeParse({ override: { shardHours: 0.01 } });
    expect(r.success).toBe(false);
    const message = r.error!.issues[0]!.message;
    expect(message).toContain('unknown price item "shardHours"');
    for (const k of PRICE_ITEMS) expect(message).toContain(k);
    expect(r.error!.issues[0]!.path).toEqual(["override", "shardHours"]);
  });

  it("an unknown table is an error that names the tables", () => {
    const r = PricesSchema.safeParse({ table: "eu-west-9" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("prices.table must be one of the built-in tables: us-east-1");
  });

  it("a negative amount is refused", () => {
    expect(PricesSchema.safeParse({ override: { shardHour: -1 } }).success).toBe(false);
  });

  it("a run bills at the overridden prices and says which items were overridden", () => {
    const s = scenarioOf({ duration: "60s", stream: { shards: 4 }, producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "10/s" }, recordSize: { dist: "fixed", size: "100B" } }], prices: { override: { shardHour: 0.012 } } });
    const r = simulateScenario(s);
    expect(item(r.cost, "shard-hours")).toBeCloseTo(35.04, 9);
    expect(r.cost.priceTable).toEqual({ id: "us-east-1", compiled: PRICE_TABLES["us-east-1"]!.date, overridden: [{ item: "shardHour", usd: 0.012, tableUsd: 0.015 }] });
  });
});

describe("the bill of each mode", () => {
  it("provisioned: 4 shards × 730 h × $0.015 = $43.80", () => {
    expect(bill({ shards: 4, retentionHours: 24, writeBytesPerSecond: 0 }).total).toBeCloseTo(43.8, 10);
  });

  it("On-demand Standard, 1 MB/s of 200 B records: each rounds up to 1 KiB, 5.12 × the data; $29.20 + 13,455.36 GB × $0.08", () => {
    // 5,000 records/s × 1,024 B = 5,120,000 B/s billed: 13,455.36 GB a month.
    const c = bill({ mode: "on-demand", shards: 0, retentionHours: 24, writeBytesPerSecond: 1e6, billedInBytesPerSecond: 5000 * 1024 });
    expect(item(c, COST_ITEMS.onDemandStreamHours)).toBeCloseTo(29.2, 10);
    expect(gb(5000 * 1024)).toBeCloseTo(13_455.36, 6);
    expect(item(c, COST_ITEMS.onDemandDataIn)).toBeCloseTo(1_076.4288, 6);
    expect(c.total).toBeCloseTo(1_105.6288, 6);
    // No shard-hours, no PUT payload units.
    expect(item(c, COST_ITEMS.shardHours)).toBeUndefined();
    expect(item(c, COST_ITEMS.putPayloadUnits)).toBeUndefined();
  });

  it("On-demand Standard reads: 2 MB/s by GetRecords at $0.04/GB, 1 MB/s to fan-out at $0.05/GB; 48 h retention: 24 h of data at $0.10/GB-month", () => {
    const c = bill({ mode: "on-demand", shards: 0, retentionHours: 48, writeBytesPerSecond: 1e6, billedInBytesPerSecond: 1e6, pollingReadBytesPerSecond: 2e6, efoConsumers: 1, efoBytesPerSecond: 1e6 });
    expect(item(c, COST_ITEMS.onDemandDataOut)).toBeCloseTo(5_256 * 0.04, 6);
    expect(item(c, COST_ITEMS.onDemandEfoRetrieval)).toBeCloseTo(2_628 * 0.05, 6);
    // 1 MB/s × 86,400 s = 86.4 GB stored beyond 24 h.
    expect(item(c, COST_ITEMS.onDemandExtendedRetention)).toBeCloseTo(86.4 * 0.1, 9);
    // No consumer-shard-hours in on-demand.
    expect(item(c, COST_ITEMS.efoConsumerShardHours)).toBeUndefined();
  });

  it("On-demand Advantage at 1 MB/s of 1 KiB records, no reader: no stream-hour; the commitment bills the floor of 25 MiB/s in and out", () => {
    const c = bill({ mode: "on-demand-advantage", shards: 0, retentionHours: 24, writeBytesPerSecond: 1e6, billedInBytesPerSecond: 1e6 });
    expect(item(c, COST_ITEMS.onDemandStreamHours)).toBeUndefined();
    // Data in: 2,628 GB × $0.032 = $84.096.
    expect(item(c, COST_ITEMS.advantageDataIn)).toBeCloseTo(84.096, 9);
    // Shortfall in: (26,214,400 − 1,000,000) B/s = 66,263.44 GB × $0.032; out: 26,214,400 B/s = 68,891.44 GB × $0.016.
    const shortfall = 66_263.443_2 * 0.032 + 68_891.443_2 * 0.016;
    expect(item(c, COST_ITEMS.advantageCommitment)).toBeCloseTo(shortfall, 6);
    // In all: 68,891.44 GB × ($0.032 + $0.016) = $3,306.79, whatever is below the floor.
    expect(c.total).toBeCloseTo(68_891.443_2 * 0.048, 6);
  });

  it("the Advantage commitment is account-wide: two streams of 15 MiB/s in together pass the 25 MiB/s floor of data in", () => {
    const s: StreamUsage = { mode: "on-demand-advantage", shards: 0, retentionHours: 24, writeBytesPerSecond: 15 * 1_048_576, billedInBytesPerSecond: 15 * 1_048_576, pollingReadBytesPerSecond: 15 * 1_048_576 };
    // In: 30 MiB/s ≥ 25; out: 30 MiB/s ≥ 25: no shortfall.
    expect(advantageShortfallUsd([s, s], PRICE)).toBe(0);
    // One stream alone: 10 MiB/s short in and out.
    expect(advantageShortfallUsd([s], PRICE)).toBeCloseTo(gb(10 * 1_048_576) * 0.048, 6);
    // A provisioned stream is no part of it.
    expect(advantageShortfallUsd([{ ...s, mode: "provisioned" }], PRICE)).toBe(0);
  });

  it("long-term retention (every mode): 8 days keeps 1 day beyond 7 at $0.023/GB-month; provisioned extended retention by shard-hour", () => {
    const c = bill({ shards: 2, retentionHours: 192, writeBytesPerSecond: 1e6 });
    expect(item(c, COST_ITEMS.extendedRetention)).toBeCloseTo(2 * 730 * 0.02, 9);
    expect(item(c, COST_ITEMS.longTermRetention)).toBeCloseTo(86.4 * 0.023, 9);
    const od = bill({ mode: "on-demand", shards: 0, retentionHours: 192, writeBytesPerSecond: 1e6, billedInBytesPerSecond: 1e6 });
    // 6 days between 24 h and 7 d: 518.4 GB at $0.10.
    expect(item(od, COST_ITEMS.onDemandExtendedRetention)).toBeCloseTo(518.4 * 0.1, 9);
    expect(item(od, COST_ITEMS.longTermRetention)).toBeCloseTo(86.4 * 0.023, 9);
  });

  it("long-term retrieval: 1 MB/s read of data older than 7 days at $0.021/GB", () => {
    expect(item(bill({ shards: 1, retentionHours: 24, writeBytesPerSecond: 0, longTermReadBytesPerSecond: 1e6 }), COST_ITEMS.longTermRetrieval)).toBeCloseTo(2_628 * 0.021, 9);
  });

  it("Firehose's Lambda: 10 invocations/s of 500 ms at 128 MiB: 26.28 M requests × $0.20/M + 1.6425 M GB-s × $0.0000166667", () => {
    const c = monthlyCost({ streams: [], leaseTables: [], firehose: [{ name: "fh", billedBytesPerSecond: 0, objectsPerSecond: 0, lambda: { invocationsPerSecond: 10, gbSecondsPerSecond: 10 * 0.5 * 0.125 } }] });
    expect(item(c, "Firehose fh: Lambda transformation")).toBeCloseTo(26.28 * 0.2 + 1_642_500 * 0.0000166667, 6);
  });

  it("a run with a transformation bills its invocations and GB-seconds at the function's memory", () => {
    const s = scenarioOf({
      duration: "10m",
      producers: [{ name: "p", client: "sdk", deliveryStream: "fh", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
      firehose: [{ name: "fh", source: "direct-put", transform: { memory: "512MiB", buffer: { size: "1MB", interval: "60s" } } }],
    });
    const r = simulateScenario(s);
    const t = r.firehose[0]!.transform!;
    expect(t.invocations).toBeGreaterThan(0);
    const perSecond = t.invocations / 600;
    const expected = ((perSecond * MONTH_S) / 1e6) * 0.2 + perSecond * (t.meanDurationUs / 1e6) * 0.5 * MONTH_S * 0.0000166667;
    expect(item(r.cost, "Firehose fh: Lambda transformation")).toBeCloseTo(expected, 9);
    // The default memory is Lambda's 128 MiB.
    const plain = ScenarioSchema.parse({
      name: "t",
      duration: "1m",
      producers: [{ name: "p", client: "sdk", deliveryStream: "fh", rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "fixed", size: "1000B" } }],
      firehose: [{ name: "fh", source: "direct-put", transform: {} }],
    });
    expect(plain.firehose[0]!.transform!.memory).toBe(128 * 1_048_576);
  });
});

describe("the producers count the bytes on-demand bills", () => {
  it("200 B records (SDK): 1,024 B each; 30,000 B records: 30 KiB each (29.3 → 30)", () => {
    for (const [size, billed] of [
      [200, 1_024],
      [30_000, 30 * 1_024],
    ] as const) {
      const m = simulate(build(oneProducer({ shards: 8, duration: "20s", producer: { rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: `${size}B` } } })));
      const stats = m.producers[0]!.model.stats;
      expect(stats.accepted).toBeGreaterThan(1_500);
      expect(stats.onDemandBilledBytes / stats.accepted).toBeCloseTo(billed, 9);
    }
  });

  it("a uniform size of 1..2,048 B: E[⌈size ÷ 1,024⌉] = 1 + P(size > 1,024) = 1.5 KiB a record", () => {
    const m = simulate(build(oneProducer({ shards: 8, duration: "20s", producer: { rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "uniform", min: "1B", max: "2048B" } } })));
    const stats = m.producers[0]!.model.stats;
    expect(stats.onDemandBilledBytes / stats.accepted).toBeCloseTo(1.5 * 1_024, 0);
  });
});

describe("the on-demand rounding hint", () => {
  const standard: StreamUsage = { name: "events", mode: "on-demand", shards: 0, retentionHours: 24, writeBytesPerSecond: 1e6, billedInBytesPerSecond: 5.12e6 };

  it("1 MB/s of 200 B records on On-demand Standard: $1,076.43 pays for 5.12 × the data; records of 1 KiB or more would save $866.19", () => {
    const h = onDemandRoundingHint(standard, [standard], PRICE, 5_000, ["p"])!;
    expect(h).toMatchObject({ kind: "on-demand-rounding", stream: "events", mode: "on-demand", meanRecordBytes: 200, billedPerDataByte: 5.12 });
    expect(h.usd).toBeCloseTo(13_455.36 * 0.08, 6);
    // (5.12 − 1) MB/s = 10,827.36 GB a month at $0.08.
    expect(h.savingUsd).toBeCloseTo(10_827.36 * 0.08, 6);
    expect(costHintSentence(h)).toBe(
      "Stream events is On-demand Standard, which bills data in per record rounded up to 1 KiB, and its records average 200 B: $1,076.43 a month pays for 5.12 × the data it stores. Aggregating the records of p with the KPL (AggregationEnabled) would save about $866.19 a month (an estimate: an instance's aggregate for a shard takes the records it sends that shard within RecordMaxBufferedTime, 100 ms, of the first, up to AggregationMaxSize, 51,200 B, billed in whole KiB; several events per record can save more).",
    );
  });

  it("none for a provisioned stream, records of 1 KiB, or a saving under $10", () => {
    expect(onDemandRoundingHint({ ...standard, mode: "provisioned" }, [standard], PRICE, 5_000, ["p"])).toBeNull();
    expect(onDemandRoundingHint({ ...standard, billedInBytesPerSecond: 1e6 }, [standard], PRICE, 1_000, ["p"])).toBeNull();
    // 1 kB/s of 200 B records: $1.08 a month in all.
    const small = { ...standard, writeBytesPerSecond: 1e3, billedInBytesPerSecond: 5.12e3 };
    expect(onDemandRoundingHint(small, [small], PRICE, 5, ["p"])).toBeNull();
  });

  it("none on Advantage below the commitment: the floor is billed either way", () => {
    const adv = { ...standard, mode: "on-demand-advantage" as const };
    expect(onDemandRoundingHint(adv, [adv], PRICE, 5_000, ["p"])).toBeNull();
    // At 10 MB/s of data, 51.2 MB/s billed, above the 25 MiB/s floor: packing saves down to the floor.
    const big = { ...adv, writeBytesPerSecond: 1e7, billedInBytesPerSecond: 5.12e7 };
    const h = onDemandRoundingHint(big, [big], PRICE, 50_000, ["p"])!;
    expect(h.savingUsd).toBeCloseTo(gb(5.12e7 - 26_214_400) * 0.032, 6);
  });
});

describe("the on-demand rounding hint's estimate", () => {
  const standard: StreamUsage = { name: "events", mode: "on-demand", shards: 0, retentionHours: 24, writeBytesPerSecond: 1e6, billedInBytesPerSecond: 5.12e6 };

  it("saves down to the estimate given, and is not given without producers to aggregate", () => {
    // Aggregates of 2.25 records of 200 B bill 1 KiB each: 455 B a record, 2.276 MB/s for 5,000 records/s.
    const h = onDemandRoundingHint(standard, [standard], PRICE, 5_000, ["p"], 2.276e6)!;
    expect(h.savingUsd).toBeCloseTo(gb(5.12e6 - 2.276e6) * 0.08, 6);
    expect(onDemandRoundingHint(standard, [standard], PRICE, 5_000, [])).toBeNull();
    expect(onDemandRoundingHint(standard, [standard], PRICE, 5_000, ["p"], 5.12e6)).toBeNull();
  });
});

describe("the on-demand rounding hint against the KPL's bill (helper-41's and helper-42's probes)", () => {
  // 3,000 records/s of 200 B (236 B with the partition key) into an On-demand Standard stream of 4 shards. With 60
  // instances an instance sends a shard 1.25 records in 100 ms: the KPL's aggregates hold 2.25 records, billed 1 KiB.
  // Full packing (the first estimate) said $496 a month; the KPL saves $358. With 20 instances an aggregate of 8.5
  // records is 2,006 B of records but over 2 KiB with the format's key table and overhead (helper-42: an estimate
  // without them was 12% high at 10 instances).
  const run = (client: "sdk" | "kpl", instances: number, kpl: Record<string, unknown> = {}) =>
    simulateScenario(
      scenarioOf({
        name: "od",
        seed: 3,
        duration: "4m",
        warmup: "1m",
        stream: { name: "s", mode: "on-demand" },
        producers: [{ name: "p", client, instances, rate: { shape: "poisson", value: "3000/s" }, recordSize: { dist: "fixed", size: "200B" }, ...(client === "kpl" ? { kpl } : {}) }],
      }),
    );
  const dataIn = (r: RunResult) => r.cost.items.find((i) => i.item === COST_ITEMS.onDemandDataIn)!.usd;
  const hintOf = (r: RunResult) => r.cost.hints.find((h) => h.kind === "on-demand-rounding");

  it.each([60, 20, 4])("%i instances: the hint's saving is within 3% of what the same producers save with the KPL", (instances) => {
    const sdk = run("sdk", instances);
    const kpl = run("kpl", instances);
    const hint = hintOf(sdk)!;
    expect(hint).toMatchObject({ stream: "s", producers: ["p"] });
    const saved = dataIn(sdk) - dataIn(kpl);
    expect(saved).toBeGreaterThan(100);
    expect(Math.abs(hint.savingUsd / saved - 1)).toBeLessThan(0.03);
    // The KPL producers' own stream gets no hint: there is no one left to aggregate.
    expect(hintOf(kpl)).toBeUndefined();
  });

  it("the KPL with aggregation off gets the hint: turning it on saves what the hint says", () => {
    const off = run("kpl", 4, { aggregationEnabled: false });
    const hint = hintOf(off)!;
    expect(hint).toMatchObject({ producers: ["p"] });
    const saved = dataIn(off) - dataIn(run("kpl", 4));
    expect(Math.abs(hint.savingUsd / saved - 1)).toBeLessThan(0.03);
  });
});
