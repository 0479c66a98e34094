// The Kinesis Agent's producer note says how the model sends its buffers: PutRecords to a stream, at most
// maxBufferSizeBytes (5 MiB by default); PutRecordBatch to a delivery stream with Direct PUT, capped at 4 MiB by that
// call's limit (helper-51: the note said PutRecords and 5 MiB for an Agent writing to Firehose).
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

// One Agent instance sending 200 records/s of 20 KiB (4,000 KiB/s, under Direct PUT's 5 MiB/s) for 60 s: 12,000 records.
// A 4 MiB request holds 4,096 / 20 = 204 of them (→ 59 requests); a 5 MiB one 256 (→ 47).
const agent = { name: "hosts", client: "agent", instances: 1, rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "20KiB" }, agent: { maxBufferAge: "5s" } };
const run = (toFirehose: boolean) => {
  const r = simulateScenario(
    scenarioOf({
      duration: "60s",
      warmup: "0s",
      ...(toFirehose
        ? { producers: [{ ...agent, deliveryStream: "logs-fh" }], firehose: [{ name: "logs-fh", source: "direct-put", destination: { kind: "s3" } }] }
        : { stream: { name: "logs", shards: 8 }, producers: [agent] }),
    }),
  );
  return { p: r.producers[0]!, note: buildReportMarkdown(r, PROVENANCE).split("\n").find((l) => l.startsWith("- **hosts** (Kinesis Agent)"))! };
};

describe("a Kinesis Agent's requests", () => {
  it("to Firehose: PutRecordBatch of at most 4 MiB, 204 records of 20 KiB: 12,000 records in 58 or 59 requests", () => {
    const { p, note } = run(true);
    expect(p.offered).toBe(12_000);
    expect(p.requests).toBeGreaterThanOrEqual(Math.floor(12_000 / 204)); // the last, partial buffer may still wait at the end
    expect(p.requests).toBeLessThanOrEqual(Math.ceil(12_000 / 204) + 1);
    expect(note).toContain("a buffer is sent to delivery stream logs-fh with PutRecordBatch at 500 records, 4 MiB (PutRecordBatch's limit, below its maxBufferSizeBytes of 5 MiB) or 5 s old");
  });

  it("to a stream: PutRecords of at most 5 MiB, 256 records of 20 KiB: 46 or 47 requests", () => {
    const { p, note } = run(false);
    expect(p.requests).toBeGreaterThanOrEqual(Math.floor(12_000 / 256));
    expect(p.requests).toBeLessThanOrEqual(Math.ceil(12_000 / 256) + 1);
    expect(note).toContain("a buffer is sent with PutRecords at 500 records, 5 MiB or 5 s old");
  });
});
