// The AWS sizing formula (Kinesis Data Streams developer guide):
//   write KiB/s = average record size in KiB, rounded up to a whole KiB, × records/s
//   read KiB/s  = write KiB/s × polling consumers (enhanced fan-out consumers have their own 2 MiB/s)
//   shards      = max(write ÷ 1024, read ÷ 2048), rounded up
// every expectation computed by hand from those lines.

import { describe, expect, it } from "vitest";
import { awsSizingEstimate, estimateText } from "../../src/sweep/estimate.js";
import { ScenarioSchema, type Scenario } from "../../src/spec/index.js";

interface Producer {
  rate: unknown;
  size: string;
}

function scenario(producers: Producer[], consumers: { polling: number; fanout: number }, duration = "10m"): Scenario {
  return ScenarioSchema.parse({
    name: "estimate-test",
    duration,
    stream: { shards: 1 },
    producers: producers.map((p, i) => ({ name: `p${i}`, client: "sdk", rate: p.rate, recordSize: { dist: "fixed", size: p.size } })),
    consumers: [
      ...Array.from({ length: consumers.polling }, (_, i) => ({ name: `poll${i}`, kind: "kcl" })),
      ...Array.from({ length: consumers.fanout }, (_, i) => ({ name: `efo${i}`, kind: "fanout" })),
    ],
  });
}

const constant = (value: string) => ({ shape: "constant", value });

describe("awsSizingEstimate", () => {
  it("2,000 records/s of 3,000 B (→ 3 KiB), 2 polling + 1 fan-out consumers: write 6,000 KiB/s, read 12,000 KiB/s, max(5.86, 5.86) → 6 shards", () => {
    const e = awsSizingEstimate(scenario([{ rate: constant("2000/s"), size: "3000B" }], { polling: 2, fanout: 1 }));
    expect(e).toEqual({
      stream: true,
      recordsPerSecond: 2000,
      peakRecordsPerSecond: 2000,
      averageRecordKiB: 3,
      writeKiBPerSecond: 6000,
      pollingConsumers: 2,
      readKiBPerSecond: 12000,
      shards: 6,
      shardsAtPeak: 6,
      // 2,000 records/s needs only 2 shards by count.
      shardsWithRecordLimitAtPeak: 6,
    });
  });

  it("the same at 1,000 records/s: write 3,000 KiB/s, read 6,000 KiB/s, max(2.93, 2.93) → 3 shards", () => {
    const e = awsSizingEstimate(scenario([{ rate: constant("1000/s"), size: "3000B" }], { polling: 2, fanout: 1 }));
    expect(e.writeKiBPerSecond).toBe(3000);
    expect(e.readKiBPerSecond).toBe(6000);
    expect(e.shards).toBe(3);
    expect(e.shardsAtPeak).toBe(3);
    expect(e.shardsWithRecordLimitAtPeak).toBe(3);
  });

  it("read dominates with 3 polling consumers: write 6,000 KiB/s needs 5.86, read 18,000 KiB/s needs 8.79 → 9 shards", () => {
    const e = awsSizingEstimate(scenario([{ rate: constant("2000/s"), size: "3000B" }], { polling: 3, fanout: 0 }));
    expect(e.pollingConsumers).toBe(3);
    expect(e.readKiBPerSecond).toBe(18000);
    expect(e.shards).toBe(9);
  });

  it("enhanced fan-out consumers do not count: 2,000 records/s of 3 KiB with 0 polling and 5 fan-out consumers → read 0, 6 shards", () => {
    const e = awsSizingEstimate(scenario([{ rate: constant("2000/s"), size: "3000B" }], { polling: 0, fanout: 5 }));
    expect(e.pollingConsumers).toBe(0);
    expect(e.readKiBPerSecond).toBe(0);
    expect(e.shards).toBe(6);
  });

  it("a step from 1,000/s to 5,100/s halfway through 10 minutes of 1 KiB records: mean 3,050/s → 3 shards, peak 5,100/s → 5, and 6 counting 1,000 records/s per shard", () => {
    const step = { shape: "step", levels: [{ at: "0s", value: "1000/s" }, { at: "5m", value: "5100/s" }] };
    const e = awsSizingEstimate(scenario([{ rate: step, size: "1KiB" }], { polling: 0, fanout: 0 }));
    expect(e.recordsPerSecond).toBeCloseTo(3050, 9);
    expect(e.peakRecordsPerSecond).toBe(5100);
    expect(e.averageRecordKiB).toBe(1);
    expect(e.writeKiBPerSecond).toBeCloseTo(3050, 9);
    // 3,050 / 1024 = 2.98; 5,100 / 1024 = 4.98; 5,100 / 1,000 = 5.1.
    expect(e.shards).toBe(3);
    expect(e.shardsAtPeak).toBe(5);
    expect(e.shardsWithRecordLimitAtPeak).toBe(6);
  });

  it("the 1,000 records/s limit binds for small records: 3,050 records/s of 100 B (→ 1 KiB) needs 3 shards by bytes, 4 by count", () => {
    const e = awsSizingEstimate(scenario([{ rate: constant("3050/s"), size: "100B" }], { polling: 1, fanout: 0 }));
    expect(e.averageRecordKiB).toBe(1);
    expect(e.writeKiBPerSecond).toBe(3050);
    expect(e.shards).toBe(3);
    expect(e.shardsWithRecordLimitAtPeak).toBe(4);
  });

  it("exactly 1 MiB/s of writes (1,024 records/s of 1 KiB) needs 1 shard, not 2; 1,025 records/s needs 2", () => {
    expect(awsSizingEstimate(scenario([{ rate: constant("1024/s"), size: "1KiB" }], { polling: 0, fanout: 0 })).shards).toBe(1);
    expect(awsSizingEstimate(scenario([{ rate: constant("1025/s"), size: "1KiB" }], { polling: 0, fanout: 0 })).shards).toBe(2);
  });

  it("exactly 2 MiB/s read by each of 2 polling consumers (1,024 records/s of 2 KiB): max(2, 2) = 2 shards", () => {
    const e = awsSizingEstimate(scenario([{ rate: constant("1024/s"), size: "2KiB" }], { polling: 2, fanout: 0 }));
    expect(e.writeKiBPerSecond).toBe(2048);
    expect(e.readKiBPerSecond).toBe(4096);
    expect(e.shards).toBe(2);
  });

  it("averages the record size over records before rounding: 3,000/s of 500 B and 1,000/s of 2,500 B average 1,000 B → 1 KiB, write 4,000 KiB/s", () => {
    const e = awsSizingEstimate(
      scenario(
        [
          { rate: constant("3000/s"), size: "500B" },
          { rate: constant("1000/s"), size: "2500B" },
        ],
        { polling: 0, fanout: 0 },
      ),
    );
    expect(e.recordsPerSecond).toBe(4000);
    expect(e.averageRecordKiB).toBe(1);
    expect(e.writeKiBPerSecond).toBe(4000);
    expect(e.shards).toBe(4);
  });

  it("a record of 1,025 B rounds up to 2 KiB", () => {
    expect(awsSizingEstimate(scenario([{ rate: constant("100/s"), size: "1025B" }], { polling: 0, fanout: 0 })).averageRecordKiB).toBe(2);
  });

  const web = { name: "web", client: "sdk", rate: constant("1500/s"), recordSize: { dist: "fixed", size: "1KiB" } };
  const fh = (o: Record<string, unknown>) => ScenarioSchema.parse({ name: "fh", duration: "10m", producers: [web], ...o });

  it("a Firehose delivery stream reading the stream polls it like a KCL app: 1,500 KiB/s read twice is 3,000 KiB/s, max(1.46, 1.46) → 2 shards", () => {
    const e = awsSizingEstimate(
      fh({ stream: { name: "s", shards: 1 }, consumers: [{ name: "app", kind: "kcl" }], firehose: [{ name: "archive", source: "s" }] }),
    );
    expect(e.pollingConsumers).toBe(2);
    expect(e.readKiBPerSecond).toBe(3000);
    expect(e.shards).toBe(2);
  });

  it("Direct PUT producers are not the stream's load; without a stream there is nothing to size", () => {
    const producers = [
      web,
      { name: "logs", client: "sdk", rate: constant("9000/s"), recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "d" },
    ];
    const both = awsSizingEstimate(fh({ stream: { shards: 1 }, producers, firehose: [{ name: "d", source: "direct-put" }] }));
    expect(both.recordsPerSecond).toBe(1500);
    expect(both.shards).toBe(2);
    const none = fh({ producers: [producers[1]], firehose: [{ name: "d", source: "direct-put" }] });
    expect(awsSizingEstimate(none)).toMatchObject({ stream: false, shards: 0, recordsPerSecond: 0 });
    expect(estimateText(none, awsSizingEstimate(none))).toBe("fh: no Kinesis stream to size: every producer writes to Firehose with Direct PUT.");
  });
});

describe("estimateText", () => {
  it("prints the numbers of the 2,000 records/s example", () => {
    const s = scenario([{ rate: constant("2000/s"), size: "3000B" }], { polling: 2, fanout: 1 });
    expect(estimateText(s, awsSizingEstimate(s)).split("\n")).toEqual([
      "estimate-test: the AWS sizing formula",
      "  records/s: 2,000 on average, 2,000 at the peak",
      "  average record size: 3 KiB (rounded up to a whole KiB)",
      "  write: 6,000 KiB/s; read by 2 polling consumer(s): 12,000 KiB/s",
      "  shards = max(write ÷ 1024, read ÷ 2048) = 6 at the average rate, 6 at the peak",
      "  counting the 1,000 records/s per shard limit at the peak: 6",
      "The formula ignores key skew, bursts, retries and partition-key bytes; `shardcast sweep` measures them.",
    ]);
  });
});

describe("what reaches the stream, at the workload's own mean", () => {
  const agent = (agentSettings: Record<string, unknown>) =>
    ScenarioSchema.parse({
      name: "agent-logs",
      duration: "10m",
      stream: { shards: 1 },
      producers: [{ name: "logs", client: "agent", rate: constant("40000/s"), recordSize: { dist: "fixed", size: "200B" }, agent: agentSettings }],
    });

  it("a Kinesis Agent joining 5 lines of 200 B into a record, ×1.5 by its conversion: 8,000 records/s of 1,500 B (→ 2 KiB), 16,000 KiB/s → 16 shards, not 40", () => {
    // The rate is in lines: 40,000 lines/s ÷ 5 = 8,000 records/s; a record is 5 × 200 B × 1.5 = 1,500 B.
    // Counting lines as records of 200 B (→ 1 KiB) gives 40,000 KiB/s: 40 shards.
    const e = awsSizingEstimate(agent({ linesPerRecord: 5, sizeFactor: 1.5 }));
    expect(e.recordsPerSecond).toBe(8000);
    expect(e.peakRecordsPerSecond).toBe(8000);
    expect(e.averageRecordKiB).toBe(2);
    expect(e.writeKiBPerSecond).toBe(16000);
    // 16,000 ÷ 1,024 = 15.6; 8,000 ÷ 1,000 = 8.
    expect(e.shards).toBe(16);
    expect(e.shardsWithRecordLimitAtPeak).toBe(16);
  });

  it("the Agent's defaults (one line a record, no conversion) leave the lines as records: 40,000 records/s of 200 B → 40 shards", () => {
    const e = awsSizingEstimate(agent({}));
    expect(e.recordsPerSecond).toBe(40000);
    expect(e.shards).toBe(40);
  });

  it("a diurnal of mean 1,000/s and peak 2,000/s, run for the hour around its peak: the average is the mean 1,000/s (1 shard), not the hour's 1,997/s (2)", () => {
    // The hour centred on the peak averages 1,000 + 1,000 · sin(π/24)/(π/24) = 1,997.1 records/s.
    const s = scenario([{ rate: { shape: "diurnal", mean: "1000/s", peak: "2000/s", period: "24h" }, size: "1KiB" }], { polling: 0, fanout: 0 }, "1h");
    const e = awsSizingEstimate(s);
    expect(e.recordsPerSecond).toBe(1000);
    expect(e.peakRecordsPerSecond).toBe(2000);
    expect(e.shards).toBe(1);
    expect(e.shardsAtPeak).toBe(2);
    expect(estimateText(s, e).split("\n")[1]).toBe("  records/s: 1,000 on average, 2,000 at the peak");
  });
});
