// A provisioned Kinesis data stream: its shards' hash key ranges (as CreateStream makes them) and their
// write limits, enforced by two token buckets per shard — bytes (data + partition key, 1 MiB/s) and records
// (1,000/s) — with a burst capacity of `writeBurst` seconds at those rates (KINESIS.md §1.1, §1.3).
// A batch offered to a shard is accepted oldest records first, up to what both buckets allow; the rest is
// throttled (ProvisionedThroughputExceededException for each of those records).

import { TokenBucket } from "../engine/tokenBucket.js";
import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";
import { SeriesBank } from "../metrics/series.js";
import { PeakSecondTracker } from "../metrics/peakSecond.js";
import type { StreamSpec } from "../scenario/schema.js";
import type { Batch } from "./batch.js";
import { createStreamRanges, shardIdName, type HashKeyRange } from "./hashing.js";
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "./limits.js";

export type ThrottleCause = "records" | "bytes";

export class Stream {
  readonly name: string;
  readonly shardCount: number;
  readonly ranges: HashKeyRange[];
  readonly shardIds: string[];
  readonly maxRecordSize: number;
  readonly writeBurstSeconds: number;

  /** Batches offered to shards (the unit of simulation work below the event queue). */
  batchesOffered = 0;

  private readonly recordBuckets: TokenBucket[];
  private readonly byteBuckets: TokenBucket[];

  // Per-shard statistics after warmup.
  readonly acceptedRecords: Float64Array;
  readonly acceptedBytes: Float64Array;
  readonly throttledRecords: Float64Array;
  readonly throttledByRecords: Float64Array;
  readonly throttledByBytes: Float64Array;
  // Whole-run per-shard totals (accounting).
  readonly storedRecords: Float64Array;
  readonly storedBytes: Float64Array;

  // Series over the whole run (warmup included, marked in reports).
  readonly incomingRecordsSeries: SeriesBank;
  readonly incomingBytesSeries: SeriesBank;
  readonly throttledSeries: SeriesBank;
  readonly incomingPeak: PeakSecondTracker;
  readonly offeredPeak: PeakSecondTracker;

  constructor(spec: StreamSpec, fallbackName: string, duration: Micros, resolution: Micros, private readonly warmup: Micros) {
    this.name = spec.name ?? fallbackName;
    this.shardCount = spec.shards;
    this.ranges = createStreamRanges(spec.shards);
    this.shardIds = this.ranges.map((_, i) => shardIdName(i));
    this.maxRecordSize = spec.maxRecordSize;
    this.writeBurstSeconds = spec.writeBurst / MICROS_PER_SECOND;
    const n = spec.shards;
    this.recordBuckets = [];
    this.byteBuckets = [];
    for (let i = 0; i < n; i++) {
      this.recordBuckets.push(new TokenBucket(SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND * this.writeBurstSeconds));
      this.byteBuckets.push(new TokenBucket(SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND * this.writeBurstSeconds));
    }
    this.acceptedRecords = new Float64Array(n);
    this.acceptedBytes = new Float64Array(n);
    this.throttledRecords = new Float64Array(n);
    this.throttledByRecords = new Float64Array(n);
    this.throttledByBytes = new Float64Array(n);
    this.storedRecords = new Float64Array(n);
    this.storedBytes = new Float64Array(n);
    this.incomingRecordsSeries = new SeriesBank(n, duration, resolution);
    this.incomingBytesSeries = new SeriesBank(n, duration, resolution);
    this.throttledSeries = new SeriesBank(n, duration, resolution);
    this.incomingPeak = new PeakSecondTracker(n, SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND, warmup);
    this.offeredPeak = new PeakSecondTracker(n, SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND, warmup);
  }

  /**
   * Offers a batch to its shard at `now`. Returns how many of its records (oldest first) were accepted;
   * the rest were throttled.
   */
  put(batch: Batch, now: Micros): number {
    this.batchesOffered++;
    const s = batch.shard;
    const n = batch.records;
    const writeBytes = batch.bytes + batch.keyBytes;
    const rb = this.recordBuckets[s]!;
    const bb = this.byteBuckets[s]!;
    const recTokens = rb.available(now);
    const byteTokens = bb.available(now);
    let accepted: number;
    let acceptedBytes: number;
    let cause: ThrottleCause | undefined;
    const byRecords = recTokens >= n ? n : Math.max(0, Math.floor(recTokens + 1e-9));
    if (byteTokens >= writeBytes && byRecords === n) {
      accepted = n;
      acceptedBytes = writeBytes;
    } else {
      const avg = writeBytes / n;
      const byBytes = byteTokens >= writeBytes ? n : Math.max(0, Math.floor(byteTokens / avg + 1e-9));
      accepted = Math.min(n, byRecords, byBytes);
      cause = byRecords <= byBytes ? "records" : "bytes";
      acceptedBytes = accepted === n ? writeBytes : Math.round(avg * accepted);
    }
    if (accepted > 0) {
      rb.take(now, accepted);
      bb.take(now, acceptedBytes);
    }
    const throttled = n - accepted;

    this.storedRecords[s]! += accepted;
    this.storedBytes[s]! += acceptedBytes;
    this.incomingRecordsSeries.add(s, now, accepted);
    this.incomingBytesSeries.add(s, now, acceptedBytes);
    if (throttled > 0) this.throttledSeries.add(s, now, throttled);
    if (now >= this.warmup) {
      this.acceptedRecords[s]! += accepted;
      this.acceptedBytes[s]! += acceptedBytes;
      if (throttled > 0) {
        this.throttledRecords[s]! += throttled;
        if (cause === "records") this.throttledByRecords[s]! += throttled;
        else this.throttledByBytes[s]! += throttled;
      }
      this.incomingPeak.add(s, now, accepted, acceptedBytes);
      this.offeredPeak.add(s, now, n, writeBytes);
    }
    return accepted;
  }

  finish(): void {
    this.incomingPeak.finish();
    this.offeredPeak.finish();
  }
}
