// Direct PUT: producers write to a delivery stream with PutRecordBatch / PutRecord. The stream-wide quotas
// (records/s, requests/s, bytes/s) are token buckets; throttled records go back to the producer, which retries
// them by its own policy. There are no partition keys and no shards.

import { TokenBucket } from "../../engine/tokenBucket.js";
import type { Micros } from "../../engine/time.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, type Counts } from "../../metrics/warmup.js";
import { FIREHOSE_DIRECT_PUT_BURST_SECONDS, FIREHOSE_MAX_RECORD_SIZE, FIREHOSE_PUT_BATCH_MAX_BYTES } from "../../aws/limits.js";
import type { Batch } from "../batch.js";
import { createStreamRanges, type HashKeyRange } from "../kinesis/hashing.js";
import type { PutTarget } from "../putTarget.js";
import type { Ingest } from "./buffer.js";

/** Direct PUT: the stream-wide quotas as a put target for producers. */
export class DirectPutTarget implements PutTarget {
  readonly shardCount = 1;
  readonly ranges: readonly HashKeyRange[] = createStreamRanges(1);
  readonly maxRecordSize = FIREHOSE_MAX_RECORD_SIZE;
  readonly keyed = false;
  readonly maxRequestBytes = FIREHOSE_PUT_BATCH_MAX_BYTES;
  private readonly records: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly requests: TokenBucket;
  /** After warmup: records offered, counted once per attempt (a retried record once per try), and throttled; PutRecord / PutRecordBatch calls and those throttled. */
  readonly counts: Counts<"offered" | "throttled" | "calls" | "throttledCalls">;
  readonly throttledSeries: SeriesBank;

  constructor(
    readonly name: string,
    quotas: { records: number; requests: number; bytes: number },
    private readonly stream: Ingest,
    warmup: Micros,
    duration: Micros,
    resolution: Micros,
  ) {
    this.counts = countsFrom(warmup, ["offered", "throttled", "calls", "throttledCalls"]);
    const b = FIREHOSE_DIRECT_PUT_BURST_SECONDS;
    this.records = new TokenBucket(quotas.records, quotas.records * b);
    // A record larger than a second of bytes still gets in on a full bucket.
    this.bytes = new TokenBucket(quotas.bytes, Math.max(quotas.bytes * b, FIREHOSE_MAX_RECORD_SIZE));
    this.requests = new TokenBucket(quotas.requests, Math.max(1, quotas.requests * b));
    this.throttledSeries = new SeriesBank(1, duration, resolution);
  }

  beginRequest(now: Micros): boolean {
    const ok = this.requests.tryTake(now, 1);
    this.counts.calls.add(now);
    if (!ok) this.counts.throttledCalls.add(now);
    return ok;
  }

  put(batch: Batch, now: Micros): number {
    return this.admit([batch], now, [], now, 0)[0]!;
  }

  admitWindow(batches: readonly Batch[], now: Micros, accepted: number[], windowStart: Micros = now, calls = 1): void {
    this.admit(batches, now, accepted, windowStart, calls);
  }

  /** `calls` = 0: the request token was already taken (record granularity). */
  private admit(batches: readonly Batch[], now: Micros, accepted: number[], windowStart: Micros, calls: number): number[] {
    let n = 0;
    let bytes = 0;
    for (const b of batches) {
      n += b.records;
      bytes += b.bytes;
    }
    accepted.length = batches.length;
    let k = n;
    if (calls > 0) {
      const allowed = Math.min(calls, Math.floor(this.requests.available(now) + 1e-9));
      if (allowed < calls) k = Math.floor((n * Math.max(0, allowed)) / calls);
      if (allowed > 0) this.requests.take(now, allowed);
      this.counts.calls.add(windowStart, calls);
      this.counts.throttledCalls.add(windowStart, calls - Math.max(0, allowed));
    }
    const per = n > 0 ? bytes / n : 0;
    k = Math.min(k, Math.max(0, Math.floor(this.records.available(now) + 1e-9)));
    if (per > 0 && k * per > this.bytes.available(now)) k = Math.max(0, Math.floor(this.bytes.available(now) / per + 1e-9));
    const acceptedBytes = k === n ? bytes : Math.round(per * k);
    if (k > 0) {
      this.records.take(now, k);
      this.bytes.take(now, acceptedBytes);
    }
    this.counts.offered.add(windowStart, n);
    this.counts.throttled.add(windowStart, n - k);
    if (n - k > 0) this.throttledSeries.add(0, windowStart, n - k);
    // Shares of the accepted records by cumulative rounding, oldest records of each batch first.
    let before = 0;
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      const after = before + b.records;
      const share = k === n ? b.records : Math.floor((k * after) / n) - Math.floor((k * before) / n);
      before = after;
      accepted[i] = share;
      if (share > 0) {
        const shareBytes = share === b.records ? b.bytes : Math.round((b.bytes * share) / b.records);
        const cut = share === b.records ? b.lastBorn : b.firstBorn + Math.round(((b.lastBorn - b.firstBorn) * share) / b.records);
        this.stream.ingest({ records: share, bytes: shareBytes, firstBorn: b.firstBorn, lastBorn: cut, entered: now }, windowStart, now);
      }
    }
    return accepted;
  }
}
