// A group of processes writing with the Kinesis Producer Library (awslabs/amazon-kinesis-producer 1.0.7; docs/limits.md).
//
// Per predicted shard, each process:
// - buffers user records up to RecordMaxBufferedTime, packing them into aggregated Kinesis records of at most
//   AggregationMaxSize bytes in the real format (kplAggregation.ts: 20 B fixed, a key-table entry per distinct
//   partition key, a records entry per user record); a lone user record goes as a plain record, and so does a
//   user record larger than the shard's byte bucket (a large record, admitted by the stream one at a time);
// - passes Kinesis records through its per-shard rate limiter: token buckets at RateLimit % of the shard's
//   1,000 records/s and 1 MiB/s, holding 1,000 records and 10 MiB (limiter.h); held records wait;
// - collects them into PutRecords of at most CollectionMaxCount records and CollectionMaxSize bytes;
// - puts failed Kinesis records back into the pipeline about RecordMaxBufferedTime / 2 later, with no
//   exponential backoff (retrier.cc) — or fails them at once with FailIfThrottled;
// - fails user records older than RecordTtl ("Expired"), counted as lost by the reason kpl-ttl.
//
// This model runs at batch granularity: each window, a shard's new user records become the expected number of
// aggregates the processes' buffers would form (instances × buffer periods, Poisson occupancy), with the
// format's exact per-record and per-key arithmetic; the limiters of the N processes act as one bucket of N
// times their rate and capacity (the traffic is spread evenly over them).

import { TokenBucket } from "../../engine/tokenBucket.js";
import type { RandomStream } from "../../engine/random.js";
import type { Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { countsFrom, valuesOf, type Counts } from "../../metrics/warmup.js";
import type { KplProducerSpec } from "../../spec/index.js";
import { arrivalsIn } from "../../workload/rate.js";
import { splitOldest, usersIn, type Batch } from "../batch.js";
import { keyEntrySize, recordEntrySize } from "./kplAggregation.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import {
  KPL_AGGREGATE_FIXED_OVERHEAD,
  KPL_LIMITER_BYTES_CAPACITY,
  KPL_LIMITER_RECORDS_CAPACITY,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
} from "../../aws/limits.js";
import { multinomial } from "../../engine/multinomial.js";
import { PUT_PAYLOAD_UNIT_BYTES } from "../../aws/prices.js";
import { afterWarmupStats, emptyStats, ProducerTraffic, type AfterWarmupStats, type ProducerContext, type ProducerModel, type ProducerStats, type Request } from "./producer.js";
import { rangeShare } from "../kinesis/hashing.js";

/** Kinesis records waiting in the KPL: new (never sent) or failed and coming back. */
interface Pending extends Batch {
  /** When they were first sent (−1: not yet). */
  firstAttempt: Micros;
  firstStatsAt: Micros;
  attempts: number;
}

/** What aggregation makes of a window's user records for one shard. */
interface Aggregated {
  kinesis: number;
  bytes: number;
  keyBytes: number;
}

export class KplProducer implements ProducerModel {
  readonly name: string;
  readonly stats: ProducerStats = emptyStats();
  readonly putLatency: LatencyHistogram;
  /** Born → first sent (buffering, aggregation and the limiter), per user record sent first after warmup. */
  readonly bufferingTime: LatencyHistogram;
  /** The statistics of `stats` that count only after warmup. */
  private readonly after: AfterWarmupStats;
  /** KPL metrics after warmup. */
  private readonly kplCounts: Counts<"userRecordsSent" | "kinesisRecordsSent" | "kinesisRecordsFirstSent" | "payloadUnitsSent">;

  readonly traffic: ProducerTraffic;
  private readonly queues: Pending[][];
  private readonly limitRecords: TokenBucket[];
  private readonly limitBytes: TokenBucket[];
  private readonly latency: LatencySampler;
  private readonly rngArrivals: RandomStream;
  private readonly rngKeys: RandomStream;
  private readonly rngSizes: RandomStream;
  private readonly rngLatency: RandomStream;
  private readonly counts: Float64Array;
  /** Per shard: the share of its traffic with fresh random keys, and the effective number of its discrete keys. */
  private readonly randomFraction: Float64Array;
  private readonly effectiveKeys: Float64Array;
  private windowStart: Micros = 0;

  constructor(
    readonly spec: KplProducerSpec,
    private readonly ctx: ProducerContext,
  ) {
    if (ctx.granularity === "record") throw new Error(`producer ${spec.name}: the KPL model runs at batch granularity only`);
    this.name = ctx.part?.name ?? spec.name;
    this.after = afterWarmupStats(ctx.warmup);
    this.kplCounts = countsFrom(ctx.warmup, ["userRecordsSent", "kinesisRecordsSent", "kinesisRecordsFirstSent", "payloadUnitsSent"]);
    this.putLatency = new LatencyHistogram(ctx.warmup);
    this.bufferingTime = new LatencyHistogram(ctx.warmup);
    this.traffic = new ProducerTraffic(spec, ctx);
    this.latency = latencySampler(spec.latency);
    this.rngArrivals = ctx.rng.fork("arrivals");
    this.rngKeys = ctx.rng.fork("keys");
    this.rngSizes = ctx.rng.fork("sizes");
    this.rngLatency = ctx.rng.fork("latency");
    const n = ctx.target.shardCount;
    this.counts = new Float64Array(n);
    this.queues = Array.from({ length: n }, () => []);
    // The N processes' limiters together: N × RateLimit % of the shard's rates, N × their capacities.
    const k = spec.instances;
    const f = spec.kpl.rateLimit / 100;
    this.limitRecords = Array.from({ length: n }, () => new TokenBucket(k * f * SHARD_WRITE_RECORDS_PER_SECOND, k * KPL_LIMITER_RECORDS_CAPACITY));
    this.limitBytes = Array.from({ length: n }, () => new TokenBucket(k * f * SHARD_WRITE_BYTES_PER_SECOND, k * KPL_LIMITER_BYTES_CAPACITY));

    // Key mix per shard, for the number of distinct keys in an aggregate.
    const pop = this.traffic.population;
    const sum = new Float64Array(n);
    const sum2 = new Float64Array(n);
    for (let i = 0; i < pop.count; i++) {
      const s = this.traffic.routing.shardOfKey[i]!;
      const p = pop.shares[i]!;
      sum[s]! += p;
      sum2[s]! += p * p;
    }
    this.randomFraction = new Float64Array(n);
    this.effectiveKeys = new Float64Array(n);
    ctx.target.ranges.forEach((range, s) => {
      const random = pop.randomShare * rangeShare(range);
      const total = random + sum[s]!;
      this.randomFraction[s] = total > 0 ? random / total : 1;
      this.effectiveKeys[s] = sum2[s]! > 0 ? (sum[s]! * sum[s]!) / sum2[s]! : 1;
    });
  }

  start(): void {
    // Driven by the simulation's window clock.
  }

  /** Expected distinct partition keys among m user records of shard s. */
  private distinctKeys(s: number, m: number): number {
    const r = this.randomFraction[s]!;
    const k = this.effectiveKeys[s]!;
    const discrete = m * (1 - r);
    return m * r + (discrete > 0 ? k * (1 - Math.pow(1 - 1 / k, discrete)) : 0);
  }

  /**
   * The Kinesis records the processes' buffers make of u user records (dataBytes in all, keys of keyBytes on
   * average) for shard s over a window of w µs: each process holds a buffer per shard for RecordMaxBufferedTime,
   * so a window has instances × w / bufferTime buffer slots; with u records spread over them (Poisson), the
   * occupied buffers hold λ / (1 − e^−λ) records each and make ceil(that / per-aggregate) aggregates; a buffer
   * holding one record sends it plain.
   */
  private aggregate(s: number, u: number, dataBytes: number, keyBytes: number, w: Micros): Aggregated {
    const kpl = this.spec.kpl;
    if (!kpl.aggregationEnabled) return { kinesis: u, bytes: dataBytes, keyBytes: Math.round(u * keyBytes) };
    const d = dataBytes / u;
    const slots = Math.max(1e-9, (this.spec.instances * w) / kpl.recordMaxBufferedTime);
    const lambda = u / slots;
    const occupied = slots * -Math.expm1(-lambda);
    const keyEntry = keyEntrySize(Math.round(keyBytes));
    // Records per aggregate: as many as fit the size limit, with each one's key-table share.
    let m = Math.max(1, (kpl.aggregationMaxSize - KPL_AGGREGATE_FIXED_OVERHEAD) / (recordEntrySize(Math.round(d), 0) + keyEntry));
    for (let i = 0; i < 3; i++) {
      const perRecord = recordEntrySize(Math.round(d), Math.floor(this.distinctKeys(s, m) / 2)) + (keyEntry * this.distinctKeys(s, m)) / m;
      m = Math.max(1, Math.floor((kpl.aggregationMaxSize - KPL_AGGREGATE_FIXED_OVERHEAD) / perRecord));
    }
    // Occupied buffers holding a single record send it plain (Poisson: slots × λ e^−λ of them).
    const singles = Math.min(u, slots * lambda * Math.exp(-lambda));
    const aggregatedUsers = u - singles;
    const aggregatedBuffers = Math.max(0, occupied - singles);
    const perAggBuffer = aggregatedBuffers > 0 ? aggregatedUsers / aggregatedBuffers : 0;
    const aggregates = aggregatedBuffers * (perAggBuffer <= m ? 1 : Math.ceil(perAggBuffer / m));
    const kinesis = Math.min(u, Math.max(1, Math.round(singles + aggregates)));
    const nAgg = Math.max(0, kinesis - Math.round(singles));
    const nPlain = kinesis - nAgg;
    const plainUsers = Math.min(u, nPlain);
    const aggUsers = u - plainUsers;
    let bytes = plainUsers * d;
    if (nAgg > 0 && aggUsers > 0) {
      const per = aggUsers / nAgg;
      const distinct = this.distinctKeys(s, per);
      bytes += nAgg * KPL_AGGREGATE_FIXED_OVERHEAD + aggUsers * recordEntrySize(Math.round(d), Math.floor(distinct / 2)) + nAgg * distinct * keyEntry;
    }
    // An aggregate's partition key is "a" (1 byte); a plain record keeps its own key.
    return { kinesis, bytes: Math.round(bytes), keyBytes: Math.round(nAgg + plainUsers * keyBytes) };
  }

  offerWindow(a: Micros, t: Micros): Request[] {
    const { target: stream } = this.ctx;
    const kpl = this.spec.kpl;
    this.windowStart = a;
    // User records older than RecordTtl expire wherever they wait.
    const cutoff = t - kpl.recordTtl;
    for (const q of this.queues) {
      while (q.length > 0 && q[0]!.firstBorn < cutoff) {
        const p = q[0]!;
        const f = p.lastBorn <= cutoff || p.lastBorn === p.firstBorn ? 1 : (cutoff - p.firstBorn) / (p.lastBorn - p.firstBorn);
        const k = Math.min(p.records, Math.max(1, Math.round(p.records * f)));
        if (k >= p.records) {
          q.shift();
          this.lose("expired", p.users, p.firstStatsAt >= 0 ? p.firstStatsAt : a);
        } else {
          const [old, rest] = splitOldest(p, k);
          q[0] = { ...rest, firstAttempt: p.firstAttempt, firstStatsAt: p.firstStatsAt, attempts: p.attempts };
          this.lose("expired", old.users, p.firstStatsAt >= 0 ? p.firstStatsAt : a);
        }
      }
    }

    // New user records, split over the shards, aggregated.
    const n = arrivalsIn(this.traffic.rate, a, t, this.rngArrivals);
    if (n > 0) {
      this.stats.offered += n;
      this.after.offeredAfterWarmup.add(a, n);
      multinomial(this.rngKeys, n, this.traffic.routing.shares, this.counts);
      const sizes = this.traffic.sizes.at(a);
      for (let s = 0; s < this.counts.length; s++) {
        const c = this.counts[s]!;
        if (c === 0) continue;
        const kb = this.traffic.routing.meanKeyBytes[s]!;
        // User records larger than the shard's byte bucket (large records) go out plain, in a batch of their own.
        const split = stream.largeRecordBytes !== undefined && stream.largeRecordBytes < stream.maxRecordSize ? Math.floor(stream.largeRecordBytes - kb) : undefined;
        const fit = sizes.batch(c, Math.floor(stream.maxRecordSize - kb), this.rngSizes, split);
        if (fit.tooLarge > 0) this.lose("tooLarge", fit.tooLarge, a);
        if (fit.fit === 0) continue;
        const large = fit.large ?? 0;
        const largeBytes = fit.largeBytes ?? 0;
        // Born over the window; a buffer is flushed when its oldest record reaches RecordMaxBufferedTime,
        // which with a window as long as that is the window's end (wait uniform in [0, buffer time]).
        const pending = { shard: s, firstBorn: a, lastBorn: t, firstAttempt: -1, firstStatsAt: -1, attempts: 0 };
        if (large < fit.fit) {
          const agg = this.aggregate(s, fit.fit - large, fit.bytes - largeBytes, kb, t - a);
          this.after.offeredKinesisAfterWarmup.add(a, agg.kinesis);
          this.after.offeredWriteBytesAfterWarmup.add(a, agg.bytes + agg.keyBytes);
          this.queues[s]!.push({ ...pending, records: agg.kinesis, users: fit.fit - large, bytes: agg.bytes, keyBytes: agg.keyBytes });
        }
        if (large > 0) {
          const keyBytes = Math.round(large * kb);
          this.after.offeredKinesisAfterWarmup.add(a, large);
          this.after.offeredWriteBytesAfterWarmup.add(a, largeBytes + keyBytes);
          this.queues[s]!.push({ ...pending, records: large, users: large, bytes: largeBytes, keyBytes });
        }
      }
    }

    // Through the rate limiters, oldest first; what they hold back waits for the next window.
    const batches: Pending[] = [];
    for (let s = 0; s < this.queues.length; s++) {
      const q = this.queues[s]!;
      if (q.length === 0) continue;
      const rb = this.limitRecords[s]!;
      const bb = this.limitBytes[s]!;
      while (q.length > 0) {
        const p = q[0]!;
        const write = p.bytes + p.keyBytes;
        const byRecords = Math.floor(rb.available(t) + 1e-9);
        const byBytes = Math.floor(bb.available(t) / (write / p.records) + 1e-9);
        const k = Math.min(p.records, byRecords, byBytes);
        if (k <= 0) break;
        const sent = k === p.records ? p : { ...splitOldest(p, k)[0], firstAttempt: p.firstAttempt, firstStatsAt: p.firstStatsAt, attempts: p.attempts };
        rb.take(t, k);
        bb.take(t, k === p.records ? write : sent.bytes + sent.keyBytes);
        if (k === p.records) q.shift();
        else {
          const rest = splitOldest(p, k)[1];
          q[0] = { ...rest, firstAttempt: p.firstAttempt, firstStatsAt: p.firstStatsAt, attempts: p.attempts };
        }
        if (sent.firstAttempt < 0) {
          sent.firstAttempt = t;
          sent.firstStatsAt = a;
          this.bufferingTime.recordAt(a, t - (sent.firstBorn + sent.lastBorn) / 2, sent.users);
          this.kplCounts.kinesisRecordsFirstSent.add(a, sent.records);
        } else this.after.retriedRecords.add(a, sent.users);
        sent.attempts++;
        batches.push(sent);
      }
    }
    if (batches.length === 0) return [];
    // PutRecords calls: each process sends what it has, at most CollectionMaxCount records and
    // CollectionMaxSize bytes a call.
    let records = 0;
    let bytes = 0;
    for (const b of batches) {
      records += b.records;
      bytes += b.bytes + b.keyBytes;
    }
    const kpl2 = this.spec.kpl;
    this.stats.requests += Math.max(Math.min(this.spec.instances, records), Math.ceil(records / kpl2.collectionMaxCount), Math.ceil(bytes / kpl2.collectionMaxSize));
    return [{ batches, firstAttempt: t, sentAt: t, statsAt: a, firstStatsAt: a, attempt: 1, retryParts: 1 }];
  }

  settleWindow(requests: Request[], accepted: readonly number[], offset: number, t: Micros): number {
    const at = this.windowStart;
    let i = offset;
    for (const req of requests) {
      const ack = t + this.latency(this.rngLatency);
      for (const b of req.batches as Pending[]) {
        const k = accepted[i++]!;
        const users = usersIn(b, k);
        this.stats.accepted += users;
        this.after.attempts.add(at, b.records);
        this.after.throttledAttempts.add(at, b.records - k);
        this.kplCounts.userRecordsSent.add(at, users);
        this.kplCounts.kinesisRecordsSent.add(at, b.records);
        const units = k * Math.max(1, Math.ceil((b.bytes / b.records) / PUT_PAYLOAD_UNIT_BYTES));
        this.after.payloadUnits.add(at, units);
        this.kplCounts.payloadUnitsSent.add(at, units);
        if (users > 0) this.putLatency.recordAt(b.firstStatsAt, ack - b.firstAttempt, users);
        if (k === b.records) continue;
        const failed = k === 0 ? b : { ...splitOldest(b, k)[1], firstAttempt: b.firstAttempt, firstStatsAt: b.firstStatsAt, attempts: b.attempts };
        if (this.spec.kpl.failIfThrottled) {
          this.lose("throttled", failed.users, b.firstStatsAt);
          continue;
        }
        // Back into the pipeline about RecordMaxBufferedTime / 2 later: the next window; oldest first.
        this.queues[b.shard]!.unshift(failed as Pending);
      }
    }
    return i;
  }

  /** In flight at the end: user records waiting in the KPL, new or coming back after a failure. */
  finish(): void {
    let buffered = 0;
    let retrying = 0;
    for (const q of this.queues) {
      for (const p of q) {
        if (p.attempts === 0) buffered += p.users;
        else retrying += p.users;
      }
    }
    this.stats.buffered = buffered;
    this.stats.awaitingRetry = retrying;
    Object.assign(this.stats, valuesOf(this.after));
  }

  clientMetrics(): Record<string, number> {
    const b = this.bufferingTime.summary();
    const { userRecordsSent, kinesisRecordsSent, kinesisRecordsFirstSent, payloadUnitsSent } = valuesOf(this.kplCounts);
    return {
      userRecordsPerKinesisRecord: kinesisRecordsSent > 0 ? userRecordsSent / kinesisRecordsSent : 0,
      kinesisRecordsPerPutRecords: this.stats.requests > 0 ? kinesisRecordsSent / this.stats.requests : 0,
      meanBufferingTimeMs: b.mean / 1_000,
      retriesPerKinesisRecord: kinesisRecordsFirstSent > 0 ? kinesisRecordsSent / kinesisRecordsFirstSent - 1 : 0,
      expiredUserRecords: this.stats.lostExpired,
      payloadUnitsPerUserRecord: userRecordsSent > 0 ? payloadUnitsSent / userRecordsSent : 0,
    };
  }

  private lose(reason: "tooLarge" | "expired" | "throttled", count: number, since: Micros): void {
    if (count <= 0) return;
    if (reason === "tooLarge") this.stats.lostTooLarge += count;
    else if (reason === "expired") this.stats.lostExpired += count;
    else this.stats.lostThrottled += count;
    this.after.lostAfterWarmup.add(since, count);
  }
}
