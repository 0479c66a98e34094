// Issue 11: values that are legal but almost certainly a mistake get a warning (src/spec/warnings.ts), placed at
// the field's file:line:col like a problem, and a valid scenario still runs. "5MB/s" was silently 5,000,000 B/s
// where AWS's "MB" in the Kinesis limits is MiB (a shard takes "1 MB/s" = 1,048,576 B/s); and a few settings make
// a run quietly report nothing: a KPL RecordTtl within its buffering time, a rate change after the end, a Firehose
// buffer interval as long as the run, a request size below one record.
import { describe, expect, it } from "vitest";
import { checkScenario, parseScenario, scenarioWarnings, scenarioWarningsIn, validateScenarioData } from "../../src/scenario/index.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const placed = (text: string) => scenarioWarningsIn(text, "s.yaml", parseScenario(text, "s.yaml"));
const codes = (text: string) => scenarioWarnings(parseScenario(text, "s.yaml")).map((w) => w.code);

describe("sizes and byte rates written in KB, MB or GB", () => {
  const text = lines(
    "name: units", //                                                        1
    "duration: 10m", //                                                      2
    "stream:", //                                                            3
    "  shards: 2", //                                                        4
    "  maxRecordSize: 2MB", //                                               5
    "producers:", //                                                         6
    "  - name: 5MB", //                                                      7 a name, not a size
    "    client: sdk", //                                                    8
    "    rate: { shape: constant, value: 20/s }", //                         9
    "    recordSize: { dist: fixed, size: 1.5KB }", //                      10
    "  - name: direct", //                                                  11
    "    client: sdk", //                                                   12
    "    rate: { shape: constant, value: 20/s }", //                        13
    "    recordSize: { dist: fixed, size: 1KiB }", //                       14
    "    deliveryStream: fh", //                                            15
    "firehose:", //                                                         16
    "  - name: fh", //                                                      17
    "    source: direct-put", //                                            18
    "    quotas: { bytes: 5MB/s }", //                                      19
    "    buffer: { size: 64MiB, interval: 60s }", //                        20
    "    transform: { buffer: { size: 1MB, interval: 60s } }", //           21 BufferSizeInMBs: decimal in AWS too
  );

  it("warn at each field's line and column with both readings and the binary spelling, in the order of the file", () => {
    const w = placed(text);
    expect(w.map((x) => [x.code, x.line, x.column, x.path])).toEqual([
      ["decimal-unit", 5, 18, "stream.maxRecordSize"],
      ["decimal-unit", 10, 38, "producers[0].recordSize.size"],
      ["decimal-unit", 19, 22, "firehose[0].quotas.bytes"],
    ]);
    // 2 MB = 2,000,000 B; 2 MiB = 2,097,152 B.
    expect(w[0]!.message).toBe(
      '"2MB" is 2,000,000 B: shardcast reads MB as 10^6 B and MiB as 2^20 B. AWS writes "KB" and "MB" for KiB and MiB in its Kinesis limits and prices (a shard takes "1 MB/s", 1,048,576 B/s; a PUT payload unit is "25 KB", 25,600 B): if that is what you meant, write 2MiB (2,097,152 B).',
    );
    // 1.5 KB = 1,500 B; 1.5 KiB = 1,536 B.
    expect(w[1]!.message).toContain('"1.5KB" is 1,500 B: shardcast reads KB as 10^3 B and KiB as 2^10 B.');
    expect(w[1]!.message).toContain("write 1.5KiB (1,536 B)");
    // 5 MB/s = 5,000,000 B/s; 5 MiB/s = 5,242,880 B/s.
    expect(w[2]!.message).toContain('"5MB/s" is 5,000,000 B/s');
    expect(w[2]!.message).toContain("write 5MiB/s (5,242,880 B/s)");
  });

  it("still mean what they say: the run reads 2MB as 2,000,000 B", () => {
    expect(parseScenario(text, "s.yaml").stream!.maxRecordSize).toBe(2_000_000);
  });

  it("binary units get no warning", () => {
    expect(codes(text.replace("2MB", "2MiB").replace("1.5KB", "1.5KiB").replace("5MB/s", "5MiB/s"))).toEqual([]);
  });

  it("a raised on-demand maximum in MB/s or GB/s gets none: AWS's on-demand quotas are decimal ('200 MB/s', 'up to 10 GB/s'), and so is shardcast's reading of them", () => {
    // helper-87: the warning told a user writing maxWriteThroughput: 250MB/s that AWS means MiB. A previous peak, a
    // measured throughput in whatever unit its reader chose, keeps the warning.
    const od = lines(
      "name: od",
      "duration: 10m",
      "region: ap-southeast-2",
      "stream:",
      "  mode: on-demand",
      "  onDemand: { previousPeak: 90MB/s, maxWriteThroughput: 250MB/s }",
      "producers:",
      "  - { name: p, client: sdk, rate: { shape: constant, value: 20/s }, recordSize: { dist: fixed, size: 1KiB } }",
    );
    expect(placed(od).map((x) => [x.code, x.path])).toEqual([["decimal-unit", "stream.onDemand.previousPeak"]]);
    expect(parseScenario(od, "s.yaml").stream!.onDemand.maxWriteThroughput).toBe(250_000_000);
  });

  it("reach validation of data too (what sweeps and tools use), not only files", () => {
    const checked = checkScenario(text, "s.yaml");
    expect(checked.ok).toBe(true);
    const data = { name: "d", duration: "1m", stream: { shards: 1 }, producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "fixed", size: "3KB" } }] };
    const v = validateScenarioData(data);
    if (!v.ok) throw new Error(v.messages.join("\n"));
    expect(scenarioWarnings(v.scenario).map((w) => [w.code, w.path.join(".")])).toEqual([["decimal-unit", "producers.0.recordSize.size"]]);
  });
});

describe("settings that make a run quietly lose or never show something", () => {
  const base = (producer: string[], extra: string[] = [], duration = "10m") =>
    lines("name: traps", `duration: ${duration}`, "stream:", "  shards: 2", "producers:", "  - name: p", ...producer.map((l) => `    ${l}`), ...extra);

  it("a KPL RecordTtl not longer than RecordMaxBufferedTime: every record that waits the buffering time expires", () => {
    const kpl = (settings: string) => base(["client: kpl", "rate: { shape: constant, value: 100/s }", "recordSize: { dist: fixed, size: 1KiB }", `kpl: ${settings}`]);
    const w = placed(kpl("{ recordTtl: 100ms, recordMaxBufferedTime: 500ms }"));
    expect(w.map((x) => [x.code, x.line, x.path])).toEqual([["kpl-ttl-within-buffering", 10, "producers[0].kpl.recordTtl"]]);
    expect(w[0]!.message).toContain("RecordTtl (100 ms) is not longer than RecordMaxBufferedTime (500 ms)");
    // Equal is as bad (a record waiting the whole time expires as it would be sent); the defaults, 30 s and 100 ms, are fine.
    expect(codes(kpl("{ recordTtl: 500ms, recordMaxBufferedTime: 500ms }"))).toEqual(["kpl-ttl-within-buffering"]);
    expect(codes(kpl("{ recordTtl: 501ms, recordMaxBufferedTime: 500ms }"))).toEqual([]);
    expect(codes(kpl("{}"))).toEqual([]);
  });

  it("a KPL RateLimit other than 150 with aggregation off does nothing: the KPL rate-limits only records whose shard it predicts (aggregator.h, limiter.h)", () => {
    const kpl = (settings: string) => base(["client: kpl", "rate: { shape: constant, value: 100/s }", "recordSize: { dist: fixed, size: 1KiB }", `kpl: ${settings}`]);
    const w = placed(kpl("{ aggregationEnabled: false, rateLimit: 100 }"));
    expect(w.map((x) => [x.code, x.line, x.path])).toEqual([["kpl-rate-limit-without-aggregation", 10, "producers[0].kpl.rateLimit"]]);
    expect(w[0]!.message).toContain("RateLimit (100%) has no effect with aggregationEnabled: false");
    expect(codes(kpl("{ aggregationEnabled: true, rateLimit: 100 }"))).toEqual([]);
    expect(codes(kpl("{ aggregationEnabled: false }"))).toEqual([]);
  });

  it("a step level or a spike at or after the end of the run never happens (a unit slip: 30m in a 10 min run)", () => {
    const step = base(["client: sdk", "rate: { shape: step, levels: [{ at: 0s, value: 10/s }, { at: 10m, value: 20/s }] }", "recordSize: { dist: fixed, size: 1KiB }"]);
    expect(placed(step).map((x) => [x.code, x.line, x.path])).toEqual([["rate-change-after-end", 8, "producers[0].rate.levels[1].at"]]);
    expect(codes(step.replace("at: 10m", "at: 9m"))).toEqual([]);
    const spike = base(["client: sdk", "rate: { shape: spikes, base: 10/s, spikes: [{ at: 30m, for: 1m, value: 100/s }] }", "recordSize: { dist: fixed, size: 1KiB }"]);
    const w = placed(spike);
    expect(w.map((x) => [x.code, x.path])).toEqual([["rate-change-after-end", "producers[0].rate.spikes[0].at"]]);
    expect(w[0]!.message).toBe("spike 0 starts at 30 min, not before the end of the run (duration 10 min): it never happens.");
  });

  it("a Firehose buffer interval not shorter than the run: nothing is delivered by interval (the default 300 s in a 5 min run)", () => {
    const fh = (duration: string, buffer = "") =>
      base(["client: sdk", "rate: { shape: constant, value: 10/s }", "recordSize: { dist: fixed, size: 1KiB }"], ["firehose:", "  - name: fh", "    source: traps", ...(buffer ? [`    buffer: ${buffer}`] : [])], duration);
    expect(codes(fh("5m"))).toEqual(["buffer-interval-not-shorter-than-run"]);
    expect(codes(fh("6m"))).toEqual([]);
    const w = placed(fh("10m", "{ interval: 15m }"));
    expect(w.map((x) => [x.code, x.line, x.path])).toEqual([["buffer-interval-not-shorter-than-run", 13, "firehose[0].buffer.interval"]]);
    expect(w[0]!.message).toContain('delivery stream "fh": the buffer interval (15 min) is not shorter than the run (10 min)');
  });

  it("a request size below the mean record: one record per PutRecords (SDK maxRequestSize 100 KiB, records 200 KiB + 36 B key)", () => {
    const sdk = (max: string) => base(["client: sdk", "rate: { shape: constant, value: 10/s }", "recordSize: { dist: fixed, size: 200KiB }", `maxRequestSize: ${max}`]);
    const w = placed(sdk("100KiB"));
    expect(w.map((x) => [x.code, x.line, x.path])).toEqual([["request-smaller-than-record", 10, "producers[0].maxRequestSize"]]);
    // 204,800 + 36 = 204,836 B.
    expect(w[0]!.message).toContain("the records average 200.04 KiB (204,836 B) with its 36 B partition key");
    expect(codes(sdk("1MiB"))).toEqual([]);
  });

  it("the sample scenarios have none of these", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dir = new URL("../../scenarios/", import.meta.url);
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".yaml"))) {
      const text = readFileSync(new URL(f, dir), "utf8");
      const checked = checkScenario(text, f);
      if (!checked.ok) throw new Error(`${f} does not validate`);
      expect(scenarioWarnings(checked.scenario), f).toEqual([]);
    }
  });
});
