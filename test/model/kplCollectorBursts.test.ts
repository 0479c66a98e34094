// The KPL's collector (awslabs/amazon-kinesis-producer aws/kinesis/core/collector.h, reducer.h): one PutRecords being
// filled per process, sent at its earliest deadline — a Kinesis record's is its first user record's arrival +
// RecordMaxBufferedTime (kinesis_producer.cc), a failed one's its response + RecordMaxBufferedTime / 2 (retrier.cc) — or
// when full (CollectionMaxCount, CollectionMaxSize, and with aggregation on 256 KiB for one shard). Records passed on at
// once (aggregation off, or user records too large to aggregate) wait in it: with a 2 s RecordMaxBufferedTime, one
// process writing 6 records/s of 100 KiB sends about 13 records (1.3 MB) every 2.2 s, more than a shard's 1 MiB byte
// bucket holds. Before, each 100 ms window sent its own 0.6 records, as with a 100 ms RecordMaxBufferedTime: no
// throttling, a request every window with a record.
import { describe, expect, it } from "vitest";
import type { RunOutputs } from "../../src/run.js";
import { uploadsRun } from "./uploadsRun.js";

const run = (o: { buffered: string; aggregation?: boolean; instances?: number; rate?: unknown; duration?: string; ttl?: string }): RunOutputs =>
  uploadsRun(
    "kpl-collector-bursts",
    { client: "kpl", instances: o.instances ?? 1, kpl: { recordMaxBufferedTime: o.buffered, aggregationEnabled: o.aggregation ?? false, ...(o.ttl ? { recordTtl: o.ttl } : {}) } },
    o,
  );
const producer = (o: RunOutputs) => o.result.producers[0]!;
const perSecond = (o: RunOutputs, n: number) => n / o.result.series.incomingRecords.length;
/** Share of the run's seconds in which the stream took in any record. */
const busy = (o: RunOutputs) => perSecond(o, o.result.series.incomingRecords.filter((n) => n > 0).length);

describe("one KPL process, aggregation off, RecordMaxBufferedTime 2 s: its PutRecords reach the shard as bursts", () => {
  const slow = run({ buffered: "2s" });
  const quick = run({ buffered: "100ms" });

  it("a PutRecords every 2.2 s with 1 + 12 records (and its retries' 1 s later), not one a window", () => {
    // By hand: the collector sends T = 2 s after its first record, which comes 1/6 s after the last send on average: a
    // request every 2.17 s holding 1 + Poisson(12) = 13 records. A burst of more than 10 is throttled (P = 0.76, next
    // test): its retries come due 1 s later (T / 2) and go with the ~6 records born since, and the next burst 2.17 s
    // after that. Requests every (2.17 + 0.76 × 1.1) / 1.76 = 1.7 s: 0.59 a second. Seconds with records: the bursts'
    // and the retries', (1 + 0.76) / (2.17 + 0.76 × 1.1) = 0.59 of them, a little more with the retries' own retries.
    // Before: a request in each window with a record (1 − e^−0.6 = 45% of them), 4.6 a second, 1.35 records each.
    const p = producer(slow);
    expect(perSecond(slow, p.requests)).toBeGreaterThan(0.45);
    expect(perSecond(slow, p.requests)).toBeLessThan(0.8);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeGreaterThan(8);
    expect(busy(slow)).toBeGreaterThan(0.5);
    expect(busy(slow)).toBeLessThan(0.75);
    // Poisson arrivals at 6/s leave a second empty with probability e^−6 (0.25%): the 100 ms collector's stream is
    // busy in almost every second.
    expect(busy(quick)).toBeGreaterThan(0.99);
  });

  it("each burst finds a full bucket that takes 10 of its records of 102,436 B: about a quarter as many throttled attempts as records", () => {
    // By hand: 1,048,576 B ÷ 102,436 B (100 KiB and a 36 B key) = 10.24, and the bucket refills in the 2 s between bursts,
    // so a burst of N = 1 + Poisson(12) records throttles N − 10 of them: E[max(0, N − 10)] = 3.32 of 13 (25.5%). Its
    // retries go 1 s later with the ~6 records born since, into a bucket refilled by 1 MiB: most fit, some are throttled
    // again. Throttled attempts per record offered: at least the bursts' first attempts, 3.32 in a cycle of
    // 13 + 0.76 × 6.1 = 17.6 records (0.19); an event-by-event sketch of the real collector gives 0.25.
    const p = producer(slow);
    const share = p.throttledAttempts / p.offered;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.33);
    // The 100 ms collector offers about 61 KB a window against a 1 MiB bucket: nothing to throttle.
    expect(producer(quick).throttledAttempts).toBe(0);
  });

  it("every record is accepted, expired, lost or in flight at the end: the collector's last records are buffered", () => {
    const p = producer(slow);
    const lost = p.lost.throttledPastRetries + p.lost.tooLarge + p.lost.expiredKplTtl + p.lost.failedThrottled;
    expect(p.offered).toBe(p.accepted + p.inFlight.buffered + p.inFlight.awaitingRetry + lost);
    expect(slow.result.accounting.balanced).toBe(true);
    // By hand: the run ends partway through a collector's 2 s, which then holds the records born since its last
    // request: a few (6 a second), fewer than a burst. Before, nothing waited past its window.
    expect(p.inFlight.buffered).toBeGreaterThan(0);
    expect(p.inFlight.buffered).toBeLessThan(20);
    // RecordTtl 3 s: a record that waits the 2 s for its burst and is throttled comes due again 1 s later, at 3 s, and
    // expires: lost as kpl-ttl, and the accounting still balances. Before, records waited no longer than a window.
    const short = run({ buffered: "2s", ttl: "3s" });
    const q = producer(short);
    expect(q.lost.expiredKplTtl).toBeGreaterThan(0);
    expect(q.offered).toBe(q.accepted + q.inFlight.buffered + q.inFlight.awaitingRetry + q.lost.throttledPastRetries + q.lost.expiredKplTtl);
    expect(short.result.accounting.balanced).toBe(true);
  });

  it("records left when the rate stops are sent within the buffered time, not held to the end", () => {
    // 6 records/s for 61 s, then none: the records gathered since the last PutRecords go 2 s after the first of them,
    // so the stream takes records after 61 s, and (with the retries' 1 s) none after 66 s; nothing is buffered at the
    // end of the 2-minute run. Before, the last ones went in the window they were born in, before 61 s.
    const o = run({ buffered: "2s", duration: "2m", rate: { shape: "step", levels: [{ at: "0s", value: "6/s" }, { at: "61s", value: "0/s" }] } });
    const p = producer(o);
    const incoming = o.result.series.incomingRecords;
    const sum = (from: number) => incoming.slice(from).reduce((s, n) => s + n, 0);
    expect(p.offered).toBeGreaterThan(300);
    expect(sum(61)).toBeGreaterThan(0);
    expect(sum(66)).toBe(0);
    expect(p.inFlight.buffered).toBe(0);
    expect(p.offered).toBe(p.accepted + p.inFlight.awaitingRetry + p.lost.throttledPastRetries);
  });
});

describe("the collector with aggregation on, and several processes", () => {
  it("aggregation on: the collector's 256 KiB a shard sends every third 100 KiB record, 2 PutRecords a second, none throttled", () => {
    // By hand: a 100 KiB user record is larger than AggregationMaxSize (51,200 B), so it goes on alone at once, with its
    // predicted shard; the collector sends when that shard's data reaches 262,144 B (collector.h): ⌈262,144 ÷ 102,400⌉ =
    // 3 records, 307 KB, well within the 1 MiB bucket. 6 records/s: 2 requests a second of 3 records. Before: 4.6 a
    // second of 1.35.
    const o = run({ buffered: "2s", aggregation: true });
    const p = producer(o);
    expect(perSecond(o, p.requests)).toBeGreaterThan(1.8);
    expect(perSecond(o, p.requests)).toBeLessThan(2.2);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeGreaterThan(2.8);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeLessThan(3.3);
    expect(p.throttledAttempts).toBe(0);
  });

  it("4 processes sharing 6 records/s: each PutRecords carries one process's 1 + 1.5 × 2 = 4 records, 1.5 a second in all", () => {
    // By hand: each process gets 1.5 records/s, and its collector sends every T + 1/r = 2.67 s with 1 + rT = 4 records:
    // 4 processes, 1.5 requests a second. Were all four processes' records sent when the oldest one's deadline passed,
    // it would be 13 records every 2.17 s (0.46 a second) and a quarter of them throttled, as with one process. Before:
    // a request every window with a record, 4.6 a second of 1.35 records.
    const o = run({ buffered: "2s", instances: 4 });
    const p = producer(o);
    expect(perSecond(o, p.requests)).toBeGreaterThan(1.3);
    expect(perSecond(o, p.requests)).toBeLessThan(1.7);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeGreaterThan(3.5);
    expect(p.clientMetrics.kinesisRecordsPerPutRecords).toBeLessThan(5);
    // 4 records (410 KB) fit the 1 MiB bucket; two processes' requests close together sometimes do not.
    expect(p.throttledAttempts / p.offered).toBeLessThan(0.05);
  });
});
