// The AWS sizing formula (Kinesis Data Streams developer guide):
//   write KiB/s = average record size in KiB, rounded up to a whole KiB, × records/s
//   read KiB/s  = write KiB/s × polling consumers (enhanced fan-out consumers have their own 2 MiB/s)
//   shards      = max(write ÷ 1024, read ÷ 2048), rounded up
// every expectation computed by hand from those lines.

import { describe, expect, it } from "vitest";
import { awsSizingEstimate, billScopeText, estimateText, modeBillText, streamTraffics } from "../../src/sweep/estimate.js";
import { simulateScenario } from "../../src/run.js";
import { PRICE, PRICE_TABLES } from "../../src/aws/prices.js";
import { billOfEveryMode } from "../../src/result/modeBill.js";
import { modeBillChart } from "../../src/report/charts/modeBill.js";
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
    expect(estimateText(none, awsSizingEstimate(none))).toBe(
      "fh: no Kinesis stream to size or price: every producer writes to Firehose with Direct PUT. A run bills Firehose delivery stream d (ingestion, S3 PUTs): `shardcast run` prices it.",
    );
  });
});

describe("estimateText", () => {
  it("prints the numbers of the 2,000 records/s example", () => {
    const s = scenario([{ rate: constant("2000/s"), size: "3000B" }], { polling: 2, fanout: 1 });
    expect(estimateText(s, awsSizingEstimate(s)).split("\n")).toEqual([
      "estimate-test: the AWS sizing formula",
      "  records/s over the 10 min run: 2,000 on average, 2,000 at the peak",
      "  average record size: 3 KiB (rounded up to a whole KiB)",
      "  write: 6,000 KiB/s; read by 2 polling consumer(s): 12,000 KiB/s",
      "  shards = max(write ÷ 1024, read ÷ 2048) = 6 at the average rate, 6 at the peak",
      "  counting the 1,000 records/s per shard limit at the peak: 6",
      "The formula ignores key skew, bursts, retries and partition-key bytes; `shardcast sweep` measures them.",
    ]);
  });

  it("with a KPL producer that aggregates, says the records it counts are user records, unaggregated (helper-51)", () => {
    // 6,000 user records/s: 6 shards by the records limit, while the KPL's aggregates put far fewer Kinesis records on a shard.
    const s = ScenarioSchema.parse({
      name: "kpl-estimate",
      duration: "10m",
      stream: { shards: 4 },
      producers: [{ name: "p", client: "kpl", instances: 10, rate: constant("6000/s"), recordSize: { dist: "fixed", size: "150B" } }],
    });
    const lines = estimateText(s, awsSizingEstimate(s)).split("\n");
    expect(lines[5]).toBe("  counting the 1,000 records/s per shard limit at the peak: 6 (of user records: the KPL's aggregates put fewer Kinesis records on a shard)");
    expect(lines[6]).toBe("The formula ignores key skew, bursts, retries and partition-key bytes, and counts a KPL producer's user records unaggregated; `shardcast sweep` measures them.");
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
    expect(estimateText(s, e).split("\n")[1]).toBe("  records/s: 1,000 on average (a diurnal's own mean, over whole periods), 2,000 at the peak in the 1 h run");
  });
});

describe("the bill of every mode", () => {
  // 1,024 records/s of 1 KiB (1 MiB/s), one KCL application, 4 shards. By hand (730 h, 2,628,000 s, GB = 10^9 B):
  //   provisioned, 1 shard by the formula: $10.95 + 1,024 × 2,628,000 PUT payload units × $0.014/M = $48.63; 4 shards: $81.48
  //   On-demand Standard: $29.20 + 2,755.66 GB × ($0.08 in + $0.04 out) = $359.88
  //   On-demand Advantage: 25 MiB/s in and out billed at least: 68,891.44 GB × ($0.032 + $0.016) = $3,306.79
  //   On-demand Standard under 4 shards' $43.80 + PUT units: (43.80 − 29.20) ÷ (3.1536e-4 − 3.5929e-5) = 52,249 B/s = 51.02 KiB/s
  const s = ScenarioSchema.parse({
    name: "estimate-test",
    duration: "10m",
    stream: { shards: 4 },
    producers: [{ name: "p", client: "sdk", rate: constant("1024/s"), recordSize: { dist: "fixed", size: "1KiB" } }],
    consumers: [{ name: "app", kind: "kcl" }],
  });

  it("prints each mode's monthly bill and where the modes cross", () => {
    expect(modeBillText(s).split("\n")).toEqual([
      `estimate-test: the monthly bill of every mode at the workload's mean, 1 MiB/s (1,024 records/s of 1 KiB), steady, at price table us-east-1 of ${PRICE_TABLES["us-east-1"]!.date}`,
      "  provisioned, 1 shard (the AWS formula)     $48.63",
      "  provisioned, 4 shards (the scenario's)     $81.48",
      "  On-demand Standard                        $359.88  (data in billed at 1.00 × the data: records rounded up to 1 KiB)",
      "  On-demand Advantage                     $3,306.79  (at least the account's commitment: 25 MiB/s in and out)",
      "  On-demand Standard vs provisioned at the formula's shards: cheaper: provisioned at every throughput up to 64 MiB/s",
      "  On-demand Advantage vs provisioned at the formula's shards: cheaper: provisioned at every throughput up to 64 MiB/s",
      // 4 shards take at most 4 × 1 MiB/s of records of 1 KiB + a 36 B random key (1,060 B: 1,000 a second would be
      // 1,060,000 B/s, above 1,048,576), of which 1,024 ÷ 1,060 is data: 4,051,855.9 B/s = 3.86 MiB/s (helper-77: 3.91, 4 ×
      // 1,000 × 1 KiB, the keys left out). Their bill is compared up to there only (helper-51).
      "  On-demand Standard vs provisioned (4 shards): cheaper: On-demand Standard up to 51.02 KiB/s, provisioned (4 shards) above, up to 3.86 MiB/s, the most 4 shards take",
      "  On-demand Advantage vs provisioned (4 shards): cheaper: provisioned (4 shards) at every throughput up to 3.86 MiB/s, the most 4 shards take",
      "Steady traffic at the mean: the peak, skew and on-demand's scaling lag are not in these figures.",
      "",
      "These bills price Kinesis stream estimate-test alone (shard-hours or on-demand's stream-hours and data, PUT payload units, enhanced fan-out, retention). They leave out the rest of what a run of this scenario bills: the lease table of KCL application app (DynamoDB). `shardcast run` prices the whole bill (report.md's Monthly cost).",
    ]);
  });

  it("with three polling readers, 20 shards are compared only up to what they serve them: 20 × 2 MiB/s ÷ 3 (helper-54)", () => {
    // 20,000 records/s of 1 KiB with 36 B keys; 20 shards take 20 × 1 MiB/s × 1,024 ÷ 1,060 = 19.32 MiB/s of data, but
    // each shard's 2 MiB/s of GetRecords (records with their keys) is shared by the three applications reading all of it:
    // 40 MiB/s ÷ 3 × 1,024 ÷ 1,060 = 12.88 MiB/s of data (13.33 with the keys left out).
    const readers = (n: number) =>
      ScenarioSchema.parse({
        name: "est1",
        duration: "5m",
        stream: { name: "s", shards: 20 },
        producers: [{ name: "p", client: "sdk", rate: constant("20000/s"), recordSize: { dist: "fixed", size: "1KiB" } }],
        consumers: ["a", "b", "c"].slice(0, n).map((name) => ({ name, kind: "kcl", workers: 2 })),
      });
    const three = readers(3);
    const lines = modeBillText(three).split("\n");
    const advantage = lines.find((l) => l.includes("On-demand Advantage vs provisioned (20 shards)"))!;
    expect(advantage).toContain("up to 12.88 MiB/s, the most 20 shards serve to 3 polling readers sharing each shard's 2 MiB/s of reads");
    expect(advantage).not.toContain("19.32 MiB/s");
    // One reader: the write limits bind (1 MiB/s a shard of data and keys, under 2 MiB/s), as before.
    expect(modeBillText(readers(1))).toContain("up to 19.32 MiB/s, the most 20 shards take");
  });

  it("the partition keys count in what a shard count takes: 6 shards of 1,000 records/s of 1,024 B with 36 B keys take 5.80 MiB/s, not 5.86 (helper-77)", () => {
    // 1,060 B a record: 1,000 a second would be 1,060,000 B/s, above a shard's 1,048,576 B/s, so 1 MiB/s binds;
    // data 6 × 1,048,576 × 1,024 ÷ 1,060 = 6,077,783.9 B/s = 5.796 MiB/s. 5.86 was 6 × 1,000 × 1,024, the keys left out.
    const six = (partitionKey: unknown) =>
      ScenarioSchema.parse({
        name: "six",
        duration: "10m",
        stream: { name: "s", shards: 6 },
        producers: [{ name: "p", client: "sdk", rate: constant("1000/s"), recordSize: { dist: "fixed", size: "1024B" }, partitionKey }],
      });
    const uuid = modeBillText(six({ kind: "random", length: 36 }));
    expect(uuid).toContain("provisioned (6 shards) above, up to 5.8 MiB/s, the most 6 shards take");
    expect(uuid).not.toContain("5.86 MiB/s");
    // Zipf keys "k1".."k100", names shuffled: 1 + (9 × 1 + 90 × 2 + 1 × 3) ÷ 100 = 2.92 B a key on average, 1,026.92 B a
    // record: 1,000 a second is 1,026,920 B/s, under 1 MiB/s, so 1,000 records/s bind: 6 × 1,024,000 B/s = 5.86 MiB/s.
    expect(modeBillText(six({ kind: "zipf", keys: 100, prefix: "k" }))).toContain("up to 5.86 MiB/s, the most 6 shards take");
  });

  it("200 B records: the on-demand line says they bill 5.12 × the data", () => {
    const small = ScenarioSchema.parse({ name: "small", duration: "10m", stream: { shards: 1 }, producers: [{ name: "p", client: "sdk", rate: constant("5000/s"), recordSize: { dist: "fixed", size: "200B" } }] });
    expect(modeBillText(small)).toContain("(data in billed at 5.12 × the data: records rounded up to 1 KiB)");
  });

  // UpdateShardCount API reference (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html):
  // by default you cannot "Scale up to more than 10000 shards in a stream"; TargetShardCount: not "more than 10000 shards
  // in a stream ... unless you request a limit increase".
  const LIMIT_NOTE =
    'A provisioned stream of more than 10,000 shards needs a limit increase first: by default UpdateShardCount cannot "Scale up to more than 10000 shards in a stream" (UpdateShardCount API reference), and a scenario\'s stream.shards stops at 10,000.';

  it("an Advantage stream with 10 GiB/s of warm throughput (10,240 shards) is compared with a provisioned stream of 10,240 shards that needs a limit increase, and says so", () => {
    // 100,000 records/s of 8 KiB: 781.25 MiB/s, 782 shards by the formula; the scenario's 10,240 shards are the warm throughput's.
    const adv = ScenarioSchema.parse({
      name: "adv",
      duration: "1m",
      stream: { name: "s", mode: "on-demand-advantage", onDemand: { warmThroughput: "10GiB/s" } },
      producers: [{ name: "p", client: "sdk", rate: constant("100000/s"), recordSize: { dist: "fixed", size: "8KiB" } }],
    });
    const lines = modeBillText(adv).split("\n");
    expect(lines[1]).toMatch(/^ {2}provisioned, 782 shards \(the AWS formula\) +\$/);
    expect(lines[2]).toMatch(/^ {2}provisioned, 10,240 shards \(the scenario's; needs a limit increase\) +\$/);
    expect(lines.find((l) => l.startsWith("  On-demand Advantage vs provisioned (10,240 shards, with a limit increase): "))).toBeDefined();
    expect(lines.some((l) => l.includes("(10240 shards)"))).toBe(false);
    expect(lines).toContain(LIMIT_NOTE);
  });

  it("1,500,000 records/s of 8 KiB (11,718.75 MiB/s): the formula's 11,719 shards need a limit increase, and its comparisons say past 9.77 GiB/s (10,000 × 1 MiB/s) they do", () => {
    const big = ScenarioSchema.parse({
      name: "big",
      duration: "1m",
      stream: { name: "s", mode: "on-demand" },
      producers: [{ name: "p", client: "sdk", rate: constant("1500000/s"), recordSize: { dist: "fixed", size: "8KiB" } }],
    });
    const lines = modeBillText(big).split("\n");
    expect(lines[1]).toMatch(/^ {2}provisioned, 11,719 shards \(the AWS formula; needs a limit increase\) +\$/);
    const past = "; past 9.77 GiB/s the formula's shards are more than 10,000, a limit increase";
    // 11.44 GiB/s is past on-demand's 10 GB/s (us-east-1, Kinesis quotas and limits) too: the line says that next.
    expect(lines.find((l) => l.startsWith("  On-demand Standard vs provisioned at the formula's shards: "))).toMatch(new RegExp(`${past.replace(/[.()]/g, "\\$&")}; past 9.31 GiB/s on-demand is over its maximum`));
    expect(lines).toContain(LIMIT_NOTE);
    // Under 10,000 shards neither the note nor the remark.
    expect(modeBillText(s)).not.toContain("limit increase");
  });

  it("the chart: three lines over the throughput, the scenario's throughput marked", () => {
    const [t] = streamTraffics(s);
    const chart = modeBillChart("clicks", t!.traffic, billOfEveryMode(t!.traffic, 4), PRICE, "price table us-east-1");
    expect(chart.name).toBe("modes-clicks");
    const text = JSON.stringify(chart.spec);
    expect(text).toContain('"domain":["provisioned (AWS formula shards)","On-demand Standard","On-demand Advantage"]');
    expect(text).toContain('"label":"clicks: 1 MiB/s"');
    // 401 throughputs × 3 modes; at 1 MiB/s (x = 1, the 200th point of 0..2 MiB/s) the three bills of the text.
    const rows = (chart.spec as unknown as { data: { values: { x: number; mode: string; usd: number }[] } }).data.values;
    expect(rows).toHaveLength(1203);
    expect(rows.filter((r) => r.x === 1).map((r) => Math.round(r.usd * 100) / 100)).toEqual([48.63, 359.88, 3306.79]);
  });
});

describe("a trace's average and peak cover the same span: the run's", () => {
  // 4 periods of 1 min: 600, 1,200, 6,000 and 600 records, i.e. 10, 20, 100 and 10 records/s (the trace's own mean is
  // 8,400 / 240 s = 35/s).
  const trace = { periodUs: 60_000_000, records: [600, 1200, 6000, 600], bytes: null };
  const traced = (duration: string, repeat = false) =>
    ScenarioSchema.parse({
      name: "trace-test",
      duration,
      stream: { shards: 1 },
      producers: [{ name: "web", client: "sdk", rate: { shape: "trace", file: "t.csv", within: "even", repeat }, recordSize: { dist: "fixed", size: "1KiB" } }],
    });
  const traces = new Map([["t.csv", trace]]);

  it("a 2-minute run replays periods 1–2: 1,800 records / 120 s = 15/s on average, 20/s at the peak (not the trace's 35/s, above the peak)", () => {
    const s = traced("2m");
    const e = awsSizingEstimate(s, traces);
    expect(e.recordsPerSecond).toBe(15);
    expect(e.peakRecordsPerSecond).toBe(20);
    expect(estimateText(s, e, traces).split("\n")[1]).toBe("  records/s over the 2 min run: 15 on average, 20 at the peak");
  });

  it("a 90-second run: period 1 and half of period 2, (600 + 600) / 90 s = 13.3/s", () => {
    expect(awsSizingEstimate(traced("90s"), traces).recordsPerSecond).toBeCloseTo(1200 / 90, 9);
  });

  it("a 6-minute run of the 4-minute trace: nothing after its end (8,400 / 360 s), or the first 2 periods again when it repeats (10,200 / 360 s)", () => {
    expect(awsSizingEstimate(traced("6m"), traces).recordsPerSecond).toBeCloseTo(8400 / 360, 9);
    expect(awsSizingEstimate(traced("6m"), traces).peakRecordsPerSecond).toBe(100);
    expect(awsSizingEstimate(traced("6m", true), traces).recordsPerSecond).toBeCloseTo(10200 / 360, 9);
  });

  it("the clickstream trace × 1.5 in a 10-minute run: its first 10 minutes' records × 1.5 / 600 s", async () => {
    const { readFileSync } = await import("node:fs");
    const { parseTraceCsv } = await import("../../src/workload/trace.js");
    const text = readFileSync(new URL("../../scenarios/traces/clickstream.csv", import.meta.url), "utf8");
    const rows = text.split("\n").filter((l) => /^\d{4}-/.test(l)).map((l) => Number(l.split(",")[1]));
    const first10 = rows.slice(0, 10).reduce((a, b) => a + b, 0);
    const peak10 = Math.max(...rows.slice(0, 10));
    const s = ScenarioSchema.parse({
      name: "replay",
      duration: "10m",
      stream: { shards: 4 },
      producers: [{ name: "web", client: "sdk", rate: { shape: "trace", file: "c.csv", scale: 1.5, within: "poisson" } }],
    });
    const e = awsSizingEstimate(s, new Map([["c.csv", parseTraceCsv(text, "c.csv")]]));
    expect(e.recordsPerSecond).toBeCloseTo((first10 * 1.5) / 600, 9);
    expect(e.peakRecordsPerSecond).toBeCloseTo((peak10 * 1.5) / 60, 9);
    expect(e.recordsPerSecond).toBeLessThanOrEqual(e.peakRecordsPerSecond);
  });

  it("a trace without recordSize: the record size is the replayed periods' bytes ÷ records, not the whole trace's", () => {
    // Periods 1–2: 1,000 records of 2,000 B each minute; periods 3–4: 1,000 records of 60,000 B (the whole trace's mean
    // is 31,000 B: 31 KiB ⌈30.3⌉; the first two periods' is 2,000 B: 2 KiB ⌈1.95⌉).
    const t = { periodUs: 60_000_000, records: [1000, 1000, 1000, 1000], bytes: [2_000_000, 2_000_000, 60_000_000, 60_000_000] };
    const s = ScenarioSchema.parse({
      name: "sizes",
      duration: "2m",
      stream: { shards: 1 },
      producers: [{ name: "web", client: "sdk", rate: { shape: "trace", file: "t.csv", within: "even" } }],
    });
    const e = awsSizingEstimate(s, new Map([["t.csv", t]]));
    expect(e.averageRecordKiB).toBe(2);
    // 1,000 records a minute: 16.7 records/s of 2 KiB.
    expect(e.writeKiBPerSecond).toBeCloseTo((1000 / 60) * 2, 9);
    // A 4-minute run replays all four: (2 × 2 MB + 2 × 60 MB) ÷ 4,000 records = 31,000 B, 31 KiB rounded up.
    expect(awsSizingEstimate({ ...s, duration: 240_000_000 }, new Map([["t.csv", t]])).averageRecordKiB).toBe(31);
    // 2 min 6 s covers a tenth of period 3: (2 × 2 MB + 0.1 × 60 MB) ÷ 2,100 records = 4,762 B, 5 KiB rounded up (the
    // whole period 3 would give (4 + 60) MB ÷ 3,000 = 21,333 B, 21 KiB).
    expect(awsSizingEstimate({ ...s, duration: 126_000_000 }, new Map([["t.csv", t]])).averageRecordKiB).toBe(5);
  });
});

// `estimate` prices the streams alone and said nothing of it, while the run report's cost note sent planners to it
// (helper-94: a Lambda consumer writing to an 8,000-WCU table, run $4,904.92 a month against the estimate's $805.92 for
// the same 40 shards, the $3,796 table and $303 of Lambda left out; two transforming delivery streams, $432.96 against
// $40.30). Its bills now say what they price and name what a run bills besides.
describe("what the estimate's bills price", () => {
  const p = { name: "p", client: "sdk", rate: constant("100/s"), recordSize: { dist: "fixed", size: "1KiB" } };
  const STREAM_ITEMS = "(shard-hours or on-demand's stream-hours and data, PUT payload units, enhanced fan-out, retention)";

  it("a stream alone: all that a run bills", () => {
    const s = ScenarioSchema.parse({ name: "alone", duration: "10m", stream: { name: "s", shards: 1 }, producers: [p], consumers: [{ name: "job", kind: "flink" }] });
    expect(billScopeText(s)).toBe(`These bills price Kinesis stream s alone ${STREAM_ITEMS}: all that a run of this scenario bills.`);
    expect(modeBillText(s).endsWith(`\n\n${billScopeText(s)}`)).toBe(true);
  });

  it("helper-94's p1, a Lambda consumer writing to a DynamoDB table: the function and the table left out, named", () => {
    const s = ScenarioSchema.parse({
      name: "p1",
      duration: "10m",
      stream: { name: "orders", shards: 40 },
      producers: [p],
      consumers: [{ name: "store", kind: "lambda", startingPosition: "LATEST", sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 8000 } } }],
    });
    expect(billScopeText(s)).toBe(
      `These bills price Kinesis stream orders alone ${STREAM_ITEMS}. They leave out the rest of what a run of this scenario bills: the requests and duration of Lambda consumer store and the DynamoDB table of store's sink. \`shardcast run\` prices the whole bill (report.md's Monthly cost).`,
    );
  });

  it("helper-94's p5, two transforming delivery streams: named, with their transformations", () => {
    const transform = { results: { dropped: 0.01 } };
    const s = ScenarioSchema.parse({
      name: "p5",
      duration: "10m",
      stream: { name: "events", shards: 2 },
      producers: [p],
      firehose: [
        { name: "archive", source: "events", transform },
        { name: "warehouse", source: "events", transform, destination: { kind: "redshift" } },
      ],
    });
    expect(billScopeText(s)).toContain(": Firehose delivery streams archive and warehouse (ingestion, S3 PUTs, their Lambda transformations). `shardcast run`");
  });

  // Every kind of part at once, and a run of it: the items its bill has beyond the stream's, listed here by hand from
  // monthlyCost (src/result/cost.ts), are exactly those the estimate names.
  it("every part a run bills besides the stream is named, and a run bills no other", () => {
    const s = ScenarioSchema.parse({
      name: "all",
      seed: 1,
      duration: "2m",
      warmup: "30s",
      stream: { name: "s", shards: 1 },
      producers: [p],
      consumers: [
        { name: "app", kind: "kcl", sink: { kind: "s3" } },
        { name: "efo", kind: "fanout" },
        { name: "fn", kind: "lambda", startingPosition: "LATEST", sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 200 } } },
        { name: "search", kind: "lambda", startingPosition: "LATEST", sink: { kind: "opensearch" } },
      ],
      firehose: [
        { name: "f", source: "s", transform: {} },
        { name: "g", source: "s" },
      ],
    });
    expect(billScopeText(s)).toBe(
      `These bills price Kinesis stream s alone ${STREAM_ITEMS}. They leave out the rest of what a run of this scenario bills: the lease tables of KCL applications app and efo (DynamoDB), the requests and duration of Lambda consumers fn and search, the DynamoDB table of fn's sink, the S3 PUTs of app's sink and Firehose delivery streams f and g (ingestion, S3 PUTs, the Lambda transformation of f). \`shardcast run\` prices the whole bill (report.md's Monthly cost).`,
    );
    const stream = new Set(["shard-hours", "PUT payload units", "enhanced fan-out consumer-shard-hours", "enhanced fan-out data retrieval"]);
    const beyond = simulateScenario(s).cost.items.map((i) => i.item).filter((i) => !stream.has(i));
    expect(beyond.sort()).toEqual(
      [
        "KCL lease tables (DynamoDB)",
        "Lambda fn: requests",
        "Lambda fn: duration (GB-seconds)",
        "Lambda search: requests",
        "Lambda search: duration (GB-seconds)",
        "Sink of fn: DynamoDB table",
        "Sink of app: S3 PUT requests",
        "Firehose f: ingestion",
        "Firehose f: S3 PUT requests",
        "Firehose f: Lambda transformation",
        "Firehose g: ingestion",
        "Firehose g: S3 PUT requests",
      ].sort(),
    );
  });
});
