// Records still inside a delivery stream at the end count as not delivered when they are overdue: in longer than a
// delivery that kept up would hold them. A record waits out the transformation's buffer interval, then the destination
// buffer's, so the allowance is both (it was the destination buffer's alone: helper-43 found a healthy stream with a
// 60 s transformation interval and a 60 s destination interval 4.6–14.6% "not delivered", by the run's length alone);
// and the destination's own time for the work under way that holds a record or that it waits behind (helper-82: a
// Redshift stream keeping up read 12.4% "not delivered" for what was staged or in the COPY under way).
import { describe, expect, it } from "vitest";
import { thousands } from "../../src/report/format.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { backlogSentence, faultSummary, verdictOf } from "../../src/report/verdict.js";
import type { FirehoseResult } from "../../src/result/runResult.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";

const S = 1_000_000;

/** 20 records/s of 1 KiB by Direct PUT into an S3 delivery stream with a Lambda transformation; the intervals given. */
const run = (duration: string, transformInterval: string, bufferInterval: string, outageAt?: string) => {
  const r = simulateScenario(
    scenarioOf({
      name: "overdue",
      seed: 3,
      duration,
      warmup: "1m",
      producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "20/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "d" }],
      firehose: [{ name: "d", source: "direct-put", buffer: { size: "64MiB", interval: bufferInterval }, transform: { buffer: { size: "3MB", interval: transformInterval } }, destination: { kind: "s3" } }],
      ...(outageAt ? { faults: [{ at: outageAt, kind: "destination-outage", firehose: "d", for: "10m" }] } : {}),
      slo: { firehoseNotDeliveredPercent: 0 },
    }),
  );
  return { f: r.firehose[0]!, slo: verdictOf(r).slos[0]! };
};

describe("records overdue inside a delivery stream with a transformation", () => {
  it.each(["480s", "500s", "520s", "540s", "570s"])("a healthy stream (60 s + 60 s) delivers everything, the run %s long", (duration) => {
    const { f, slo } = run(duration, "60s", "60s");
    // Up to two intervals' records are inside at the end, none of them overdue.
    expect(f.atEnd.censored).toBeGreaterThan(0);
    expect(f.atEnd.overdue).toBe(0);
    expect(slo.met).toBe(true);
  });

  it("a record in longer than both intervals is overdue: a destination outage over the last 3 minutes", () => {
    const { f, slo } = run("8m", "60s", "60s", "5m");
    // Records that entered before 6:00 (8:00 − 60 s − 60 s) are overdue; with 20 records/s that is about a minute's.
    expect(f.atEnd.overdue).toBeGreaterThan(50 * 20);
    expect(f.atEnd.overdue).toBeLessThan(f.atEnd.censored);
    expect(slo.met).toBe(false);
  });
});

describe("a missed firehoseNotDeliveredPercent's reasons (helper-43)", () => {
  // Lambda errors fail every record in the warmup (processing-failed/); after it, a 40 s OpenSearch outage outlasts a
  // 30 s retry duration. The share is after warmup: only the outage's records count in it.
  const run = (faults: Record<string, unknown>[]) => {
    const r = simulateScenario(
      scenarioOf({
        name: "not-delivered",
        seed: 3,
        duration: "8m",
        warmup: "3m",
        producers: [{ name: "p", client: "sdk", rate: { shape: "poisson", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "d" }],
        firehose: [
          {
            name: "d",
            source: "direct-put",
            buffer: { size: "5MiB", interval: "60s" },
            transform: { buffer: { size: "1MB", interval: "10s" }, retries: 0 },
            destination: { kind: "opensearch", throughput: "8MiB/s", retryDuration: "30s" },
          },
        ],
        faults,
        slo: { firehoseNotDeliveredPercent: 1 },
      }),
    );
    return { r, slo: verdictOf(r).slos[0]! };
  };
  const errors = { at: "30s", kind: "lambda-errors", firehose: "d", for: "2m", share: 1 };
  const outage = { at: "5m", kind: "destination-outage", firehose: "d", for: "40s" };

  it("lists the records lost after warmup, the faults under way then and the bottleneck: not the warmup's failures", () => {
    const { r, slo } = run([errors, outage]);
    const f = r.firehose[0]!;
    expect(f.accounting.processingFailed).toBeGreaterThan(100_000); // the warmup's, whole run
    expect(f.notDeliveredByReason.processingFailed).toBe(0);
    expect(f.notDeliveredByReason.gaveUp).toBe(f.notDelivered);
    expect(slo.met).toBe(false);
    expect(slo.cause).toEqual({ kind: "delivery", reasons: { overdueAtEnd: 0, processingFailed: 0, gaveUp: f.notDelivered, expired: 0 }, bottleneck: "destination" });
    expect(slo.why).toBe(
      `after warmup, ${f.notDelivered.toLocaleString("en-US")} given up by the destination; faults: destination outage at 0:05:00 for 40 s; the bottleneck is its destination, Amazon OpenSearch Service`,
    );
    // Counterfactuals: without the outage it is met; without the warmup's errors it is as missed.
    expect(run([errors]).slo.met).toBe(true);
    expect(run([outage]).slo.met).toBe(false);
  });
});

/**
 * 100 records/s of 1,000 B by Direct PUT (one producer, evenly spaced) into a delivery stream with 5 MiB / 5 s hints (or
 * the interval given) and the destination given; 2 minutes of warmup.
 */
const direct = (duration: string, destination: Record<string, unknown>, faults: unknown[] = [], interval = "5s") => {
  const r = simulateScenario(
    scenarioOf({
      name: "in-flight",
      seed: 5,
      duration,
      warmup: "2m",
      producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "1000B" }, deliveryStream: "d" }],
      firehose: [{ name: "d", source: "direct-put", buffer: { size: "5MiB", interval }, destination }],
      faults,
      slo: { firehoseNotDeliveredPercent: 0, dataFreshness: "10s" },
    }),
  );
  const v = verdictOf(r);
  return { r, f: r.firehose[0]!, fv: v.firehose[0]!, notDelivered: v.slos.find((s) => s.name === "firehoseNotDeliveredPercent")!, freshness: v.slos.find((s) => s.name === "dataFreshness")! };
};
const inside = (f: FirehoseResult) => f.accounting.inside.transform + f.accounting.inside.buffer + f.accounting.inside.destination;
/** Redshift with 200 ms staging puts and 20 s COPYs whatever their size: each COPY loads what was staged during the one before. */
const redshift = { kind: "redshift", putLatency: { dist: "fixed", value: "200ms" }, copy: { fixed: "20s", perMiB: "0ms" }, retryDuration: "3600s" };

describe("records in flight at the end are on their way, not overdue (helper-82's 2)", () => {
  // A record waits its 5 s buffer, its 200 ms staging put, the COPY under way (up to 20 s) and its own (20 s): up to
  // 45.2 s, with 20 s to 45 s of records (2,000 to 4,500) staged or in the COPY at any instant. Before, anything inside
  // that came in more than the 5 s interval before the end counted as not delivered, so the count stayed about the
  // same whatever the run's length.
  it.each(["600s", "607s", "619s", "633s", "1200s"])("Redshift keeping up (20 s COPYs under 5 s buffers), the run %s long: none overdue, every SLO met", (duration) => {
    const { f, fv, notDelivered } = direct(duration, redshift);
    expect(f.accounting.inside.destination).toBeGreaterThan(1_900);
    expect(f.notDelivered).toBe(0);
    expect(notDelivered.met).toBe(true);
    expect(f.accounting.overdue).toBe(0);
    expect(fv.explanation).toContain(`${thousands(inside(f))} still on their way at the end, none overdue`);
  });

  it("S3 with no buffering and 2 s puts: the records in the puts under way are on their way", () => {
    const { f, notDelivered } = direct("6m", { kind: "s3", putLatency: { dist: "fixed", value: "2s" } }, [], "0s");
    // Two seconds of records (200) in puts at the end, each put a 100 ms window's arrivals.
    expect(inside(f)).toBeGreaterThanOrEqual(190);
    expect(inside(f)).toBeLessThanOrEqual(210);
    expect(f.notDelivered).toBe(0);
    expect(notDelivered.met).toBe(true);
    expect(f.accounting.overdue).toBe(0);
  });

  it.each(["600s", "613s"])("OpenSearch keeping up (8 MiB/s for 100 KB/s), the run %s long: none overdue", (duration) => {
    const { f, notDelivered } = direct(duration, { kind: "opensearch", throughput: "8MiB/s", requestLatency: { dist: "fixed", value: "300ms" } });
    expect(notDelivered.met).toBe(true);
    expect(f.accounting.overdue).toBe(0);
  });
});

describe("a destination that falls behind still shows what is overdue", () => {
  it("a Redshift COPY outage over the last 2 minutes: everything behind the failing COPY is overdue, but the last seconds' records", () => {
    const { f, notDelivered, r } = direct("10m", redshift, [{ at: "8m", kind: "destination-outage", firehose: "d", for: "5m" }]);
    // The COPY started before 8:00 loads; the next fails and is retried every 5 s past the end. Everything that came in
    // after about 7:35 is inside. A record behind the failing COPY is allowed its buffer (5 s), its staging put (0.2 s)
    // and the second chunks coalesce in: staged records that came in before 9:53.8 are overdue; those of the failing
    // COPY waited a whole COPY before it and are older than its 26.2 s. On their way: the buffer and the last ~6 s staged.
    const onWay = inside(f) - f.accounting.overdue;
    expect(inside(f)).toBeGreaterThan(100 * 120);
    expect(onWay).toBeGreaterThanOrEqual(100 * 5);
    expect(onWay).toBeLessThanOrEqual(100 * 12);
    expect(f.atEnd.overdue).toBe(f.accounting.overdue);
    expect(notDelivered.met).toBe(false);
    // Its DataFreshness (DeliveryToS3: staging still works) does not see it; the fault's effect is measured on the records not yet loaded.
    const e = r.faults[0]!.effect!;
    expect(e).toMatchObject({ kind: "freshness", notLoaded: true, visible: true, recoveredAtUs: null });
    expect(faultSummary(r.faults[0]!)).toMatch(/the age of the oldest record not yet loaded by COPY reached 2 min \d+ s/);
  });

  it("an OpenSearch outage over the last 2 minutes: the requests waiting to retry are overdue", () => {
    const os = { kind: "opensearch", throughput: "8MiB/s", requestLatency: { dist: "fixed", value: "300ms" }, retryDuration: "7200s" };
    const { f, notDelivered } = direct("10m", os, [{ at: "8m", kind: "destination-outage", firehose: "d", for: "5m" }]);
    // From 8:00 every request fails and waits to retry: records that came in before 9:54 (5 s buffer + 1 s) are overdue.
    const onWay = inside(f) - f.accounting.overdue;
    expect(inside(f)).toBeGreaterThan(100 * 115);
    expect(onWay).toBeLessThanOrEqual(100 * 6.5);
    expect(notDelivered.met).toBe(false);
  });
});

describe("DataFreshness is CloudWatch's metric for the destination: for Redshift, DeliveryToS3.DataFreshness (helper-82's minor)", () => {
  it("Redshift: the age of the oldest record not yet in the staging bucket, about the 5 s buffer and its 200 ms put, not the COPYs", () => {
    const { f, freshness, r } = direct("10m", redshift);
    // Sampled once a second: about the interval, at most the interval, the put and a second.
    expect(f.maxDataFreshness).toBeGreaterThan(4 * S);
    expect(f.maxDataFreshness).toBeLessThanOrEqual(6.2 * S);
    expect(freshness.met).toBe(true);
    // The oldest record not yet loaded: its buffer, its put, the COPY under way and its own (45.2 s).
    expect(f.maxUndeliveredAge).toBeGreaterThan(40 * S);
    expect(f.maxUndeliveredAge).toBeLessThanOrEqual(46.2 * S);
    const md = buildReportMarkdown(r, PROVENANCE);
    expect(md).toMatch(/\| max DataFreshness \(DeliveryToS3: to the staging bucket\) \| [456](\.\d+)? s \|/);
    expect(md).toMatch(/\| oldest record not yet loaded by COPY, max age \| 4\d(\.\d+)? s \|/);
  });

  it("S3 and OpenSearch: the age of the oldest record not yet delivered, the same two figures", () => {
    const { f } = direct("10m", { kind: "s3", putLatency: { dist: "fixed", value: "200ms" } });
    expect(f.maxDataFreshness).toBe(f.maxUndeliveredAge);
    expect(f.maxDataFreshness).toBeLessThanOrEqual(6.2 * S);
  });
});

describe("OpenSearch: the flushes' rhythm is not the bulk requests' (helper-82's minor)", () => {
  it("at 1 MiB/s under 2 MiB/s of input, a buffer that grew goes as several requests: the sentence counts both", () => {
    const r = simulateScenario(
      scenarioOf({
        name: "os-split",
        seed: 5,
        duration: "20m",
        warmup: "2m",
        producers: [{ name: "p", client: "sdk", instances: 4, rate: { shape: "constant", value: "2048/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "d" }],
        firehose: [{ name: "d", source: "direct-put", buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "opensearch", throughput: "1MiB/s", requestLatency: { dist: "fixed", value: "1ms" } } }],
      }),
    );
    const f = r.firehose[0]!;
    const fv = verdictOf(r).firehose[0]!;
    // The domain indexes 1 MiB/s in requests of the 5 MiB hint: 1,080 s after warmup ÷ 5 s ≈ 216 requests, fewer flushes.
    expect(f.objects.count).toBeGreaterThanOrEqual(213);
    expect(f.objects.count).toBeLessThanOrEqual(217);
    const m = /delivers bulk requests of ~5 MiB \((\d+) indexed after warmup, from (\d+) flushes: a flush larger than the size hint \(the buffer grew, or its size was raised, while delivery fell behind\) goes as several\), its buffer flushing every ~/.exec(fv.explanation);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(f.objects.count);
    expect(Number(m![2])).toBeLessThan(f.objects.count);
    expect(f.splitRequests).toBeGreaterThan(0);
  });

  it("no flush larger than the hint: no word of flushes going as several, though a request indexed after warmup was flushed before it (helper-90)", () => {
    // 500 records/s of 1 KiB (0.49 MiB/s) into a 1 MiB/s domain: every flush is the 5 MiB hint's, one request each. The
    // flush at about 31 s, before the 32 s warmup, is indexed after it (5 s a request): one request more than the flushes
    // counted after warmup, which the sentence read as "from 14 flushes: a flush larger than the size hint … goes as several".
    const r = simulateScenario(
      scenarioOf({
        name: "os-count",
        seed: 9,
        duration: "3m",
        warmup: "32s",
        producers: [{ name: "app", client: "sdk", instances: 2, rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "logs" }],
        firehose: [{ name: "logs", source: "direct-put", buffer: { size: "5MiB", interval: "60s" }, destination: { kind: "opensearch", throughput: "1MiB/s" } }],
      }),
    );
    const f = r.firehose[0]!;
    expect(f.splitRequests).toBe(0);
    expect(f.objects.bytes.max).toBeLessThanOrEqual(5 * 1_048_576);
    const fv = verdictOf(r).firehose[0]!;
    expect(fv.explanation).toMatch(/delivers bulk requests of ~5 MiB \(\d+ indexed after warmup\), its buffer flushing/);
    expect(fv.explanation).not.toMatch(/goes as several/);
  });
});

/** 1,000 records/s of 1 KiB by Direct PUT into Redshift, COPYs of 5 s + perMiB a MiB, a 5 MiB hint and the interval given. */
const redshiftRun = (duration: string, perMiB: string, interval: string, slo: Record<string, unknown>) =>
  simulateScenario(
    scenarioOf({
      name: "redshift-behind",
      seed: 3,
      duration,
      warmup: "1m",
      producers: [{ name: "p", client: "sdk", instances: 2, rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" }, deliveryStream: "f" }],
      firehose: [{ name: "f", source: "direct-put", buffer: { size: "5MiB", interval }, destination: { kind: "redshift", copy: { fixed: "5s", perMiB } } }],
      slo,
    }),
  );

describe("a Redshift cluster that loads slower than records come in (helper-90)", () => {
  // 1,000 records/s of 1 KiB (0.977 MiB/s) by Direct PUT; each COPY takes 5 s + perMiB × its MiB. At 1,200 ms a MiB the
  // cluster needs 1.17 s for each second of data: every COPY is longer than the time its records took to come in, so it
  // falls further behind without bound, and its records are overdue. At 900 ms a MiB (0.88 s a second) it keeps up.
  const redshift = (duration: string, perMiB: string, interval = "60s") => {
    const r = redshiftRun(duration, perMiB, interval, { firehoseNotDeliveredPercent: 0 });
    return { f: r.firehose[0]!, slo: verdictOf(r).slos[0]! };
  };

  it.each(["4m", "5m", "6m", "7m", "8m", "9m"])("falling behind, %s: records in the destination are overdue, the SLO missed", (duration) => {
    const { f, slo } = redshift(duration, "1200ms");
    // Before: "none overdue" at 5, 6 and 7 minutes (the COPY under way was judged against its records' wait behind the
    // COPY before it, which grows as the cluster falls behind), 0% not delivered and the SLO met.
    expect(f.atEnd.overdue).toBeGreaterThan(0);
    expect(slo.met).toBe(false);
  });

  it("the overdue records grow with the run's length, as the cluster falls further behind", () => {
    const overdue = ["4m", "6m", "8m"].map((d) => redshift(d, "1200ms").f.atEnd.overdue);
    expect(overdue[1]!).toBeGreaterThan(overdue[0]!);
    expect(overdue[2]!).toBeGreaterThan(overdue[1]!);
  });

  it.each(["5m", "9m"])("keeping up at 900 ms a MiB, %s: records on their way, none overdue", (duration) => {
    const { f, slo } = redshift(duration, "900ms");
    expect(f.atEnd.censored).toBeGreaterThan(0);
    expect(f.atEnd.overdue).toBe(0);
    expect(slo.met).toBe(true);
  });

  it("at a 300 s interval its 5 MiB hint flushes every ~5 s: the buffer interval is no allowance for records already flushed", () => {
    // Before: 189,800 inside at the end of 10 minutes, none overdue, as every record was allowed the whole 300 s interval
    // though the size hint had flushed it within seconds. Now the records staged or in a COPY (117,800 of them) are
    // overdue; those still in the buffer (72,000) are allowed its interval, as before.
    const behind = redshift("10m", "1200ms", "300s").f;
    expect(behind.atEnd.overdue).toBeGreaterThan(0.5 * behind.atEnd.censored);
    expect(redshift("10m", "900ms", "300s").f.atEnd.overdue).toBe(0);
  });
});

describe("the backlog sentence of a Redshift cluster falling behind (helper-90)", () => {
  it("its records overdue, it is a backlog, not records on their way in a backlog not growing", () => {
    // 5 minutes at 1,200 ms a MiB: the records inside rise and fall with each COPY (a sawtooth a minute and more long), so
    // the last quarter's mean looked no higher than the first's, and the sentence said "not growing" of a cluster that
    // falls further behind with every COPY.
    const r = redshiftRun("5m", "1200ms", "60s", { deliveryP99: "120s" });
    expect(r.firehose[0]!.atEnd.overdue).toBeGreaterThan(0);
    const text = backlogSentence(r, verdictOf(r))!;
    expect(text).toMatch(/^The run ended with a backlog: [\d,]+ records were still inside delivery stream f/);
    expect(text).not.toMatch(/not growing/);
  });
});
