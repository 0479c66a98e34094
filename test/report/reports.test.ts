// verdictOf, buildReportMarkdown and buildReportJson on small RunResults built by hand, so every expected
// figure can be worked out on paper: a 2-shard stream, 110 s with 10 s of warmup (100 s of statistics), one
// SDK producer offering 1000 records/s of 1 KiB + a 36-byte key.
import { afterEach, describe, expect, it, vi } from "vitest";
import { LIMITS_VERSION } from "../../src/aws/limits.js";
import type { ShardResult } from "../../src/result/runResult.js";
import { buildReportJson, reportJsonText } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { verdictOf } from "../../src/report/verdict.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE, peak, producer, runResult, shard } from "./runResultFixture.js";

/** Three shards: A unthrottled but nearly full, B and C throttled equally, C with the busier peak second. */
function threeShards(): ShardResult[] {
  return [
    shard(0, { peakOffered: peak(30, 950, 1_000) }),
    shard(1, { throttledRecords: 5, throttledByRecordLimit: 5, peakOffered: peak(31, 500, 1_000) }),
    shard(2, { throttledRecords: 5, throttledByRecordLimit: 5, peakOffered: peak(32, 700, 1_000) }),
  ];
}

// ---------------------------------------------------------------------------------------------------------

describe("verdictOf", () => {
  it("writeThrottledPercent ≤ 0.1 is met at exactly 0.1% (100 of 100,000 attempts throttled)", () => {
    const v = verdictOf(runResult({ slo: { writeThrottledPercent: 0.1 }, producers: [producer({ throttledAttempts: 100 })] }));
    expect(v.writeThrottledPercent).toBe(0.1);
    expect(v.slos).toEqual([{ name: "writeThrottledPercent", description: "put attempts throttled", unit: "%", target: 0.1, actual: 0.1, met: true }]);
    expect(v.slosMet).toBe(true);
  });

  it("writeThrottledPercent ≤ 0.1 is missed at 101 of 100,000 attempts (0.101%)", () => {
    const v = verdictOf(runResult({ slo: { writeThrottledPercent: 0.1 }, producers: [producer({ throttledAttempts: 101 })] }));
    expect(v.slos[0]!.actual).toBeCloseTo(0.101, 15);
    expect(v.slos[0]!.met).toBe(false);
    expect(v.slosMet).toBe(false);
  });

  it("recordsLostPercent ≤ 0.05 is met at 50 of 100,000 offered and missed at 51", () => {
    const at = (lost: number) => verdictOf(runResult({ slo: { recordsLostPercent: 0.05 }, producers: [producer({ lostAfterWarmup: lost })] })).slos[0]!;
    expect(at(50)).toMatchObject({ name: "recordsLostPercent", actual: 0.05, met: true });
    expect(at(51).met).toBe(false);
  });

  it("a missed recordsLostPercent lists the producers' reasons after warmup, as its share counts them", () => {
    // helper-41: 89,179 records throttled past retries in a warmup spike were listed first, as if they made the share.
    const s = verdictOf(
      runResult({
        slo: { recordsLostPercent: 0 },
        producers: [
          producer({
            lostAfterWarmup: 6,
            lost: { throttledPastRetries: 89_179, tooLarge: 6, expiredKplTtl: 0, failedThrottled: 0 },
            lostAfterWarmupByReason: { throttledPastRetries: 0, tooLarge: 6, expiredKplTtl: 0, failedThrottled: 0 },
          }),
        ],
      }),
    ).slos[0]!;
    expect(s.met).toBe(false);
    expect(s.cause).toEqual({ kind: "lost", reasons: { tooLarge: 6 } });
    expect(s.why).toBe("after warmup, 6 larger than the record size limit where they were written (the stream's maxRecordSize, partition key included, or Firehose's 1,000 KiB with Direct PUT)");
  });

  it("helper-41's run: a spike in the warmup loses 89,179 records past retries, records over 1 MiB after it; the reasons are the latter's", () => {
    const r = simulateScenario(
      scenarioOf({
        name: "l1-lost",
        seed: 3,
        duration: "5m",
        warmup: "1m",
        stream: { name: "s", shards: 1 },
        producers: [
          { name: "spiky", client: "sdk", instances: 2, rate: { shape: "spikes", base: "300/s", spikes: [{ at: "10s", for: "30s", value: "4000/s" }] }, recordSize: { dist: "fixed", size: "200B" }, retry: { maxAttempts: 2 } },
          { name: "big", client: "sdk", instances: 1, rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "lognormal", median: "300KiB", p99: "1200KiB" } },
        ],
        slo: { recordsLostPercent: 0.001 },
      }),
    );
    const [spiky, big] = r.producers;
    // The spike's losses are all in the warmup; the large records' are spread over the run.
    expect(spiky!.lost.throttledPastRetries).toBeGreaterThan(10_000);
    expect(spiky!.lostAfterWarmupByReason.throttledPastRetries).toBe(0);
    expect(big!.lostAfterWarmupByReason.tooLarge).toBe(big!.lostAfterWarmup);
    expect(big!.lostAfterWarmup).toBeGreaterThan(0);
    expect(big!.lostAfterWarmup).toBeLessThan(big!.lost.tooLarge);
    const s = verdictOf(r).slos[0]!;
    expect(s.met).toBe(false);
    expect(s.cause).toEqual({ kind: "lost", reasons: { tooLarge: big!.lostAfterWarmup } });
  });

  it("recordsLostPercent ≤ 0 is met with nothing lost and missed with one record lost", () => {
    const at = (lost: number) => verdictOf(runResult({ slo: { recordsLostPercent: 0 }, producers: [producer({ lostAfterWarmup: lost })] })).slos[0]!.met;
    expect([at(0), at(1)]).toEqual([true, false]);
  });

  it("putLatencyP99 ≤ 250ms is met at p99 = 250,000 µs and missed at 250,001 µs; target and actual are in ms", () => {
    const at = (p99: number) => verdictOf(runResult({ slo: { putLatencyP99: "250ms" }, putLatency: { p99 } })).slos[0]!;
    expect(at(250_000)).toEqual({ name: "putLatencyP99", description: "put latency p99", unit: "ms", target: 250, actual: 250, met: true });
    expect(at(250_001)).toMatchObject({ actual: 250.001, met: false });
  });

  it("putLatencyP50 and putLatencyP999 compare p50 and p99.9", () => {
    const v = verdictOf(runResult({ slo: { putLatencyP50: "20ms", putLatencyP999: "149ms" } }));
    expect(v.slos.map((s) => [s.name, s.actual, s.met])).toEqual([
      ["putLatencyP50", 20, true],
      ["putLatencyP999", 150, false],
    ]);
  });

  it("SLOs are listed in a fixed order and slosMet is false when any one is missed", () => {
    const v = verdictOf(
      runResult({ slo: { putLatencyP99: "1s", recordsLostPercent: 1, writeThrottledPercent: 0 }, producers: [producer({ throttledAttempts: 1 })] }),
    );
    expect(v.slos.map((s) => [s.name, s.met])).toEqual([
      ["writeThrottledPercent", false],
      ["recordsLostPercent", true],
      ["putLatencyP99", true],
    ]);
    expect(v.slosMet).toBe(false);
  });

  it("slosMet is null when the scenario states no SLOs", () => {
    const v = verdictOf(runResult());
    expect(v.slos).toEqual([]);
    expect(v.slosMet).toBeNull();
  });

  it("writeThrottledPercent and recordsLostPercent add up over producers: 100 of 10,000 attempts is 1%, 3 of 300 offered is 1%", () => {
    const v = verdictOf(
      runResult({
        producers: [
          producer({ name: "a", attempts: 1_000, throttledAttempts: 30, offeredAfterWarmup: 100, lostAfterWarmup: 1 }),
          producer({ name: "b", attempts: 9_000, throttledAttempts: 70, offeredAfterWarmup: 200, lostAfterWarmup: 2 }),
        ],
      }),
    );
    expect(v.writeThrottledPercent).toBe(1);
    expect(v.recordsLostPercent).toBe(1);
  });

  it("streamUtilisation is offered per second over the stream's capacity: records 100,000/100 s/2,000 = 0.5, bytes 1,060,000/2 MiB", () => {
    const v = verdictOf(runResult());
    expect(v.streamUtilisation.records).toBeCloseTo(0.5, 15);
    expect(v.streamUtilisation.bytes).toBeCloseTo(1_060_000 / 2_097_152, 15);
  });

  it("the binding limit is shard write records when throttledByRecordLimit (30 + 10) > throttledByByteLimit (5)", () => {
    const v = verdictOf(
      runResult({
        shards: [
          shard(0, { throttledRecords: 35, throttledByRecordLimit: 30, throttledByByteLimit: 5 }),
          shard(1, { throttledRecords: 10, throttledByRecordLimit: 10 }),
        ],
      }),
    );
    expect(v.binding).toEqual({ limit: "shard write records", throttling: true, throttledByRecords: 40, throttledByBytes: 5, shardsThrottled: 2 });
  });

  it("the binding limit is shard write bytes when throttledByByteLimit (12) > throttledByRecordLimit (3)", () => {
    const v = verdictOf(runResult({ shards: [shard(0, { throttledRecords: 15, throttledByRecordLimit: 3, throttledByByteLimit: 12 }), shard(1)] }));
    expect(v.binding).toEqual({ limit: "shard write bytes", throttling: true, throttledByRecords: 3, throttledByBytes: 12, shardsThrottled: 1 });
  });

  it("without throttling the binding limit is the one nearer its limit in the busiest peak second of any shard (900 rec = 0.9 vs 500,000 B = 0.48)", () => {
    // The stream as a whole leans the other way (bytes 0.505 > records 0.5): the busiest second decides.
    const v = verdictOf(runResult({ shards: [shard(0, { peakOffered: peak(40, 900, 500_000) }), shard(1)] }));
    expect(v.binding.throttling).toBe(false);
    expect(v.binding.limit).toBe("shard write records");
    // Also when another shard is hotter by demand, its busiest second leaning to bytes (0.8 vs 0.5).
    const other = shard(1, { demand: { records: 60_000, bytes: 80_000_000, utilisation: 0.8 }, peakOffered: peak(41, 500, 838_861) });
    const w = verdictOf(runResult({ shards: [shard(0, { peakOffered: peak(40, 900, 500_000) }), other] }));
    expect(w.hottestShard!.index).toBe(1);
    expect(w.binding.limit).toBe("shard write records");
  });

  it("without throttling the binding limit is shard write bytes when the busiest peak second is 800 rec (0.8) and 900,000 B (0.86)", () => {
    const v = verdictOf(runResult({ shards: [shard(0, { peakOffered: peak(40, 800, 900_000) }), shard(1)] }));
    expect(v.binding.limit).toBe("shard write bytes");
  });

  it("with no traffic in any shard's statistics window the binding limit falls back to the stream's utilisation (bytes 0.505 > records 0.5)", () => {
    const v = verdictOf(runResult({ shards: [shard(0, { peakOffered: peak(-1, 0, 0) }), shard(1, { peakOffered: peak(-1, 0, 0) })] }));
    expect(v.hottestShard!.peakOffered.at).toBe(-1);
    expect(v.binding.limit).toBe("shard write bytes");
  });

  it("the hottest shard: throttled before not, then by demand (equal here), throttled attempts, peak utilisation (C: 5 throttled, 0.7 beats B: 5, 0.5 and A: 0, 0.95)", () => {
    const v = verdictOf(runResult({ shards: threeShards() }));
    expect(v.hottestShard).toEqual({ index: 2, id: "shardId-000000000002", expectedShare: 0.5, throttledRecords: 5, peakOffered: peak(32, 700, 1_000), demand: shard(2).demand });
  });

  it("with no throttling the hottest shard has the highest peak utilisation, the first of equals (0.6, 0.9, 0.9 → index 1)", () => {
    const v = verdictOf(
      runResult({ shards: [shard(0, { peakOffered: peak(5, 600, 0) }), shard(1, { peakOffered: peak(6, 900, 0) }), shard(2, { peakOffered: peak(7, 900, 0) })] }),
    );
    expect(v.hottestShard!.index).toBe(1);
  });

  it("a stream with no shards has no hottest shard", () => {
    const r = runResult();
    expect(verdictOf({ ...r, shards: [], streams: r.streams.map((s) => ({ ...s, shards: [] })) }).hottestShard).toBeNull();
  });
});

describe("buildReportMarkdown", () => {
  const lines = (md: string) => md.split("\n");
  const firstTable = (md: string) => lines(md).findIndex((l) => l.startsWith("|"));

  it("starts with the title, then the verdict line, before any table", () => {
    const md = buildReportMarkdown(runResult({ slo: { writeThrottledPercent: 0.1, recordsLostPercent: 0, putLatencyP99: "250ms" } }), PROVENANCE);
    expect(lines(md).slice(0, 3)).toEqual(["# shardcast report: unit-test", "", "**Verdict: all 3 SLOs met.**"]);
    expect(firstTable(md)).toBeGreaterThan(2);
  });

  it("puts the scenario description between the title and the verdict", () => {
    const md = buildReportMarkdown(runResult({ description: "Is 2 shards enough?\n" }), PROVENANCE);
    expect(lines(md).slice(0, 5)).toEqual([
      "# shardcast report: unit-test",
      "",
      "Is 2 shards enough?",
      "",
      "**Verdict: no SLOs stated** (add an `slo:` section to get a go/no-go).",
    ]);
  });

  it("names the missed SLOs in the verdict line", () => {
    const md = buildReportMarkdown(
      runResult({ slo: { writeThrottledPercent: 0.1, putLatencyP99: "250ms" }, producers: [producer({ throttledAttempts: 101 })], putLatency: { p99: 300_000 } }),
      PROVENANCE,
    );
    expect(lines(md)[2]).toBe("**Verdict: 2 of 2 SLOs missed** (put attempts throttled, put latency p99).");
  });

  it("states the binding limit right after the verdict when writes were throttled", () => {
    const md = buildReportMarkdown(
      runResult({ shards: [shard(0, { throttledRecords: 15, throttledByRecordLimit: 3, throttledByByteLimit: 12 }), shard(1)], producers: [producer({ throttledAttempts: 15 })] }),
      PROVENANCE,
    );
    const bullet = lines(md)[4]!;
    expect(bullet).toContain("Writes throttled: 0.015% of put attempts, on 1 of 2 shards.");
    expect(bullet).toContain("Binding limit: **shard write bytes (1 MiB/s per shard, partition keys included)** (3 attempts throttled by the record limit, 12 by the byte limit).");
    expect(lines(md).findIndex((l) => l.includes("Binding limit"))).toBeLessThan(firstTable(md));
  });

  it("states the limit closest to binding when nothing was throttled", () => {
    const md = buildReportMarkdown(runResult({ shards: [shard(0, { peakOffered: peak(40, 900, 500_000) }), shard(1)] }), PROVENANCE);
    expect(lines(md)[4]).toBe("- No write throttling. The limit closest to binding: **shard write records (1,000 records/s per shard)**.");
  });

  it("describes the hottest shard's peak second: clock time, records, bytes and share of its limit", () => {
    const md = buildReportMarkdown(runResult({ shards: threeShards() }), PROVENANCE);
    const line = lines(md).find((l) => l.startsWith("- Hottest shard:"))!;
    expect(line).toContain("**shardId-000000000002** (50.00% of the traffic by key routing; an even spread would be 33.33%)");
    expect(line).toMatch(/peak second, at 0:00:32, \w+ 700 [\w ]+ and 1000 B\b.*: 70\.0% of its limit\./);
    expect(line).toContain(" 5 put attempts throttled there.");
  });

  it("gives the stream's mean utilisation after warmup: 50.0% of records, 50.5% of bytes", () => {
    const md = buildReportMarkdown(runResult(), PROVENANCE);
    expect(md).toContain("ran at 50.0% of its record capacity and 50.5% of its byte capacity");
  });

  it("lists every shard up to 16 shards and the 10 hottest beyond", () => {
    const few = buildReportMarkdown(runResult(), PROVENANCE);
    expect(few).toContain("## Shards\n");
    const many = Array.from({ length: 20 }, (_, i) => shard(i, { expectedShare: 0.05, throttledRecords: i, throttledByRecordLimit: i }));
    const md = buildReportMarkdown(runResult({ shards: many }), PROVENANCE);
    expect(md).toContain("## Hottest shards (10 of 20)");
    const rows = lines(md).filter((l) => l.startsWith("| shardId-"));
    expect(rows).toHaveLength(10);
    expect(rows[0]!.startsWith("| shardId-000000000019 |")).toBe(true);
  });

  it("is the same text for the same RunResult", () => {
    expect(buildReportMarkdown(runResult({ shards: threeShards() }), PROVENANCE)).toBe(buildReportMarkdown(runResult({ shards: threeShards() }), PROVENANCE));
  });
});

describe("buildReportJson", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function keysOf(value: unknown, path = "$", out: string[] = []): string[] {
    if (Array.isArray(value)) value.forEach((v, i) => keysOf(v, `${path}[${i}]`, out));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        out.push(`${path}.${k}`);
        keysOf(v, `${path}.${k}`, out);
      }
    }
    return out;
  }

  function stringsOf(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => stringsOf(v, out));
    else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => stringsOf(v, out));
    return out;
  }

  it("has no key that names a time or date (no wall-clock fields)", () => {
    const json = buildReportJson(runResult({ slo: { putLatencyP99: "250ms" }, shards: threeShards() }), PROVENANCE);
    const keys = keysOf(json);
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((k) => /time|date/i.test(k.split(".").at(-1)!))).toEqual([]);
  });

  it("has no date-like string except LIMITS_VERSION and the price table's date, which name the tables' revisions (constants, not the run's clock)", () => {
    const json = buildReportJson(runResult(), PROVENANCE);
    const dated = stringsOf(json).filter((s) => /\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}/.test(s));
    expect(dated).toEqual([LIMITS_VERSION, json.monthlyCost.priceTable.compiled]);
  });

  it("JSON.stringify(buildReportJson(r)) is identical for two calls, and for two RunResults built alike", () => {
    const r = runResult({ slo: { writeThrottledPercent: 0.1 }, shards: threeShards() });
    const a = JSON.stringify(buildReportJson(r, PROVENANCE));
    expect(JSON.stringify(buildReportJson(r, PROVENANCE))).toBe(a);
    expect(JSON.stringify(buildReportJson(runResult({ slo: { writeThrottledPercent: 0.1 }, shards: threeShards() }), PROVENANCE))).toBe(a);
  });

  it("reportJsonText is the same whatever the system clock says", () => {
    const r = runResult({ shards: threeShards() });
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2001-02-03T04:05:06Z"));
    const early = reportJsonText(r, PROVENANCE);
    vi.setSystemTime(new Date("2049-12-31T23:59:59Z"));
    expect(reportJsonText(r, PROVENANCE)).toBe(early);
  });

  it("does not modify the RunResult", () => {
    const r = runResult({ shards: threeShards() });
    const before = structuredClone(r);
    buildReportJson(r, PROVENANCE);
    buildReportMarkdown(r, PROVENANCE);
    expect(r).toEqual(before);
  });

  it("carries the verdict: binding limit, hottest shard, and hottest shards ordered by throttling, demand (equal here), then peak utilisation", () => {
    const json = buildReportJson(runResult({ shards: threeShards() }), PROVENANCE);
    expect(json.verdict!.bindingLimit).toBe("shard write records");
    expect(json.verdict!.hottestShard).toEqual({
      id: "shardId-000000000002",
      expectedShare: 0.5,
      throttledRecords: 5,
      peakOffered: { atSeconds: 32, records: 700, bytes: 1_000, utilisation: 0.7 },
      demand: { records: 50_000, bytes: 53_000_000, utilisation: 0.505447 },
    });
    expect(json.hottestShards).toEqual(["shardId-000000000002", "shardId-000000000001", "shardId-000000000000"]);
  });

  it("reports the stream after warmup: totals over shards, mean utilisation rounded to 6 significant digits", () => {
    const json = buildReportJson(runResult(), PROVENANCE);
    expect(json.run).toMatchObject({ durationSeconds: 110, warmupSeconds: 10, statisticsSeconds: 100, resolutionSeconds: 10 });
    expect(json.stream!.afterWarmup).toEqual({
      incomingRecords: 100_000,
      incomingBytes: 106_000_000,
      throttledRecords: 0,
      writeThrottledPercent: 0,
      recordsLostPercent: 0,
      meanUtilisation: { records: 0.5, bytes: 0.505447 }, // 1,060,000 / 2,097,152 = 0.50544738…
      perShardRecordsPerSecond: { min: 500, median: 500, p90: 500, max: 500 }, // 50,000 records each over 100 s
      throttledByRecordLimit: 0,
      throttledByByteLimit: 0,
    });
  });

  it("gives each shard its incoming records per second over the 100 s of statistics (50,000 → 500)", () => {
    const json = buildReportJson(runResult(), PROVENANCE) as { shards: { incomingRecordsPerSecond: number; peakOffered: { atSeconds: number | null } }[] };
    expect(json.shards.map((s) => s.incomingRecordsPerSecond)).toEqual([500, 500]);
    expect(json.shards.map((s) => s.peakOffered.atSeconds)).toEqual([20, 21]);
  });

  it("writes a peak second that never happened as atSeconds null", () => {
    const json = buildReportJson(runResult({ shards: [shard(0, { peakOffered: peak(-1, 0, 0) }), shard(1)] }), PROVENANCE) as {
      shards: { peakOffered: { atSeconds: number | null } }[];
    };
    expect(json.shards[0]!.peakOffered.atSeconds).toBeNull();
  });

  it("series start times are i × resolution in seconds", () => {
    const json = buildReportJson(runResult(), PROVENANCE) as { series: { startSeconds: number[] } };
    expect(json.series.startSeconds).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe("recordsLostPercent counts the applications' losses after warmup, as it counts the producers' offers (helper-42)", () => {
  // A KCL application writes every record to a 100-WCU DynamoDB table with one try an emit: the sink loses what the
  // table refuses, from the first flush on. With a 3-minute warmup the whole-run losses over the after-warmup offers
  // passed what the sink lost after it (helper-42 saw 126.66%).
  const r = simulateScenario(
    scenarioOf({
      name: "sink-loss",
      seed: 3,
      duration: "5m",
      warmup: "3m",
      stream: { name: "s", shards: 1 },
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "500B" } }],
      consumers: [{ name: "k", kind: "kcl", workers: 1, processing: { perRecord: "0.1ms" }, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 100 }, retry: { limit: 1 } } }],
      slo: { recordsLostPercent: 0 },
    }),
  );
  const sk = r.sinks[0]!;
  const lostAfter = sk.afterWarmup.lost.retriesExhausted + sk.afterWarmup.lost.gaveUp + sk.afterWarmup.lost.expired;
  const s = verdictOf(r).slos[0]!;

  it("the share is the sink's losses after warmup over the producers' offers after warmup, at most 100%", () => {
    expect(lostAfter).toBeGreaterThan(0);
    expect(lostAfter).toBeLessThan(sk.accounting.lost.retriesExhausted + sk.accounting.lost.gaveUp + sk.accounting.lost.expired);
    expect(s.actual).toBeCloseTo((100 * lostAfter) / r.producers[0]!.offeredAfterWarmup, 9);
    expect(s.actual).toBeLessThanOrEqual(100);
    expect(s.cause).toEqual({ kind: "lost", reasons: { sinkRetriesExhausted: sk.afterWarmup.lost.retriesExhausted } });
    expect(s.why).toMatch(/^after warmup, [\d,]+ /);
  });
});
