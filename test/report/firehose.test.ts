// The Firehose parts of the verdict, report.md, report.json and the sweep metrics, on a delivery stream
// result built by hand (110 s with 10 s of warmup: 100 s of statistics), so every figure can be worked out
// on paper.
import { describe, expect, it } from "vitest";
import type { FirehoseResult, RunResult } from "../../src/result/runResult.js";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { flushEvery, verdictOf } from "../../src/report/verdict.js";
import type { ScenarioInput } from "../../src/spec/index.js";
import { reasonsOf } from "../../src/sweep/summary.js";
import { CDF, MiB, PROVENANCE, S, latency, noStages, producer, runResult } from "./runResultFixture.js";

const points = 11; // 110 s at 10 s steps
const zeros = () => Array.from({ length: points }, () => 0);
/** A series with `value` at the given steps. */
const at = (steps: number[], value = 1) => zeros().map((_, i) => (steps.includes(i) ? value : 0));

/**
 * archive: reads the stream `clicks`, a Lambda, S3 with 64 MiB / 300 s hints. After warmup 100,000 records
 * (1,000/s) came in and 95,000 were delivered; 3 flushes by size (steps 2, 5, 8) and 1 by interval (step 10).
 * Whole run: 110,000 in = 104,000 delivered + 1,000 in the buffer + 4,000 dropped + 500 processing-failed +
 * 500 expired.
 */
function archive(over: Partial<FirehoseResult> = {}): FirehoseResult {
  return {
    name: "archive",
    source: "clicks",
    destination: "s3",
    buffer: { sizeBytes: 64 * MiB, intervalUs: 300 * S, raisedToBytes: 64 * MiB },
    accounting: {
      in: 110_000,
      delivered: 104_000,
      inside: { transform: 0, buffer: 1_000, destination: 0 },
      overdue: 0,
      droppedByTransform: 4_000,
      processingFailed: 500,
      gaveUp: 0,
      expired: 500,
      balanced: true,
    },
    incoming: { records: 100_000, bytes: 100_000_000, billedBytes: 512_000_000 },
    delivered: { records: 95_000, bytes: 120_000_000 },
    notDelivered: 500,
    notDeliveredByReason: { processingFailed: 500, gaveUp: 0, expired: 0, overdueAtEnd: 0 },
    directPut: null,
    sourceRead: { read: 110_000, unread: 0, expiredUnread: 0, getRecordsCalls: 200, throttledCalls: 0, bytesRead: 110_000_000 },
    flushes: { size: 3, interval: 1 },
    objects: { count: 4, bytes: latency({ count: 4, mean: 64 * MiB, p50: 64 * MiB + 50, p90: 64 * MiB + 50, p99: 64 * MiB + 50, max: 64 * MiB }), records: latency({ count: 4, mean: 30_000, p50: 30_000, p90: 30_000, p99: 30_000, max: 30_000 }) },
    failedAttempts: 0,
    copies: { count: 0, objects: 0 },
    splitRequests: 0,
    deliveryLatency: latency({ count: 95_000, p50: 50 * S, p99: 95 * S, max: 98 * S }),
    atEnd: { censored: 0, overdue: 0, unread: 0 },
    stages: noStages(["beforeFirehose", "transform", "buffer", "bufferRaised", "bufferHeld", "destination"] as const),
    deliveryLatencyCdf: CDF,
    maxDataFreshness: 97 * S,
    maxUndeliveredAge: 97 * S,
    transform: {
      concurrency: 5,
      concurrencySteps: [{ atUs: 0, concurrency: 5 }],
      invocations: 120,
      failedInvocations: 0,
      failedInvocationsBy: { timeout: 0, payload: 0, fault: 0 },
      retries: 0,
      ok: 105_500,
      dropped: 4_000,
      processingFailed: 500,
      failedBatches: 0,
      failedBatchRecords: 0,
      failedBatchRecordsBy: { timeout: 0, payload: 0, fault: 0 },
      meanDurationUs: 450_000,
      maxRunning: 1,
    },
    series: {
      incomingRecords: zeros(),
      incomingBytes: zeros(),
      deliveredRecords: zeros(),
      flushesBySize: at([2, 5, 8]),
      flushesByInterval: at([10]),
      notDeliveredRecords: zeros(),
      bufferBytes: zeros(),
      destinationBytes: zeros(),
      sizeInForceBytes: zeros().map(() => 64 * MiB),
      dataFreshness: zeros(),
      undeliveredAge: zeros(),
      throttledRecords: zeros(),
    },
    ...over,
  };
}

const FIREHOSE_SCENARIO: Partial<ScenarioInput> = {
  firehose: [{ name: "archive", source: "clicks", buffer: { size: "64MiB", interval: "300s" }, destination: { kind: "s3" } }],
};

function withArchive(slo: ScenarioInput["slo"] = {}, over: Partial<FirehoseResult> = {}): RunResult {
  return runResult({ slo, scenario: FIREHOSE_SCENARIO, firehose: [archive(over)] });
}

describe("the Firehose verdict", () => {
  it("the hint that triggered most flushes binds (3 by size of 4), and flushes come every (100 − 20) s ÷ 3 = 26.7 s after warmup", () => {
    const r = withArchive();
    const [f] = verdictOf(r).firehose;
    expect(f!.binds).toBe("size");
    expect(flushEvery(r, r.firehose[0]!)).toBeCloseTo(80_000_000 / 3, 0);
    expect(f!.incomingRecordsPerSecond).toBe(1_000);
    expect(f!.deliveredRecordsPerSecond).toBe(950);
    // 500 of the 100,000 that came in after warmup.
    expect(f!.notDeliveredPercent).toBeCloseTo(0.5, 12);
  });

  it("interval binds when it triggers more flushes; nothing flushed binds nothing; one flush gives no rhythm", () => {
    const interval = verdictOf(withArchive({}, { flushes: { size: 1, interval: 2 } })).firehose[0]!;
    expect(interval.binds).toBe("interval");
    const none = withArchive({}, { flushes: { size: 0, interval: 0 }, series: { ...archive().series, flushesBySize: zeros(), flushesByInterval: zeros() } });
    expect(verdictOf(none).firehose[0]!.binds).toBeNull();
    expect(verdictOf(none).firehose[0]!.flushEveryUs).toBeNull();
    const one = withArchive({}, { series: { ...archive().series, flushesBySize: at([4]), flushesByInterval: zeros() } });
    expect(verdictOf(one).firehose[0]!.flushEveryUs).toBeNull();
    // Flushes during warmup (step 0) do not count toward the rhythm.
    const warm = withArchive({}, { series: { ...archive().series, flushesBySize: at([0, 3, 6]), flushesByInterval: zeros() } });
    expect(verdictOf(warm).firehose[0]!.flushEveryUs).toBe(30 * S);
  });

  it("deliveryP99 ≤ 95 s is met at p99 = 95,000,000 µs and missed one µs later; target and actual in ms", () => {
    const met = verdictOf(withArchive({ deliveryP99: "95s" })).slos.find((s) => s.name === "deliveryP99")!;
    expect(met).toMatchObject({ target: 95_000, actual: 95_000, met: true, unit: "ms" });
    const late = latency({ count: 95_000, p50: 50 * S, p99: 95 * S + 1, max: 98 * S });
    expect(verdictOf(withArchive({ deliveryP99: "95s" }, { deliveryLatency: late })).slos.find((s) => s.name === "deliveryP99")!.met).toBe(false);
  });

  it("dataFreshness ≤ 97 s is met at 97 s of DataFreshness and missed at 96 s", () => {
    expect(verdictOf(withArchive({ dataFreshness: "97s" })).slos.find((s) => s.name === "dataFreshness")).toMatchObject({ target: 97_000, actual: 97_000, met: true });
    expect(verdictOf(withArchive({ dataFreshness: "96s" })).slos.find((s) => s.name === "dataFreshness")!.met).toBe(false);
  });

  it("firehoseNotDeliveredPercent ≤ 0.5 is met at 500 of 100,000 and missed at ≤ 0.4; the worst delivery stream counts", () => {
    expect(verdictOf(withArchive({ firehoseNotDeliveredPercent: 0.5 })).slosMet).toBe(true);
    expect(verdictOf(withArchive({ firehoseNotDeliveredPercent: 0.4 })).slosMet).toBe(false);
    const two = runResult({
      slo: { firehoseNotDeliveredPercent: 0.5 },
      scenario: { firehose: [...FIREHOSE_SCENARIO.firehose!, { name: "copy", source: "clicks", destination: { kind: "s3" } }] },
      firehose: [archive(), archive({ name: "copy", notDelivered: 600 })],
    });
    expect(verdictOf(two).slos.find((s) => s.name === "firehoseNotDeliveredPercent")).toMatchObject({ actual: 0.6, met: false });
    expect(reasonsOf(two, verdictOf(two))).toEqual([{ slo: "firehoseNotDeliveredPercent", reason: "delivery stream copy: records not delivered", kind: "delivery stream copy: records not delivered" }]);
  });

  it("the sweep names the delivery streams behind a missed Firehose SLO", () => {
    const r = withArchive({ deliveryP99: "60s", dataFreshness: "120s" });
    expect(reasonsOf(r, verdictOf(r))).toEqual([{ slo: "deliveryP99", reason: "delivery stream archive: delivery latency p99", kind: "delivery stream archive: delivery latency p99" }]);
  });

  it("a sentence: object size and rhythm, the binding hint, p99, DataFreshness, what was not delivered and why, and what is still on its way", () => {
    expect(verdictOf(withArchive()).firehose[0]!.explanation).toBe(
      "Delivery stream archive delivers objects of ~64 MiB every ~26.7 s (the size hint binds: 3 of 4 flushes; a best case: Firehose may deliver smaller ones), delivery p99 95 s, DataFreshness at most 97 s; " +
        "500 records not delivered (0.500% of those that came in after warmup); over the whole run 500 to processing-failed/ (failed by the transformation), " +
        "500 lost: S3 deliveries kept failing past the retention; 4,000 dropped by the transformation on purpose; 1,000 still on their way at the end, none overdue.",
    );
    // 400 of the 1,000 inside at the end overdue: the sentence parts them.
    const overdue = withArchive({}, { accounting: { ...archive().accounting, overdue: 400 } });
    expect(verdictOf(overdue).firehose[0]!.explanation).toMatch(
      /; 1,000 still inside at the end: 600 on their way, 400 overdue \(in longer than the delivery stream takes for them when it keeps up: its buffer intervals, its transformation's invocation, and the destination's own time for the put, bulk request or COPY under way that holds them or that they wait behind\)\.$/,
    );
  });
});

describe("Direct PUT producers", () => {
  const direct: Partial<ScenarioInput> = {
    producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "logs" }],
    firehose: [{ name: "logs", source: "direct-put", destination: { kind: "s3" } }],
  };
  const quotas = { records: 500_000, requests: 2_000, bytes: 5 * MiB };
  // 20 of the producer's 1,000 put attempts throttled by the delivery stream's quotas.
  const r = runResult({
    slo: { writeThrottledPercent: 1 },
    scenario: direct,
    producers: [producer({ attempts: 1_000, throttledAttempts: 20 })],
    firehose: [archive({ name: "logs", source: "direct-put", sourceRead: null, directPut: { offered: 1_000, throttled: 20, calls: 10, throttledCalls: 1, quotas } })],
  });

  it("their throttled puts are judged by writeThrottledPercent (2% > 1%) but do not load the Kinesis stream", () => {
    const v = verdictOf(r);
    expect(v.streamWritten).toBe(false);
    expect(v.writeThrottledPercent).toBe(0);
    expect(v.putThrottledPercent).toBe(2);
    expect(v.streamUtilisation.records).toBe(0);
    expect(v.slos[0]).toMatchObject({ name: "writeThrottledPercent", description: "put attempts throttled (Direct PUT)", actual: 2, met: false });
    expect(reasonsOf(r, v)).toEqual([{ slo: "writeThrottledPercent", reason: "delivery stream logs: Direct PUT quotas", kind: "delivery stream logs: Direct PUT quotas" }]);
  });

  it("report.md says nobody writes to the stream instead of describing its shards' load", () => {
    const md = buildReportMarkdown(r, PROVENANCE);
    expect(md).toContain("- No producer writes to the Kinesis stream clicks: every producer writes to a Firehose delivery stream (Direct PUT), and 2.000% of those put attempts were throttled by its quotas.");
    expect(md).not.toContain("- Hottest shard:");
    expect(md).toContain("| Direct PUT throttled | 2.000% of the put attempts, retries included (20 of 1,000; 1 of 10 calls) |");
    expect(buildReportJson(r, PROVENANCE).stream.written).toBe(false);
  });

  it("a share of put attempts is called one, not a share of the records offered (helper-57's 11)", () => {
    // 1 MiB/s of quota against 1,200 records/s of 1 KiB: 892,996 attempts after warmup, retries included, 462,916 of
    // them throttled: 462,916 ÷ 892,996 = 51.84% of the attempts. Direct PUT counts attempts, not distinct records, so
    // the share of the records offered is not in the data and no sentence may claim it.
    const slow = { records: 500_000, requests: 2_000, bytes: MiB };
    const run = runResult({
      scenario: direct,
      producers: [producer({ attempts: 892_996, throttledAttempts: 462_916 })],
      firehose: [archive({ name: "logs", source: "direct-put", sourceRead: null, directPut: { offered: 892_996, throttled: 462_916, calls: 1_000, throttledCalls: 600, quotas: slow } })],
    });
    const explanation = verdictOf(run).firehose[0]!.explanation;
    expect(explanation).toContain("; Direct PUT throttled 51.84% of the put attempts, retries included (quotas 1 MiB/s, 500,000 records/s, 2,000 requests/s).");
    expect(explanation).not.toContain("records offered");
    expect(buildReportMarkdown(run, PROVENANCE)).toContain("| Direct PUT throttled | 51.839% of the put attempts, retries included (462,916 of 892,996; 600 of 1,000 calls) |");
  });
});

describe("report.md and report.json for a delivery stream", () => {
  const r = withArchive({ deliveryP99: "120s" });
  const md = buildReportMarkdown(r, PROVENANCE);

  it("puts the delivery stream's sentence among the verdict bullets, before any table", () => {
    const lines = md.split("\n");
    const bullet = lines.findIndex((l) => l.startsWith("- Delivery stream archive delivers objects"));
    expect(bullet).toBeGreaterThan(0);
    expect(bullet).toBeLessThan(lines.findIndex((l) => l.startsWith("|")));
  });

  it("has a section per delivery stream with source, hints, rates, flushes, objects, latency and what was not delivered", () => {
    expect(md).toContain("## Firehose delivery streams");
    expect(md).toContain("### archive");
    expect(md).toContain("| source | Kinesis stream clicks: GetRecords once a second per shard (200 calls, 0 throttled) |");
    expect(md).toContain("| buffer hints | 64 MiB or 5 min, whichever comes first |");
    expect(md).toContain("| incoming | 1,000 records/s, 976.56 KiB/s |");
    expect(md).toContain("| flushes (whole run) | 3 by size (75.0%), 1 by interval (25.0%): the size hint binds, one every 26.67 s after warmup |");
    // Percentiles past the max (HDR buckets) are shown at the max.
    expect(md).toContain("| objects | 4, size p50 64 MiB, p99 64 MiB, max 64 MiB; records p50 30,000 |");
    expect(md).toContain("| delivery latency | p50 50 s, p99 1 min 35 s, max 1 min 38 s |");
    expect(md).toContain("| not delivered | 500 (0.500% of the records in) |");
    expect(md).toContain("#### archive: Lambda transformation (whole run)");
  });

  it("says the object sizes are a best case, with the AWS sources for smaller objects (helper-82's 7)", () => {
    // One buffer per delivery stream fills to the hints; Firehose treats them as hints (BufferingHints), and makes smaller
    // objects when it compresses, scales into parallel buffers, or reads a Kinesis data stream (Knowledge Center).
    expect(md).toContain("Object sizes are a best case: the model fills one buffer per delivery stream up to its hints");
    expect(md).toContain("(BufferingHints, Firehose API Reference)");
    expect(md).toContain('or when its source is a Kinesis data stream (AWS Knowledge Center, "Why does Firehose create multiple small files in Amazon S3?").');
    expect(md).toMatch(/- Delivery stream archive delivers objects of ~64 MiB every ~26\.7 s \(the size hint binds: 3 of 4 flushes; a best case: Firehose may deliver smaller ones\)/);
  });

  it("shows the accounting with its identity written out", () => {
    expect(md).toContain(
      "in = delivered + inside: transformation + inside: buffer + inside: destination + dropped by the transformation + processing-failed + expired: " +
        "110,000 = 104,000 + 0 + 1,000 + 0 + 4,000 + 500 + 500.",
    );
    const { accounting: a } = archive();
    expect(a.delivered + a.inside.transform + a.inside.buffer + a.inside.destination + a.droppedByTransform + a.processingFailed + a.gaveUp + a.expired).toBe(a.in);
  });

  it("report.json carries the delivery stream with per-second rates, flush shares and capped object percentiles", () => {
    const j = buildReportJson(r, PROVENANCE);
    const f = j.firehose[0]!;
    expect(f.incoming.recordsPerSecond).toBe(1_000);
    expect(f.delivered.recordsPerSecond).toBe(950);
    expect(f.flushes).toEqual({ size: 3, interval: 1, sizeShare: 0.75, intervalShare: 0.25, binds: "size", everySeconds: 26.666667 });
    expect(f.objects.bytes.p99).toBe(64 * MiB);
    expect(f.notDeliveredPercent).toBe(0.5);
    expect(f.deliveryLatency.p99Ms).toBe(95_000);
    expect(f.maxDataFreshnessSeconds).toBe(97);
    expect(f.directPut).toBeNull();
    expect(f.copies).toBeNull();
    expect(j.stream.written).toBe(true);
    expect(j.verdict.slos.find((s) => s.name === "deliveryP99")).toMatchObject({ target: 120_000, actual: 95_000, met: true });
  });
});
