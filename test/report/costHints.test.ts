// Issue 11: cost hints where the bill has a cause a planner can change. Small records pay for bytes they do not
// have twice: Firehose rounds each record up to 5 KB, Kinesis bills each record at least one 25 KB PUT payload unit.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };

describe("cost hints", () => {
  it("name Firehose's 5 KB rounding and the PUT payload units of 200 B records, with what packing them would save", () => {
    const out = runScenario(
      scenarioOf({
        duration: "10m",
        warmup: "1m",
        stream: { shards: 4 },
        producers: [{ name: "devices", client: "sdk", instances: 4, rate: { shape: "constant", value: "2000/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        firehose: [{ name: "archive", source: "test", buffer: { size: "64MiB", interval: "300s" }, destination: { kind: "s3" } }],
      }),
      provenance,
    );
    const hints = out.result.cost.hints;
    const fh = hints.find((h) => h.kind === "firehose-rounding");
    expect(fh).toBeDefined();
    if (fh?.kind !== "firehose-rounding") return;
    // 200 B billed as 5,120 B: 25.6 × the data; packed, the bill comes to the data: 1 − 1/25.6 = 96.1% saved.
    expect(fh.billedPerDataByte).toBeCloseTo(5120 / 200, 1);
    expect(fh.savingUsd / fh.usd).toBeCloseTo(1 - 200 / 5120, 3);
    const put = hints.find((h) => h.kind === "put-payload-units");
    expect(put).toBeDefined();
    if (put?.kind !== "put-payload-units") return;
    // Each record of 200 B + a 36 B key is one 25 KB unit. Each of 4 instances sends each of 4 shards 125 records/s: a
    // KPL aggregate opens with a record and takes those within RecordMaxBufferedTime (100 ms), 1 + 12.5 records of
    // 236 B, one unit; the units fall to 1 ÷ 13.5 a record: 1 − 0.074 of the bill saved (the Poisson draws of the
    // per-shard counts aside).
    expect(put.unitsPerRecord).toBe(1);
    expect(put.savingUsd / put.usd).toBeCloseTo(1 - 1 / 13.5, 2);
    expect(out.files["report.md"]).toContain("Where the bill has a cause you can change:");
    expect(out.files["report.md"]).toMatch(/- Firehose archive bills ingestion in 5 KB increments per record, and its records average 200 B: \$[\d,.]+ a month pays for 25\.6 × the data\./);
  });

  it("count the PUT payload units of the records accepted, when many are throttled and lost: one unit each, never fewer (helper-74: 0.79)", () => {
    // 4,000 records/s of 200 B on 2 shards (2,000 records/s of capacity), retries limited to 1 attempt: about half lost.
    const out = runScenario(
      scenarioOf({
        duration: "10m",
        warmup: "1m",
        stream: { shards: 2 },
        producers: [{ name: "devices", client: "sdk", instances: 4, rate: { shape: "constant", value: "4000/s" }, recordSize: { dist: "fixed", size: "200B" }, retry: { maxAttempts: 1 } }],
      }),
      provenance,
    );
    const p = out.result.producers[0]!;
    expect(p.lostAfterWarmup / p.offeredAfterWarmup).toBeGreaterThan(0.3);
    const put = out.result.cost.hints.find((h) => h.kind === "put-payload-units");
    expect(put).toBeDefined();
    if (put?.kind !== "put-payload-units") return;
    // A 236 B record (200 B and a 36 B key) is one 25 KB unit, whether others were lost or not.
    expect(put.unitsPerRecord).toBe(1);
    // The KPL's aggregates of the records accepted: 4 instances × 2 shards, each aggregate opening with a record and
    // taking those within 100 ms: 1 + 4,000 ÷ 8 × 0.1 = 51 records offered in it, of which the accepted share; the saving
    // is the share of the units the aggregates spare, about 1 − 1/51 whatever the share lost.
    expect(put.savingUsd / put.usd).toBeGreaterThan(0.95);
    expect(out.files["report.md"]).toContain("put records of 236 B on average, 1.00 unit each");
  });

  it("stay out of the report when records are large enough (20 KiB: Firehose bills 20 KiB, one PUT unit each)", () => {
    const out = runScenario(
      scenarioOf({
        duration: "5m",
        warmup: "1m",
        stream: { shards: 4 },
        producers: [{ name: "big", client: "sdk", instances: 4, rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "20KiB" } }],
        firehose: [{ name: "archive", source: "test", buffer: { size: "64MiB", interval: "300s" }, destination: { kind: "s3" } }],
      }),
      provenance,
    );
    expect(out.result.cost.hints).toEqual([]);
    expect(out.files["report.md"]).not.toContain("Where the bill has a cause");
  });

  // helper-41's counterfactual: the hint's saving against the bill of the same producers with client: kpl. It assumed
  // full 51,200 B aggregates: with 60 instances an instance sends a shard 6.25 records/s, and an aggregate holds 1.6
  // records (2.6 × the saving promised).
  it.each([
    [60, 0.05],
    [4, 0.02],
  ])("the PUT payload units saving with %i instances is what the KPL's aggregation saves, within %f", (instances, within) => {
    const bill = (client: string) =>
      runScenario(
        scenarioOf({
          seed: 3,
          duration: "4m",
          warmup: "1m",
          stream: { name: "s", shards: 4 },
          producers: [{ name: "p", client, instances, rate: { shape: "poisson", value: "1500/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        }),
        provenance,
      ).result.cost;
    const sdk = bill("sdk");
    const units = (c: typeof sdk) => c.items.find((i) => i.item === "PUT payload units")!.usd;
    const hint = sdk.hints.find((h) => h.kind === "put-payload-units")!;
    const saved = units(sdk) - units(bill("kpl"));
    expect(Math.abs(hint.savingUsd - saved)).toBeLessThan(within * saved);
  });
});
