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
    // Each record of 200 B + a 36 B key is one 25 KB unit; aggregated into 51,200 B records of 2 units each, the
    // units fall to 2 × 236 / 51,200 per record: 1 − 0.0092 of the bill saved.
    expect(put.unitsPerRecord).toBe(1);
    expect(put.savingUsd / put.usd).toBeCloseTo(1 - (2 * put.meanRecordBytes) / 51_200, 4);
    expect(out.files["report.md"]).toContain("Where the bill has a cause you can change:");
    expect(out.files["report.md"]).toMatch(/- Firehose archive bills ingestion in 5 KB increments per record, and its records average 200 B: \$[\d,.]+ a month pays for 25\.6 × the data\./);
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
});
