// A group of processes writing with the Kinesis Producer Library (awslabs/amazon-kinesis-producer 1.0.7; docs/limits.md).
//
// Per predicted shard, each process:
// - buffers user records up to RecordMaxBufferedTime, packing them into aggregated Kinesis records of at most
//   AggregationMaxSize bytes in the real format (kplAggregation.ts: 20 B fixed, a key-table entry per distinct
//   partition key, a records entry per user record); a lone user record goes as a plain record, and so does a
//   user record larger than the shard's byte bucket (a large record, admitted by the stream one at a time);
// - passes Kinesis records through its per-shard rate limiter: token buckets at RateLimit % of the shard's
//   1,000 records/s and 1 MiB/s, holding 1,000 records and 10 MiB (limiter.h); held records wait. With aggregation
//   off there is no limiter: the KPL predicts no shard then, and its limiter passes such records on (limited);
// - collects them into PutRecords (its collector, a Reducer per process, collector.h): it sends what it holds at its
//   earliest deadline, or when it holds CollectionMaxCount records or CollectionMaxSize bytes, or (aggregation
//   on) 256 KiB for one predicted shard;
// - sends them over at most MaxConnections connections, a PutRecords holding one for its round trip: a request that finds
//   none free waits for one, in turn, before it is sent (the AWS SDK's connection pool; see connect);
// - puts failed Kinesis records back into the pipeline, due RecordMaxBufferedTime / 2 later, with no
//   exponential backoff (retrier.cc) — or fails them at once with FailIfThrottled;
// - fails user records older than RecordTtl ("Expired"), counted as lost by the reason kpl-ttl.
//
// This model runs at batch granularity: each window, a shard's new user records become the Kinesis records the
// processes' buffers would make of them, in expectation, with the format's exact per-record and per-key
// arithmetic; the limiters of the N processes act as one bucket of N times their rate and capacity (the traffic
// is spread evenly over them).
//
// A process's buffer for a shard (the aggregator's Reducer, reducer.h) takes its deadline from its first user
// record: RecordMaxBufferedTime T after it (each record's deadline is its arrival + T, kinesis_producer.cc; the
// container keeps the earliest), or earlier when the aggregate is full. With Poisson arrivals at λ/T per process
// and shard, a buffer holds N = min(m, 1 + Poisson(λ)) user records, m being how many fit AggregationMaxSize.
// A buffer with one record goes out plain (KinesisRecord::serialize, kinesis_record.cc): of the user records,
// e^−λ / E[N] go plain and the others in aggregates, 1 / E[N] Kinesis records per user record. Bytes are charged
// at those expected shares, without rounding; the count of Kinesis records must be whole, so the expected count
// accumulates per shard and a window's records are sent when it reaches one (rounded) — until then they wait in
// the shard's open buffer, as a real buffer straddles windows, but no longer than until their mean birth is T old.
// With T longer than the window, the shard's open buffer stands for the processes' own buffers, each flushed whole at
// its deadline: only the part born long enough ago is due, oldest first (holdOf), so its records leave as old as a
// buffer's are on average, (T + λT/2) / (1 + λ) when not full.
//
// The collector (collectorFlushes). A process's collector sends all it holds at the earliest deadline of what it holds
// (reducer.h; a container's deadline is its items' earliest, serializable_container.h), or sooner when full. With
// aggregation on, pipeline.h collector_put makes a Kinesis record's deadline max(its own, now + min(50 ms, T / 5))
// (time_sensitive.h extend_deadline_from_now): one from a buffer flushed at its deadline reaches the collector due and
// goes at once, but an aggregate closed full keeps its first user record's deadline (a buffer closes full when the
// record that no longer fits comes within T of its first: P(Poisson(λ) ≥ m) of them; a shard's flushes count as full
// or not, whole, in that share). Those, and the Kinesis records passed on at once — aggregation off, or user records
// too large for two to share an aggregate — reach it early, with a deadline L ahead (T for a record passed on at once,
// T less the time its buffer took to fill for a full aggregate): a process sends a PutRecords L after the first early
// record it holds, every L + 1/r, with 1 + rL of them (r a second per process), sooner if full. With T longer than the
// window, the group's early records wait in the queues, and a window in which whole requests of the k processes fall
// due (expected, every (L + 1/r) / k) sends each one's own records: 1 / k of each early batch queued, and the part past
// its deadline (the records that began a process's wait), so that a record waits (L + rL · L/2) / (1 + rL) on average
// whatever k is. One process sends all it holds: bursts. One 100 KiB record every 167 ms with aggregation off and
// T = 2 s is ~13 records, 1.3 MB, every 2.2 s, more than a shard's 1 MiB bucket; with aggregation on, the 256 KiB rule
// sends every third. 100 records/s of 1 KiB with T = 2 s fill an aggregate every 0.47 s, and one PutRecords takes 4
// every 1.88 s. With T no longer than the window (the default), all that is queued is sent every window: aggregation off,
// one PutRecords a process (its deadline; more when full); aggregation on, as many as the collectors' waits of min(50 ms,
// T / 5) after each due aggregate make (collectorCycles), up to five a process a window at the default T. Those waits are
// the records' too (meanCollectorWait: BufferingTime and every later stage count them): the newest due Kinesis records
// stay in the shard's open buffer a window more, in the share that makes the mean wait (flushOpen); with T longer than
// the window the wait is part of the hold.

import { FreeList } from "../../engine/freeList.js";
import { TokenBucket } from "../../engine/tokenBucket.js";
import type { RandomStream } from "../../engine/random.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { StageBreakdown } from "../../metrics/stages.js";
import { countsFrom, valuesOf, type Counts } from "../../metrics/warmup.js";
import type { KplProducerSpec } from "../../spec/index.js";
import { arrivalsIn } from "../../workload/rate.js";
import { splitOldest, splitsChecked, usersIn, type Batch } from "../batch.js";
import { aggregatedBilling, expectedAggregation, type Aggregated } from "./kplAggregation.js";
import { AggregateBills, RecordSums } from "./aggregateBills.js";
import { latencyMean, latencySampler, type LatencySampler } from "../latencySampler.js";
import {
  KPL_LIMITER_BYTES_CAPACITY,
  KPL_LIMITER_RECORDS_CAPACITY,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
  KPL_SHARD_MAP_REFRESH_MS,
  KPL_COLLECTOR_SHARD_FLUSH_BYTES,
  KPL_COLLECTOR_MAX_BUFFER_MS,
  KPL_COLLECTOR_BUFFER_RATIO,
} from "../../aws/limits.js";
import { MultinomialSampler } from "../../engine/multinomial.js";
import type { SizeModel } from "../../workload/recordSize.js";
import {
  afterWarmupStats,
  emptyStats,
  ProducerTraffic,
  recordBilling,
  recordBillingIn,
  settleAfterWarmup,
  type AfterWarmupStats,
  type ConnectionUse,
  type ProducerContext,
  type ProducerModel,
  type ProducerStats,
  type RecordBilling,
  type Request,
} from "./producer.js";
import { rangeShare } from "../kinesis/hashing.js";

/**
 * Kinesis records waiting in the KPL: new (never sent) or failed and coming back. Made only by KplProducer.pending,
 * which reuses those done with (see there), so every one has the same fields.
 */
interface Pending extends Batch {
  retry: boolean;
  /** When they were first sent (−1: not yet). */
  firstAttempt: Micros;
  firstStatsAt: Micros;
  attempts: number;
  /**
   * Its records' first attempt's round trip (from its request's making to the response, a wait for a connection
   * included; −1: not yet answered), and of it the wait for a connection (see connect).
   */
  firstRoundTrip: Micros;
  firstWait: Micros;
  /** Its records' waits for a connection so far, every attempt's (the first's included): of their put latency, the time they waited. */
  waited: Micros;
  /** The shard the KPL's shard map predicted (the stream routes by hash key: after a reshard it may differ). */
  predicted: number;
  /** Records already written, put again after a wrong-shard result: a second write, not offered anew. */
  copy: boolean;
  /** What one of its Kinesis records bills on average when accepted (PUT payload units, on-demand bytes): see aggregatedBilling. */
  unitsPerRecord: number;
  billedPerRecord: number;
  /**
   * Put back after a failure: when the response that failed it came (−1: never failed). The KPL puts a failed record back
   * only on that response (retrier.cc handle_put_records_result, called from the PutRecordsAsync callback, pipeline.h
   * send_put_records_request): no PutRecords holds it before then.
   */
  answeredAt: Micros;
  /**
   * When it comes due: put back after a failure, its response + RecordMaxBufferedTime / 2; never sent, its deadline in
   * the collector (early records: their first user record's arrival + RecordMaxBufferedTime; the others: when made).
   */
  dueAt: Micros;
  /**
   * Never sent and early (see collectorFlushes): what one process's PutRecords takes of it (its records as made ÷ the
   * processes), and the records the requests so far have claimed and not yet taken (from a phase in [0, 1)).
   */
  perRequest: number;
  owed: number;
  /**
   * Made into a PutRecords (sent, or waiting for a connection: see connect): when that request was made, the start of its
   * attempt as the KPL times it, and the records one request of its window holds (its share of the requests waiting).
   */
  requestedAt: Micros;
  requestRecords: number;
}

/**
 * User records of a shard waiting in the processes' open buffers, with what they are expected to become. One per
 * shard for the whole run, reused: empty when `users` is 0 (made anew each window, they were, with the pending
 * records, what V8 at random chose to allocate in the old generation: see `spare`).
 */
/**
 * An open buffer whose oldest `taken` user records went: the rest stays, its `keep` share of the bytes, the Kinesis
 * records and what they were expected to bill, born from `from` on.
 */
function keepRest(o: OpenBuffer, taken: number, keep: number, from: Micros): void {
  o.users -= taken;
  o.bytes *= keep;
  o.keyBytes *= keep;
  o.kinesis *= keep;
  o.full *= keep;
  o.units *= keep;
  o.billed *= keep;
  o.firstBorn = from;
}

interface OpenBuffer {
  users: number;
  bytes: number;
  keyBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
  /** Middle of the window the oldest of them arrived in. */
  oldestMid: Micros;
  /** Passed on at once, each user record a Kinesis record of its own (Aggregated.atOnce): early at the collector. */
  atOnce: boolean;
  /** The Kinesis records they are expected to become, of them those closed full (Aggregated.full), and what they bill in all (aggregatedBilling). */
  kinesis: number;
  full: number;
  /**
   * How long one process's buffer closed full took to fill (µs): its E[N] user records at λ a RecordMaxBufferedTime, by
   * the last window's, at most RecordMaxBufferedTime. Its user records were born over that time, one process's of k,
   * where the group's come in a window.
   */
  fillTime: Micros;
  units: number;
  billed: number;
  /**
   * How long its user records are held before they come due (µs; 0: all are due, the buffer goes whole when its count
   * is reached): the group's buffers of the shard are the processes' own, each flushed whole at its deadline, so a
   * window sends the few that fall due, not all the shard holds (see holdOf).
   */
  hold: Micros;
  /** The end of the window it was last looked at in (flushOpen): once a window, so what its collector holds stays. */
  lookedAt: Micros;
  /** Of its expected Kinesis records, those held in the collector last time (they have had their wait: flushOpen). */
  collected: number;
}

/** Most batches put back into a queue by one unshift call (far below the engine's limit on a call's arguments). */
const UNSHIFT_CHUNK = 8192;

/** Bound of the per-shard carry of expected Kinesis records (a forced flush may send more than expected). */
const MAX_CARRY = 3;

/**
 * A part split off `of` keeps where `of` stands in its attempt: its first round trip and waits, its deadline, its share
 * of a request and what it owes, when its request was made (partOf and takeOldest: one list, so a field added to
 * Pending is carried by both).
 */
function keepAttemptOf(part: Pending, of: Pending): Pending {
  part.firstRoundTrip = of.firstRoundTrip;
  part.firstWait = of.firstWait;
  part.waited = of.waited;
  part.dueAt = of.dueAt;
  part.answeredAt = of.answeredAt;
  part.perRequest = of.perRequest;
  part.owed = of.owed;
  part.requestedAt = of.requestedAt;
  part.requestRecords = of.requestRecords;
  return part;
}

/** Batches by shard, in order within a shard (Array.prototype.sort is stable). */
const byShard = (x: Pending, y: Pending): number => x.shard - y.shard;

/** (√5 − 1) / 2: its multiples modulo 1 spread evenly over [0, 1) however many are taken (the early batches' phases). */
const GOLDEN_FRACTION = 0.6180339887498949;

export class KplProducer implements ProducerModel {
  readonly name: string;
  readonly stats: ProducerStats = emptyStats();
  readonly putLatency: LatencyHistogram;
  readonly putLatencyRoundTrip: LatencyHistogram;
  /**
   * Of each of those records' first attempt's round trip, the wait for a connection (MaxConnections; see connect), and
   * the rest: sent → response. The KPL's Request Time counts both (its attempt starts before it waits).
   */
  readonly putLatencyConnectionWait: LatencyHistogram;
  readonly putLatencyRoundTripSent: LatencyHistogram;
  /**
   * Of each acknowledged record's put latency, its waits for a connection, every attempt's (the first's and its retries'),
   * a throttled record's retries wait for connections as its first attempt does.
   */
  readonly putLatencyWaits: LatencyHistogram;
  readonly putLatencyParts: StageBreakdown;
  /** Born → first sent (buffering, aggregation and the limiter), per user record sent first after warmup. */
  readonly bufferingTime: LatencyHistogram;
  /** The statistics of `stats` that count only after warmup. */
  private readonly after: AfterWarmupStats;
  /** KPL metrics after warmup. */
  private readonly kplCounts: Counts<
    "userRecordsSent" | "userRecordsFirstSent" | "kinesisRecordsSent" | "kinesisRecordsFirstSent" | "payloadUnitsSent" | "putRecordsRequests" | "putRecordsMade" | "putRecordsWaited" | "putRecordsFilled" | "putRecordsFilledBySize"
  >;

  readonly traffic: ProducerTraffic;
  private readonly queues: Pending[][];
  /** Per shard: user records in open buffers, and the expected Kinesis records not yet sent (the fraction carried). */
  private readonly open: OpenBuffer[];
  private readonly carry: Float64Array;
  /** Per shard: the fractions of a byte (data, partition keys) left when expected bytes were sent as whole bytes. */
  private readonly byteCarry: Float64Array;
  private readonly keyByteCarry: Float64Array;
  private readonly limitRecords: TokenBucket[];
  private readonly limitBytes: TokenBucket[];
  private readonly latency: LatencySampler;
  private readonly rngArrivals: RandomStream;
  private readonly rngKeys: RandomStream;
  /** The split of each window's records over the shards (multinomial, by Poisson fill over many shards). */
  private readonly split = new MultinomialSampler();
  private readonly rngSizes: RandomStream;
  private readonly rngLatency: RandomStream;
  private readonly counts: Float64Array;
  /** Per shard: the share of its traffic with fresh random keys, and the effective number of its discrete keys. */
  private readonly randomFraction: Float64Array;
  private readonly effectiveKeys: Float64Array;
  private windowStart: Micros = 0;
  /** The largest share of the traffic one shard gets (by the routing in force): the collector's 256 KiB a shard. */
  private maxShare = 1;

  /**
   * The processes' collectors (one PutRecords being filled per process; see collectorFlushes). Kinesis records queued
   * this window, reaching the collector due (their buffer's deadline passed) or early (passed on at once, or an
   * aggregate closed full), and the early ones' data and write bytes, and the sum over them of the time from the
   * window's start to their deadlines.
   */
  private madeDue = 0;
  private madeEarly = 0;
  private earlyData = 0;
  private earlyWrite = 0;
  private earlyLeadSum = 0;
  /** This window: user records made into Kinesis records, and the early Kinesis records expected of them. */
  private usersMade = 0;
  private earlyExpected = 0;
  /** This window: the Kinesis records expected of its user records that will reach the collectors due (meanCollectorWait). */
  private dueExpected = 0;
  private duePerUser = 0;
  /** Early Kinesis records per user record, and the mean time from reaching the collector to their deadlines (µs): the last window's that made any. */
  private earlyPerUser = 1;
  private earlyLead: Micros;
  /** Whether buffers closed full are told apart from those flushed at their deadline (only with RecordMaxBufferedTime longer than the window). */
  private readonly fullApart: boolean;
  /** The share of full buffers' Kinesis records not yet made early (whole flushes are early or due; see flushOpen). */
  private fullCarry = 0;
  /** The phase the next early batch's claims start from: the golden-ratio sequence, evenly spread over [0, 1). */
  private phase = 0;
  /**
   * Expected PutRecords of the processes fallen due for records never sent, not yet sent (whole ones are sent): by the
   * time their early records have waited, and by how far those have filled them (a request goes at whichever comes first).
   */
  private collectorCarry = 0;
  private fillCarry = 0;
  /** The earliest deadline of the early records queued since the last PutRecords (Infinity: none). */
  private heldDue = Infinity;
  /** The PutRecords of the processes due this window, each taking its process's share of the early records (collectorFlushes). */
  private requestsDue = 0;
  /** When the first failed record put back comes due (its response + RecordMaxBufferedTime / 2). */
  private retryDueAt = Infinity;
  /** Whether the limiters held back records in the last window sent (they go on as their tokens come). */
  private limiterHeld = false;
  /**
   * Whether the rate limiters act: only with aggregation on. The limiter passes on at once a Kinesis record with no
   * predicted shard ("Limiter doesn't work if we don't know which shard the record is going to", limiter.h), and the
   * aggregator predicts a user record's shard only with aggregation enabled (aggregator.h put): with it off, every record
   * goes straight to the collector, retries too (they re-enter through the aggregator, retrier.cc).
   */
  private readonly limited: boolean;
  /**
   * Whether this window's PutRecords take all that is queued; if not, they take their processes' shares of the early
   * records (requestsDue) and what is due, and failed records put back go only once due (their process sends nothing
   * sooner: its collector's deadline is theirs, its new records' deadlines being later).
   */
  private sendAll = false;

  /**
   * The processes' connections (connect): MaxConnections each, a PutRecords holding one for its round trip. As request
   * starts, a token bucket: k × MaxConnections ÷ the mean round trip a second (busy connections finish requests at that
   * rate), holding k × MaxConnections, or a window's worth if more (the requests a window makes are taken as spread over
   * it). Undefined with a round trip of 0 (no connection is ever held). A group writing to several streams: this
   * stream's share of them (by its share of the records, where the KPL's pipelines take them as their requests come).
   */
  private readonly connections: TokenBucket | undefined;
  /** Kinesis records made into PutRecords that wait for a connection, oldest request first (from awaitingHead on). */
  private readonly awaiting: Pending[] = [];
  private awaitingHead = 0;
  /** The PutRecords they make (whole, but kept as their shares: a request's records may be split over several batches). */
  private awaitingRequests = 0;
  /**
   * PutRecords made after warmup in the second (from the warmup's end) being counted, and the most made in one so far;
   * the same of those made one a flushing process (at its deadline, however few records it held), and of the full
   * requests their records would fill (Kinesis records ÷ CollectionMaxCount or bytes ÷ CollectionMaxSize, whichever is
   * more, unrounded).
   */
  private madeSecond = -1;
  private madeInSecond = 0;
  private madeBusiestSecond = 0;
  /** The most PutRecords made in one window after warmup (the connections start a window's requests together). */
  private madeBusiestWindow = 0;
  private deadlineInSecond = 0;
  private deadlineBusiestSecond = 0;
  private fullInSecond = 0;
  private fullBusiestSecond = 0;
  /** At the end: user records whose first attempt's PutRecords waits for a connection (made, not yet sent). */
  private waitingAtEnd = 0;

  constructor(
    readonly spec: KplProducerSpec,
    private readonly ctx: ProducerContext,
  ) {
    if (ctx.granularity === "record") throw new Error(`producer ${spec.name}: the KPL model runs at batch granularity only`);
    this.name = ctx.part?.name ?? spec.name;
    this.after = afterWarmupStats(ctx.warmup);
    this.kplCounts = countsFrom(ctx.warmup, [
      "userRecordsSent",
      "userRecordsFirstSent",
      "kinesisRecordsSent",
      "kinesisRecordsFirstSent",
      "payloadUnitsSent",
      "putRecordsRequests",
      "putRecordsMade",
      "putRecordsWaited",
      "putRecordsFilled",
      "putRecordsFilledBySize",
    ]);
    this.putLatency = new LatencyHistogram(ctx.warmup);
    this.putLatencyRoundTrip = new LatencyHistogram(ctx.warmup);
    this.putLatencyConnectionWait = new LatencyHistogram(ctx.warmup);
    this.putLatencyRoundTripSent = new LatencyHistogram(ctx.warmup);
    this.putLatencyWaits = new LatencyHistogram(ctx.warmup);
    this.putLatencyParts = new StageBreakdown(3, ctx.warmup);
    this.bufferingTime = new LatencyHistogram(ctx.warmup);
    // The KPL learns of a reshard only from a wrong-shard result (invalidateShardMap).
    this.traffic = new ProducerTraffic(spec, ctx, { followReshards: false });
    this.latency = latencySampler(spec.latency);
    this.rngArrivals = ctx.rng.fork("arrivals");
    this.rngKeys = ctx.rng.fork("keys");
    this.rngSizes = ctx.rng.fork("sizes");
    this.rngLatency = ctx.rng.fork("latency");
    const n = ctx.target.shardCount;
    this.counts = new Float64Array(n);
    this.queues = Array.from({ length: n }, () => []);
    this.open = Array.from({ length: n }, () => ({ users: 0, bytes: 0, keyBytes: 0, firstBorn: 0, lastBorn: 0, oldestMid: 0, atOnce: false, kinesis: 0, full: 0, fillTime: 0, units: 0, billed: 0, hold: 0, lookedAt: -1, collected: 0 }));
    this.carry = new Float64Array(n);
    this.byteCarry = new Float64Array(n);
    this.keyByteCarry = new Float64Array(n);
    // The N processes' limiters together: N × RateLimit % of the shard's rates, N × their capacities.
    const k = spec.instances;
    const f = spec.kpl.rateLimit / 100;
    this.limited = spec.kpl.aggregationEnabled;
    this.earlyLead = spec.kpl.recordMaxBufferedTime;
    this.fullApart = spec.kpl.aggregationEnabled && spec.kpl.recordMaxBufferedTime > ctx.window;
    this.limitRecords = Array.from({ length: n }, () => new TokenBucket(k * f * SHARD_WRITE_RECORDS_PER_SECOND, k * KPL_LIMITER_RECORDS_CAPACITY));
    this.limitBytes = Array.from({ length: n }, () => new TokenBucket(k * f * SHARD_WRITE_BYTES_PER_SECOND, k * KPL_LIMITER_BYTES_CAPACITY));
    const roundTrip = latencyMean(spec.latency);
    // A process's pipelines, one per stream, share its one Kinesis client (kinesis_producer.cc create_kinesis_client),
    // so its connections: a group writing to several streams gives each stream's part its share of them.
    const slots = k * spec.kpl.maxConnections * (ctx.part?.share ?? 1);
    this.connections = roundTrip > 0 ? new TokenBucket((slots * MICROS_PER_SECOND) / roundTrip, slots * Math.max(1, ctx.window / roundTrip)) : undefined;

    this.randomFraction = new Float64Array(n);
    this.effectiveKeys = new Float64Array(n);
    this.computeKeyMix();
  }

  /** Key mix per shard (by the routing in force), for the number of distinct keys in an aggregate. */
  private computeKeyMix(): void {
    this.bills.length = 0;
    const n = this.ctx.target.shardCount;
    const pop = this.traffic.population;
    const sum = new Float64Array(n);
    const sum2 = new Float64Array(n);
    this.maxShare = 0;
    for (const share of this.traffic.routing.shares) this.maxShare = Math.max(this.maxShare, share);
    for (let i = 0; i < pop.count; i++) {
      const s = this.traffic.routing.shardOfKey[i]!;
      const p = pop.shares[i]!;
      sum[s]! += p;
      sum2[s]! += p * p;
    }
    this.ctx.target.ranges.forEach((range, s) => {
      const random = pop.randomShare * rangeShare(range);
      const total = random + sum[s]!;
      this.randomFraction[s] = total > 0 ? random / total : 1;
      this.effectiveKeys[s] = sum2[s]! > 0 ? (sum[s]! * sum[s]!) / sum2[s]! : 1;
    });
  }

  start(): void {
    // Driven by the simulation's window clock.
  }

  private refreshing = false;

  /**
   * A wrong-shard result invalidated the shard map: it is read again (ListShards) and the KPL predicts by the new
   * map from then on; what waits in its queues and buffers for a closed shard moves to the open shard holding the
   * middle of its range. The refresh takes KPL_SHARD_MAP_REFRESH_MS (an assumption).
   */
  private invalidateShardMap(t: Micros): void {
    if (this.refreshing) return;
    this.refreshing = true;
    this.ctx.sim.scheduleAt(t + KPL_SHARD_MAP_REFRESH_MS * 1_000, () => {
      this.refreshing = false;
      const stream = this.ctx.target;
      if (!stream.isOpen || !stream.openShardFor) return;
      this.traffic.reroute();
      this.computeKeyMix();
      for (let s = 0; s < this.queues.length; s++) {
        if (stream.isOpen(s) || this.queues[s]!.length === 0 && this.open[s]!.users === 0) continue;
        const to = stream.openShardFor(s);
        if (to === s) continue;
        for (const p of this.queues[s]!) {
          p.shard = to;
          p.predicted = to;
          this.queues[to]!.push(p);
        }
        this.queues[s] = [];
        const o = this.open[s]!;
        if (o.users > 0) {
          const there = this.open[to]!;
          if (there.users === 0) Object.assign(there, o);
          else {
            there.users += o.users;
            there.bytes += o.bytes;
            there.keyBytes += o.keyBytes;
            there.firstBorn = Math.min(there.firstBorn, o.firstBorn);
            there.lastBorn = Math.max(there.lastBorn, o.lastBorn);
            there.oldestMid = Math.min(there.oldestMid, o.oldestMid);
            there.kinesis += o.kinesis;
            there.full += o.full;
            there.fillTime = Math.max(there.fillTime, o.fillTime);
            there.units += o.units;
            there.billed += o.billed;
            there.atOnce &&= o.atOnce;
          }
          o.users = 0;
        }
      }
    });
  }

  /** Expected distinct partition keys among m user records of shard s. */
  private distinctKeys(s: number, m: number): number {
    const r = this.randomFraction[s]!;
    const k = this.effectiveKeys[s]!;
    const discrete = m * (1 - r);
    return m * r + (discrete > 0 ? k * (1 - Math.pow(1 - 1 / k, discrete)) : 0);
  }

  /** The shard `aggregate` works on, for distinctKeysOfShard. */
  private aggregating = 0;
  /**
   * distinctKeys for the shard being aggregated: one function for the run, not a closure per shard and window (under
   * tsx, which keeps function names, each such closure also cost a defineProperty: a third of a KPL run's time).
   */
  private readonly distinctKeysOfShard = (m: number): number => this.distinctKeys(this.aggregating, m);

  /**
   * What the processes' buffers make of u user records for shard s (expectedAggregation), with the shard's key mix, and
   * what their aggregates bill for records of these sizes (billsOf).
   */
  private aggregate(s: number, u: number, dataBytes: number, keyBytes: number, lambda: number, sizes: SizeModel): Aggregated {
    const kpl = this.spec.kpl;
    this.aggregating = s;
    const bills = kpl.aggregationEnabled ? this.billsOf(s, sizes) : undefined;
    return expectedAggregation({ users: u, dataBytes, keyBytes, lambda, enabled: kpl.aggregationEnabled, maxSize: kpl.aggregationMaxSize, distinctKeys: this.distinctKeysOfShard, full: this.fullApart, ...(bills ? { bills } : {}) });
  }

  /**
   * What an aggregate of n user records bills on average, per shard (its key mix), for the size model in use (one, or
   * a trace's period's): the sums of its user records' sizes (those a shard's byte bucket takes, up to
   * AggregationMaxSize) worked out once per model, each shard's bills once per n. Made anew when the model changes, or
   * the key mix (computeKeyMix).
   */
  private billsModel: SizeModel | undefined;
  private billsSums: RecordSums | undefined;
  private readonly bills: (AggregateBills | undefined)[] = [];

  private billsOf(s: number, sizes: SizeModel): AggregateBills {
    const kpl = this.spec.kpl;
    if (sizes !== this.billsModel || !this.billsSums) {
      const stream = this.ctx.target;
      const small = stream.largeRecordBytes !== undefined && stream.largeRecordBytes < stream.maxRecordSize ? stream.largeRecordBytes : stream.maxRecordSize;
      this.billsModel = sizes;
      this.billsSums = new RecordSums(sizes, small, kpl.aggregationMaxSize);
      this.bills.length = 0;
    }
    let b = this.bills[s];
    if (!b) {
      const keyBytes = this.traffic.routing.meanKeyBytes[s]!;
      this.bills[s] = b = new AggregateBills(this.billsSums, { maxSize: kpl.aggregationMaxSize, keyBytes, distinctKeys: (m) => this.distinctKeys(s, m) });
    }
    return b;
  }

  /**
   * Pending records done with (written, lost, or replaced by their parts), reused by `pending`: made anew each window
   * and kept a window or two, V8 at random chose to allocate them in the old generation, which made a run 3–4× slower
   * (see src/cli/v8Tuning.ts); reused, they are made once.
   */
  private readonly spare = new FreeList<Pending>();

  /** A Pending with these fields, not yet retried: a spare one written over, or a new one. */
  private pending(
    shard: number,
    records: number,
    users: number,
    bytes: number,
    keyBytes: number,
    firstBorn: Micros,
    lastBorn: Micros,
    firstAttempt: Micros,
    firstStatsAt: Micros,
    attempts: number,
    predicted: number,
    copy: boolean,
    unitsPerRecord: number,
    billedPerRecord: number,
  ): Pending {
    const p = this.spare.take();
    if (p === undefined) return { shard, records, users, bytes, keyBytes, firstBorn, lastBorn, retry: false, firstAttempt, firstStatsAt, attempts, firstRoundTrip: -1, firstWait: 0, waited: 0, predicted, copy, unitsPerRecord, billedPerRecord, dueAt: 0, answeredAt: -1, perRequest: 0, owed: 0, requestedAt: 0, requestRecords: 0 };
    p.shard = shard;
    p.records = records;
    p.users = users;
    p.bytes = bytes;
    p.keyBytes = keyBytes;
    p.firstBorn = firstBorn;
    p.lastBorn = lastBorn;
    p.retry = false;
    p.firstAttempt = firstAttempt;
    p.firstStatsAt = firstStatsAt;
    p.attempts = attempts;
    p.firstRoundTrip = -1;
    p.firstWait = 0;
    p.waited = 0;
    p.dueAt = 0;
    p.answeredAt = -1;
    p.perRequest = 0;
    p.owed = 0;
    p.requestedAt = 0;
    p.requestRecords = 0;
    p.predicted = predicted;
    p.copy = copy;
    p.unitsPerRecord = unitsPerRecord;
    p.billedPerRecord = billedPerRecord;
    return p;
  }

  /** A part of `of` (split off by splitOldest) as a Pending that keeps `of`'s attempts, prediction, copy mark and deadline. */
  private partOf(part: Batch, of: Pending): Pending {
    const p = this.pending(part.shard, part.records, part.users, part.bytes, part.keyBytes, part.firstBorn, part.lastBorn, of.firstAttempt, of.firstStatsAt, of.attempts, of.predicted, of.copy, of.unitsPerRecord, of.billedPerRecord);
    return keepAttemptOf(p, of);
  }

  /**
   * The oldest k of p's records (0 < k < p.records) as a part of it (partOf); p keeps the rest, in place in its queue.
   * splitOldest's shares, without the two objects it makes (this runs for each batch a request takes a share of); with
   * the split checks on, splitOldest runs too, and checks them.
   */
  private takeOldest(p: Pending, k: number): Pending {
    if (splitsChecked()) splitOldest(p, k);
    const users = usersIn(p, k);
    const bytes = Math.round((p.bytes * k) / p.records);
    const keyBytes = Math.round((p.keyBytes * k) / p.records);
    const cut = p.firstBorn + Math.round(((p.lastBorn - p.firstBorn) * k) / p.records);
    const part = keepAttemptOf(this.pending(p.shard, k, users, bytes, keyBytes, p.firstBorn, cut, p.firstAttempt, p.firstStatsAt, p.attempts, p.predicted, p.copy, p.unitsPerRecord, p.billedPerRecord), p);
    p.records -= k;
    p.users -= users;
    p.bytes -= bytes;
    p.keyBytes -= keyBytes;
    p.firstBorn = cut;
    return part;
  }

  /**
   * Per size model (one, unless the sizes come from a trace, fixed per period): what a plain Kinesis record bills on
   * average, each record rounded up on its own as the SDK's are (recordBilling). On a stream that admits large records,
   * those above its byte bucket go apart (`large`) and the others (`small`) are below it: each part's expectation given
   * its sizes (at the stream's bounds; a partition key's few bytes are left out of them).
   */
  private readonly plainBilling = new Map<SizeModel, { small: RecordBilling; large: RecordBilling }>();

  private plainBillingOf(sizes: SizeModel): { small: RecordBilling; large: RecordBilling } {
    let b = this.plainBilling.get(sizes);
    if (b) return b;
    const stream = this.ctx.target;
    const split = stream.largeRecordBytes !== undefined && stream.largeRecordBytes < stream.maxRecordSize ? stream.largeRecordBytes : undefined;
    b =
      split === undefined
        ? { small: recordBilling(sizes, stream.maxRecordSize), large: recordBilling(sizes, stream.maxRecordSize) }
        : { small: recordBillingIn(sizes, 0, split), large: recordBillingIn(sizes, split, stream.maxRecordSize) };
    this.plainBilling.set(sizes, b);
    return b;
  }

  /** `p` is done with: nothing refers to it any more. */
  private release(p: Pending): void {
    this.spare.give(p);
  }

  /**
   * Sends a shard's open buffer as whole Kinesis records once the expected count carried reaches one (rounded),
   * or once its records' mean birth is RecordMaxBufferedTime old (then at least one). With a hold (holdOf), only the
   * part born before t − hold is due, oldest first; the rest and its expected Kinesis records wait. Of Kinesis records
   * flushed at their deadline (due, with aggregation on), the newest wait in their process's collector: they stay, with
   * their users, a window more, whole ones in the share that makes the collector's mean wait (meanCollectorWait: its
   * whole windows are held as part of the hold), so a shard still sends one batch a window.
   */
  private flushOpen(s: number, a: Micros, t: Micros): void {
    const o = this.open[s]!;
    if (o.users === 0 || o.lookedAt === t) return;
    o.lookedAt = t;
    const w = t - a;
    // The collector's wait (due aggregates only: neither records passed on at once nor aggregates closed full). With
    // RecordMaxBufferedTime longer than the window it is part of the hold (a buffer's records go a wait later); no longer
    // (then the wait is shorter than the window: min(50 ms, T / 5)), the newest Kinesis records stay a window (`late`).
    const fullShare = this.fullApart && o.full > 0 ? o.full / o.kinesis : 0;
    const wait = o.atOnce ? 0 : (1 - fullShare) * this.collectorWait;
    const byHold = this.spec.kpl.recordMaxBufferedTime > w;
    // The due part: the users born before t − hold (births uniform over [firstBorn, lastBorn]).
    const hold = o.hold + (byHold ? wait : 0);
    const cut = t - hold;
    const dueShare = hold <= 0 || cut >= o.lastBorn ? 1 : cut <= o.firstBorn ? 0 : (cut - o.firstBorn) / (o.lastBorn - o.firstBorn);
    const dueUsers = dueShare >= 1 ? o.users : Math.round(o.users * dueShare);
    if (dueUsers < 1) return;
    const notDue = dueUsers === o.users ? 0 : o.kinesis * (1 - dueUsers / o.users);
    const x = this.carry[s]! - notDue;
    let k = Math.min(dueUsers, Math.round(x));
    if (k < 1) {
      if (t - o.oldestMid < this.spec.kpl.recordMaxBufferedTime) return;
      k = 1;
    }
    // Early: passed on at once, or (in the share of the buffers closed full, whole flushes at a time) aggregates closed
    // full, which keep their first user record's deadline (pipeline.h collector_put: the deadline is max(its own, now +
    // min(50 ms, T / 5)), time_sensitive.h extend_deadline_from_now). The others were flushed at their deadline: due.
    let early = o.atOnce;
    if (!early && fullShare > 0) {
      this.fullCarry += k * fullShare;
      if (this.fullCarry >= k / 2) {
        early = true;
        this.fullCarry -= k;
      }
    }
    // Due: the newest `late` wait out the collector a window more (still in the open buffer, in its expected count).
    // (Those held last time are the oldest now and go: only the others reach the collector this window.)
    let late = 0;
    if (!early && !byHold && wait > 0) {
      this.collectorLate += (Math.max(0, k - o.collected) * wait) / w;
      late = Math.min(k, Math.floor(this.collectorLate + 1e-9));
      this.collectorLate -= late;
      this.fullCarry -= late * fullShare;
    }
    o.collected = late;
    this.carry[s] = Math.max(-MAX_CARRY, Math.min(MAX_CARRY, x - k)) + notDue + late;
    if (!early) this.madeDue += k;
    const sent = k - late;
    if (sent === 0) return;
    const users = late === 0 ? dueUsers : Math.max(1, Math.round((dueUsers * sent) / k));
    const whole = users === o.users;
    const share = whole ? 1 : users / o.users;
    const end = whole ? o.lastBorn : o.firstBorn + (o.lastBorn - o.firstBorn) * share;
    const exactBytes = o.bytes * share + this.byteCarry[s]!;
    const exactKeyBytes = o.keyBytes * share + this.keyByteCarry[s]!;
    const bytes = Math.max(0, Math.round(exactBytes));
    const keyBytes = Math.max(0, Math.round(exactKeyBytes));
    this.byteCarry[s] = exactBytes - bytes;
    this.keyByteCarry[s] = exactKeyBytes - keyBytes;
    this.after.offeredKinesisAfterWarmup.add(a, sent);
    this.after.offeredWriteBytesAfterWarmup.add(a, bytes + keyBytes);
    // Each Kinesis record sent bills what those the buffer was expected to make bill on average.
    const perRecord = o.kinesis > 0 ? 1 / o.kinesis : 0;
    const p = this.pending(s, sent, users, bytes, keyBytes, o.firstBorn, end, -1, -1, 0, s, false, o.units * perRecord, o.billed * perRecord);
    this.queues[s]!.push(p);
    if (whole) o.users = 0;
    else {
      // The rest stays, born over [end, lastBorn], with its share of what the buffer was expected to make.
      keepRest(o, users, 1 - share, end);
      o.oldestMid = Math.max(o.oldestMid, end);
    }
    if (!early) {
      p.dueAt = t;
      return;
    }
    // Aggregates closed full: their user records were born over the time one process's buffer took to fill.
    if (!o.atOnce) p.firstBorn = Math.max(0, Math.min(p.firstBorn, t - o.fillTime));
    this.queueEarly(p, p.firstBorn + this.spec.kpl.recordMaxBufferedTime, a);
  }

  /**
   * How long a shard's user records are held in the group's open buffers before they come due (µs; flushOpen). Each
   * process has its own buffer for the shard (aggregator.h: a Reducer per predicted shard), flushed whole at its first
   * user record's deadline, T after it (reducer.h), or when full. With λ further records a buffer's time T and N = E[N]
   * user records a buffer, a buffer lives L = min(T, N / λ · T) (its fill time when full) and its records wait
   * W = (L + λ' L/2) / (1 + λ'), λ' = λ L / T, on average (the first L, the others half of it). The group's k buffers of
   * the shard come due at their own times, one every L' = N / r_s (r_s = k λ / T, the shard's user records a µs), so a
   * window sends the few due, each holding the records of its own last L, not the shard's whole open buffer (which made
   * the records' wait about a window whenever a window's expected Kinesis records reached one: 2 processes at 200
   * records/s each, T = 500 ms, 130 ms against 253 ms). In the window model the due part goes oldest first, a flush's
   * worth at a time (S ≈ max(window, L') of births; below): held until W − S/2 old, it leaves with mean age W. One process
   * (S = L + 1/r) holds nothing (W − S/2 < 0): its buffer goes whole, as before. Buffers closed full (share `full`)
   * have their own rule (their fill time, flushOpen), so the hold is the share of the others'.
   */
  private holdOf(lambda: number, perKinesis: number, full: number, w: Micros): Micros {
    const T = this.spec.kpl.recordMaxBufferedTime;
    if (T <= w || !(lambda > 0) || !(perKinesis > 0)) return 0;
    const L = Math.min(1, perKinesis / lambda) * T;
    const lambdaL = (lambda * L) / T;
    const W = (L + (lambdaL * L) / 2) / (1 + lambdaL);
    // Flushes come every n = L' ÷ w windows, whole windows at a time: ⌊n⌋ or ⌈n⌉ of them (the carry of Kinesis records
    // rounds), ⌈n⌉ in a share n − ⌊n⌋ of the flushes; a flush's span weighted by its records is w · E[I²] ÷ E[I].
    const n = Math.max(1, (perKinesis * T) / (this.spec.instances * lambda) / w);
    const j = Math.floor(n);
    const S = (w * ((1 - (n - j)) * j * j + (n - j) * (j + 1) * (j + 1))) / n;
    return Math.max(0, (1 - Math.min(1, full)) * (W - S / 2));
  }

  /**
   * p, just queued, reaches the collector early, its deadline `dueAt`: counted for collectorFlushes, and given its
   * processes' shares (each process's PutRecords takes 1 / processes of it) and the phase its claims start from.
   */
  private queueEarly(p: Pending, dueAt: Micros, a: Micros): void {
    p.dueAt = dueAt;
    p.perRequest = p.records / this.spec.instances;
    p.owed = this.phase;
    this.phase = (this.phase + GOLDEN_FRACTION) % 1;
    this.madeEarly += p.records;
    this.earlyData += p.bytes;
    this.earlyWrite += p.bytes + p.keyBytes;
    this.earlyLeadSum += p.records * (dueAt - a);
    this.heldDue = Math.min(this.heldDue, dueAt);
  }

  /**
   * Early Kinesis records (passed on at once) that fill a process's PutRecords: CollectionMaxCount, CollectionMaxSize
   * bytes, and with aggregation on, 256 KiB of data for the shard with the largest share (collector.h should_flush: the
   * first shard to reach it, taken as the one with the largest share, 1 / maxShare of the records). At least 1.
   */
  private earlyPerFullRequest(): number {
    const kpl = this.spec.kpl;
    const bySize = Math.floor(kpl.collectionMaxSize / (this.earlyWrite / this.madeEarly));
    const byShard = kpl.aggregationEnabled && this.maxShare > 0 ? Math.ceil(KPL_COLLECTOR_SHARD_FLUSH_BYTES / (this.earlyData / this.madeEarly)) / this.maxShare : Infinity;
    return Math.max(1, Math.min(kpl.collectionMaxCount, bySize, byShard));
  }

  /**
   * The PutRecords of the processes' collectors (reducer.h, collector.h) that fall due in the window [a, t), given what
   * waits in the queues; 0: none, and the queued records wait (expiring at RecordTtl as ever; the limiters act when
   * they are sent). A collector sends all it holds at its earliest deadline, or sooner when full. With RecordMaxBufferedTime
   * T no longer than the window (the default), whatever is queued is sent every window, and every process counts a
   * request then, with aggregation on as many as its collector's waits make (collectorCycles; the wait itself, shorter
   * than a window, holds the newest due records a window in its share: flushOpen, meanCollectorWait). Longer:
   * - a Kinesis record from a buffer flushed at its deadline reaches the collector due (pipeline.h collector_put gives it
   *   min(50 ms, T / 5)): its process sends at once, all it holds. d of them among k processes reach k·(1 − e^−d/k)
   *   processes; all k, and everything queued goes;
   * - early records (passed on at once, each with its user record's deadline T ahead, or aggregates closed full, with
   *   their first user record's) make a process's collector send L after its first one (L: the mean time from reaching
   *   the collector to the deadline, T for records passed on at once), every L + 1/r for r of them a second, or once full
   *   (earlyPerFullRequest): k processes' requests fall due every (L + 1/r) / k (evenly spaced, where independent
   *   processes' sometimes come close together: see docs/model.md), or as their early records fill them if sooner.
   *   Each takes its own process's records: 1 / k of each early batch queued (requestsDue, in the send loop), and whatever
   *   is past its deadline — the records that began a process's wait, 1 / (1 + rL) of them, go at it;
   * - the earliest deadline of the early records queued since the last request, with none falling due since: that
   *   process sends (one process: all it holds, a request every L + 1/r);
   * - a failed record put back comes due at its response + T / 2 (retrier.cc): its process sends, with its share (1 / k);
   * - what the limiters held back goes on as their tokens come (limiter.h), every window, with all that is queued.
   */
  private collectorFlushes(a: Micros, t: Micros): number {
    const kpl = this.spec.kpl;
    const k = this.spec.instances;
    const T = kpl.recordMaxBufferedTime;
    this.sendAll = false;
    this.requestsDue = 0;
    // Records never sent wait at the back of the queues, behind failed ones put back (and before copies put again
    // after a wrong-shard result).
    let queued = false;
    let fresh = false;
    for (const q of this.queues) {
      if (q.length === 0) continue;
      queued = true;
      let j = q.length - 1;
      while (j > 0 && q[j]!.copy) j--;
      if (q[j]!.attempts === 0) {
        fresh = true;
        break;
      }
    }
    if (!queued) return this.idle();
    if (!fresh) this.idle();
    if (T <= this.ctx.window) {
      this.sendAll = true;
      return k;
    }
    // The group's requests for early records fall due every (L + 1/r) / k, r = x / (k·w) early records a second per
    // process (x expected a window); with one process, the windows that pass empty after a send (g, expected: e^−x /
    // (1 − e^−x) windows) are not counted, so the queues hold for the rest, at least L. With more, the queues seldom
    // empty (a request takes one process's share).
    const w = t - a;
    const x = (this.traffic.rate.cumulative(t) - this.traffic.rate.cumulative(a)) * this.earlyPerUser;
    const lead = this.earlyLead;
    let hold = lead / k;
    if (x > 0 && k === 1) hold = Math.max(lead, lead + w / x - (w * Math.exp(-x)) / -Math.expm1(-x));
    else if (x > 0) hold = (lead + (k * w) / x) / k;
    const byTime = w / hold;
    const byFill = this.madeEarly > 0 ? this.madeEarly / this.earlyPerFullRequest() : 0;
    if (fresh) {
      this.collectorCarry += byTime;
      this.fillCarry += byFill;
    }
    const whole = Math.floor(Math.max(this.collectorCarry, this.fillCarry) + 1e-9);
    // No hold (early records with no lead, none expected this window: hold 0, a request due every instant): every
    // process's deadline is now, and all send. The carries, infinite, would turn NaN once spent (∞ − ∞), and with them
    // the processes' shares of the next windows' requests (the property test's seed 1952097661: a KPL at 381 records/s
    // whose early records came due at once).
    if (!Number.isFinite(whole)) {
      this.collectorCarry = 0;
      this.fillCarry = 0;
      this.sendAll = true;
      this.heldDue = Infinity;
      return k;
    }
    if (this.limiterHeld) {
      this.sendAll = true;
      this.heldDue = Infinity;
      this.spendCarry(whole >= 1 ? whole : Infinity);
      return k;
    }
    this.spendCarry(whole);
    // Requests besides the carried ones: processes reached by due records, the earliest deadline held, a failed record due.
    const reached = this.madeDue > 0 ? Math.max(1, Math.round(-k * Math.expm1(-this.madeDue / k))) : 0;
    const deadline = reached === 0 && fresh && t >= this.heldDue ? 1 : 0;
    const retry = t >= this.retryDueAt ? 1 : 0;
    const extra = reached + deadline + retry;
    if (whole + extra === 0) return 0;
    // With no carried request due, the processes that sent begin their waits anew: their part of the carry is spent.
    if (whole === 0) {
      this.collectorCarry *= Math.max(0, 1 - extra / k);
      this.fillCarry *= Math.max(0, 1 - extra / k);
    }
    this.heldDue = Infinity;
    if (reached + deadline >= k) {
      this.sendAll = true;
      return k;
    }
    this.requestsDue = whole + extra;
    return this.requestsDue;
  }

  /** Collectors with no new records: their next deadlines come with their next ones (or their failed ones'). */
  private idle(): 0 {
    this.spendCarry(Infinity);
    this.heldDue = Infinity;
    return 0;
  }

  /** n whole requests sent: the carries, by time and by fill, each less n (not below 0). */
  private spendCarry(n: number): void {
    this.collectorCarry = Math.max(0, this.collectorCarry - n);
    this.fillCarry = Math.max(0, this.fillCarry - n);
  }

  offerWindow(a: Micros, t: Micros): Request[] {
    const { target: stream } = this.ctx;
    const kpl = this.spec.kpl;
    this.windowStart = a;
    this.madeDue = this.madeEarly = this.earlyData = this.earlyWrite = this.earlyLeadSum = this.usersMade = this.earlyExpected = this.dueExpected = 0;
    // User records older than RecordTtl expire wherever they wait: anywhere in their queue, not only at its front (a
    // failed batch waiting for its response stays where it was while the window's failures go back in front of it).
    const cutoff = t - kpl.recordTtl;
    for (const q of this.queues) {
      let kept = 0;
      for (let i = 0; i < q.length; i++) {
        let p: Pending | undefined = q[i]!;
        while (p !== undefined && p.firstBorn < cutoff) {
          const f = p.lastBorn <= cutoff || p.lastBorn === p.firstBorn ? 1 : (cutoff - p.firstBorn) / (p.lastBorn - p.firstBorn);
          const k = Math.min(p.records, Math.max(1, Math.round(p.records * f)));
          let rest: Pending | undefined;
          let expired = p.users;
          if (k < p.records) {
            const [old, part] = splitOldest(p, k);
            rest = this.partOf(part, p);
            expired = old.users;
          }
          // A copy of records already written expires without a loss.
          if (!p.copy) this.lose("expired", expired, p.firstStatsAt >= 0 ? p.firstStatsAt : a);
          this.release(p);
          p = rest;
        }
        if (p !== undefined) q[kept++] = p;
      }
      if (kept < q.length) q.length = kept;
    }
    for (let s = 0; s < this.open.length; s++) {
      const o = this.open[s]!;
      if (o.users === 0 || o.firstBorn >= cutoff) continue;
      const f = o.lastBorn <= cutoff || o.lastBorn === o.firstBorn ? 1 : (cutoff - o.firstBorn) / (o.lastBorn - o.firstBorn);
      const k = Math.min(o.users, Math.max(1, Math.round(o.users * f)));
      this.lose("expired", k, a);
      if (k >= o.users) {
        o.users = 0;
      } else keepRest(o, k, (o.users - k) / o.users, cutoff);
    }

    // New user records, split over the shards, aggregated; open buffers are sent when due.
    const n = arrivalsIn(this.traffic.rate, a, t, this.rngArrivals);
    if (n > 0) {
      this.stats.offered += n;
      this.after.offeredAfterWarmup.add(a, n);
      this.split.draw(this.rngKeys, n, this.traffic.routing.shares, this.counts);
      const sizes = this.traffic.sizes.at(a);
      const billing = this.plainBillingOf(sizes);
      // Each process's buffer for shard s sees λ_s = (expected user records of s in the window) × T / (processes × w)
      // further records while it is open: the rate, not this window's count, since a buffer straddles windows.
      const expected = this.traffic.rate.cumulative(t) - this.traffic.rate.cumulative(a);
      const perBufferTime = (expected * kpl.recordMaxBufferedTime) / (this.spec.instances * (t - a));
      for (let s = 0; s < this.counts.length; s++) {
        const c = this.counts[s]!;
        if (c === 0) continue;
        const kb = this.traffic.routing.meanKeyBytes[s]!;
        // User records larger than the shard's byte bucket (large records) go out plain, in a batch of their own.
        const split = stream.largeRecordBytes !== undefined && stream.largeRecordBytes < stream.maxRecordSize ? Math.floor(stream.largeRecordBytes - kb) : undefined;
        const limit = Math.floor(stream.maxRecordSize - kb);
        const fit = sizes.batch(c, limit, this.rngSizes, split);
        if (fit.tooLarge > 0) this.lose("tooLarge", fit.tooLarge, a);
        if (fit.fit === 0) continue;
        const large = fit.large ?? 0;
        const largeBytes = fit.largeBytes ?? 0;
        const users = fit.fit - large;
        if (users > 0) {
          const lambda = perBufferTime * this.traffic.routing.shares[s]! * (1 - sizes.pOver(split ?? limit));
          const agg = this.aggregate(s, users, fit.bytes - largeBytes, kb, lambda, sizes);
          const bill = aggregatedBilling(agg, billing.small);
          this.carry[s]! += agg.kinesis;
          const full = agg.kinesis * (agg.full ?? 0);
          this.usersMade += users;
          this.earlyExpected += agg.atOnce === true ? agg.kinesis : full;
          if (agg.atOnce !== true) this.dueExpected += agg.kinesis - full;
          const o = this.open[s]!;
          // (A buffer closed full filled within T: E[N] / λ of T, at most T, where few close full.)
          if (full > 0) o.fillTime = Math.min(1, users / agg.kinesis / lambda) * kpl.recordMaxBufferedTime;
          if (o.users > 0) {
            o.users += users;
            o.bytes += agg.bytes;
            o.keyBytes += agg.keyBytes;
            o.kinesis += agg.kinesis;
            o.full += full;
            o.units += bill.payloadUnits;
            o.billed += bill.onDemandBytes;
            o.lastBorn = t;
            o.atOnce &&= agg.atOnce === true;
          } else {
            // Born over the window; a buffer is flushed when its oldest record reaches RecordMaxBufferedTime,
            // which with a window as long as that is the window's end (wait uniform in [0, buffer time]).
            o.users = users;
            o.bytes = agg.bytes;
            o.keyBytes = agg.keyBytes;
            o.kinesis = agg.kinesis;
            o.full = full;
            o.units = bill.payloadUnits;
            o.billed = bill.onDemandBytes;
            o.firstBorn = a;
            o.lastBorn = t;
            o.oldestMid = (a + t) / 2;
            o.atOnce = agg.atOnce === true;
          }
          o.hold = o.atOnce || !(agg.kinesis > 0) ? 0 : this.holdOf(lambda, users / agg.kinesis, full / agg.kinesis, t - a);
          this.flushOpen(s, a, t);
        }
        if (large > 0) {
          const keyBytes = Math.round(large * kb);
          this.after.offeredKinesisAfterWarmup.add(a, large);
          this.after.offeredWriteBytesAfterWarmup.add(a, largeBytes + keyBytes);
          const p = this.pending(s, large, large, largeBytes, keyBytes, a, t, -1, -1, 0, s, false, billing.large.payloadUnits, billing.large.onDemandBytes);
          this.queues[s]!.push(p);
          this.queueEarly(p, a + kpl.recordMaxBufferedTime, a);
          this.usersMade += large;
          this.earlyExpected += large;
        }
      }
    }
    // Open buffers that got nothing new this window may be due too (flushOpen looks at the others no second time).
    for (let s = 0; s < this.open.length; s++) if (this.open[s]!.users > 0) this.flushOpen(s, a, t);
    if (this.usersMade > 0) this.earlyPerUser = this.earlyExpected / this.usersMade;
    if (this.madeEarly > 0) this.earlyLead = this.earlyLeadSum / this.madeEarly;
    // The collectors' wait for the next window's due aggregates (flushOpen): the window's expected user records (by the
    // rate: whole ones come only now and then at low rates) times the due Kinesis records expected of one, the last
    // window's that made any.
    if (this.usersMade > 0) this.duePerUser = this.dueExpected / this.usersMade;
    const expectedUsers = this.traffic.rate.cumulative(t) - this.traffic.rate.cumulative(a);
    this.collectorWait = kpl.aggregationEnabled ? this.meanCollectorWait(expectedUsers * this.duePerUser, t - a) : 0;
    const flushes = this.collectorFlushes(a, t);
    if (flushes === 0) return this.awaitingHead < this.awaiting.length ? this.connect([], 0, a, t) : [];

    // Through the rate limiters, oldest first; what they hold back waits for the next window.
    const batches: Pending[] = [];
    const all = this.sendAll;
    const due = this.requestsDue;
    const limited = this.limited;
    this.limiterHeld = false;
    this.retryDueAt = Infinity;
    for (let s = 0; s < this.queues.length; s++) {
      const q = this.queues[s]!;
      if (q.length === 0) continue;
      const rb = this.limitRecords[s]!;
      const bb = this.limitBytes[s]!;
      // The parts the requests take by their processes' shares of the shard's early batches, as one batch: born over the
      // span of those they came from, evenly as they are taken in proportion to their size. (The shard's log keeps a
      // window's writes as one entry anyway, its records born over its span.) A batch taken whole goes as it is.
      let shares: Pending | undefined;
      let i = 0;
      while (i < q.length) {
        const p = q[i]!;
        let want = p.records;
        let shared = false;
        // Failed records put back wait for the response that failed them, whatever this window sends (at a window
        // end, the model's collector flush, those answered by then go with it, as they join the collector's next flush:
        // reducer.h sends all it holds); and, if this window's requests are not everyone's flush, until due.
        if (p.attempts > 0 && (p.answeredAt > t || (!all && p.dueAt > t))) {
          this.retryDueAt = Math.min(this.retryDueAt, p.dueAt);
          i++;
          continue;
        }
        if (!all && p.dueAt > t) {
          // Early records never sent: their processes' shares.
          p.owed += p.perRequest * due;
          want = Math.min(p.records, Math.floor(p.owed + 1e-9));
          if (want <= 0) {
            i++;
            continue;
          }
          shared = true;
        }
        const write = p.bytes + p.keyBytes;
        const byRecords = limited ? Math.floor(rb.available(t) + 1e-9) : Infinity;
        const byBytes = limited ? Math.floor(bb.available(t) / (write / p.records) + 1e-9) : Infinity;
        if (Math.min(byRecords, byBytes) < want) this.limiterHeld = true;
        const k = Math.min(want, byRecords, byBytes);
        if (k <= 0) break;
        if (shared) p.owed -= k;
        let sent: Pending;
        if (k === p.records) {
          if (i === 0) q.shift();
          else q.splice(i, 1);
          sent = p;
        } else {
          sent = this.takeOldest(p, k);
          // Cut by the limiter, the rest is looked at again (it holds back the rest of the shard's queue).
          if (k === want || shared) i++;
        }
        if (limited) {
          rb.take(t, k);
          bb.take(t, sent.bytes + sent.keyBytes);
        }
        if (shared && sent !== p) shares = this.joined(shares, sent);
        else this.dispatch(sent, a, t, batches);
        if (shared && k < want) break;
      }
      if (shares) this.dispatch(shares, a, t, batches);
    }
    if (batches.length === 0) return this.awaitingHead < this.awaiting.length ? this.connect(batches, 0, a, t) : [];
    // PutRecords calls: each process due sends what it has, at most CollectionMaxCount records and
    // CollectionMaxSize bytes a call.
    let records = 0;
    let bytes = 0;
    for (const b of batches) {
      records += b.records;
      bytes += b.bytes + b.keyBytes;
    }
    const kpl2 = this.spec.kpl;
    const byCount = Math.ceil(records / kpl2.collectionMaxCount);
    const bySize = Math.ceil(bytes / kpl2.collectionMaxSize);
    const deadlines = Math.min(all && limited && kpl.recordMaxBufferedTime <= this.ctx.window ? this.collectorCycles(records, t - a) : flushes, records);
    const requests = Math.max(deadlines, byCount, bySize);
    // Made: beyond one a flushing process (its deadline), those its records filled (CollectionMaxCount or CollectionMaxSize).
    const filled = requests - deadlines;
    this.kplCounts.putRecordsMade.add(a, requests);
    this.countBusiestSecond(a, requests, deadlines, Math.max(records / kpl2.collectionMaxCount, bytes / kpl2.collectionMaxSize));
    if (filled > 0) {
      this.kplCounts.putRecordsFilled.add(a, filled);
      if (bySize > byCount) this.kplCounts.putRecordsFilledBySize.add(a, filled);
    }
    return this.connect(batches, requests, a, t);
  }

  /**
   * With aggregation on and everything queued sent this window (RecordMaxBufferedTime no longer than the window): the
   * PutRecords the processes' collectors send at their deadlines for `records` Kinesis records in a window of w µs. A
   * Kinesis record reaching a collector is due D = min(50 ms, RecordMaxBufferedTime × 0.2) later at the earliest
   * (pipeline.h collector_put), and the collector sends all it holds at its earliest deadline (reducer.h): a record
   * reaching an empty collector starts a wait of D, and the next request begins with the next record after it. With
   * m = records ÷ processes reaching each process over the window (the shards' buffers fall due at their own times),
   * a process sends one every D + w/m, m·w / (m·D + w) a window, at least one (a process's records do not straddle its
   * window: one shard's buffer falls due once a window at the default). Whole requests: the fraction carries.
   */
  private collectorCycles(records: number, w: Micros): number {
    const k = this.spec.instances;
    const D = Math.min(KPL_COLLECTOR_MAX_BUFFER_MS * 1_000, this.spec.kpl.recordMaxBufferedTime * KPL_COLLECTOR_BUFFER_RATIO);
    const m = records / k;
    const perProcess = m > 0 ? Math.max(1, (m * w) / (m * D + w)) : 0;
    this.cycleCarry += k * perProcess;
    const whole = Math.floor(this.cycleCarry + 1e-9);
    this.cycleCarry -= whole;
    return Math.max(whole, Math.min(k, records));
  }

  /** The fraction of a collector request carried to the next window (collectorCycles). */
  private cycleCarry = 0;

  /**
   * This window's mean wait in the collectors (µs) of the Kinesis records reaching them due (flushed at their
   * deadline), with aggregation on: a record reaching a collector is due D = min(50 ms, RecordMaxBufferedTime × 0.2)
   * later at the earliest (pipeline.h collector_put, extend_deadline_from_now), and the collector sends all it holds at
   * its earliest deadline (reducer.h set_deadline, deadline_reached). So a record reaching an empty collector waits D and
   * starts a cycle; those reaching it during the cycle go with it, waiting D/2 on average; the next cycle begins with the
   * next record after it. With ρ records a µs reaching each of the k processes (Poisson: a cycle is D plus an idle gap of
   * mean 1/ρ, and holds 1 + ρD records), a record waits (D + ρD · D/2) / (1 + ρD) on average: D at low rates, D/2 at
   * high ones. The same cycles make the requests collectorCycles counts. BufferingTime counts the wait (retrier.cc
   * emit_metrics: an attempt's start, set when its PutRecords is made, less the user record's arrival), and so does
   * every later stage's time. 0: no record reached a collector due.
   */
  private meanCollectorWait(due: number, w: Micros): Micros {
    if (due <= 0) return 0;
    const D = Math.min(KPL_COLLECTOR_MAX_BUFFER_MS * 1_000, this.spec.kpl.recordMaxBufferedTime * KPL_COLLECTOR_BUFFER_RATIO);
    const rhoD = (due / (this.spec.instances * w)) * D;
    return (D + (rhoD * D) / 2) / (1 + rhoD);
  }

  /**
   * The collectors' mean wait for the Kinesis records reaching them due (meanCollectorWait, by the last window's), and the
   * fraction of a Kinesis record held a window more, carried (flushOpen).
   */
  private collectorWait: Micros = 0;
  private collectorLate = 0;

  /**
   * The PutRecords made this window (`made`, `requests` of them) go out over the processes' connections: at most
   * MaxConnections of a process's requests are in flight at once (pipeline.h send_put_records_request hands each to the
   * AWS SDK's PutRecordsAsync, whose HTTP client takes a connection from a pool of ClientConfiguration.maxConnections,
   * kinesis_producer.cc make_sdk_client_cfg; a request finding none free waits for one, aws-sdk-cpp CurlHandleContainer
   * AcquireCurlHandle). What the connections cannot start this window waits, made (its attempt started, as the KPL times
   * it: PutRecordsContext's start is set before the request is handed over), behind the requests that waited before it,
   * and is sent in a later window: the wait counts in its put latency and its attempt's round trip, not in its buffering
   * time (BufferingTime ends at the attempt's start, retrier.cc). While it waits nothing expires it: the KPL looks at
   * RecordTtl only when a response fails a record (retrier.cc retry_not_expired), and the SDK's request timeout
   * (curl's, set on the connection) runs only once it has one. Returns the window's request, of what is sent.
   */
  private connect(made: Pending[], requests: number, a: Micros, t: Micros): Request[] {
    const slots = this.connections;
    for (const b of made) b.requestedAt = t;
    if (slots === undefined || (this.awaitingHead === this.awaiting.length && requests <= slots.available(t) + 1e-9)) {
      if (slots !== undefined) slots.take(t, requests);
      return this.sent(made, requests, a, t);
    }
    // Behind the requests waiting: each batch with the records one request of this window holds.
    let records = 0;
    for (const b of made) records += b.records;
    for (const b of made) {
      b.requestRecords = records / requests;
      this.awaiting.push(b);
    }
    const before = this.awaitingRequests;
    this.awaitingRequests += requests;
    // As many whole requests as the connections start, oldest first; a request's records split over batches stay together.
    const start = Math.min(Math.floor(slots.available(t) + 1e-9), Math.round(this.awaitingRequests));
    // This window's requests that the connections do not start in it wait (those behind the requests waiting before).
    const waited = Math.min(requests, before + requests - start);
    if (waited > 0) this.kplCounts.putRecordsWaited.add(a, waited);
    made.length = 0;
    let left = start;
    while (left > 1e-9 && this.awaitingHead < this.awaiting.length) {
      const p = this.awaiting[this.awaitingHead]!;
      const share = p.records / p.requestRecords;
      const k = share <= left + 1e-9 ? p.records : Math.round(left * p.requestRecords);
      if (k >= p.records) {
        made.push(p);
        this.awaitingHead++;
        left -= share;
        continue;
      }
      if (k >= 1) made.push(this.takeOldest(p, k));
      left = 0;
    }
    if (this.awaitingHead === this.awaiting.length) {
      this.awaiting.length = 0;
      this.awaitingHead = 0;
      this.awaitingRequests = 0;
    } else {
      this.awaitingRequests -= start;
      if (this.awaitingHead > 1024 && this.awaitingHead * 2 > this.awaiting.length) {
        this.awaiting.copyWithin(0, this.awaitingHead);
        this.awaiting.length -= this.awaitingHead;
        this.awaitingHead = 0;
      }
    }
    slots.take(t, start);
    // Oldest first within each shard (settleWindow puts a shard's failed batches back in the order sent).
    made.sort(byShard);
    return this.sent(made, start, a, t);
  }

  /** The window's request: `batches`, `requests` PutRecords, sent at t. */
  private sent(batches: Pending[], requests: number, a: Micros, t: Micros): Request[] {
    if (batches.length === 0) return [];
    this.stats.requests += requests;
    this.kplCounts.putRecordsRequests.add(a, requests);
    return [{ batches, firstAttempt: t, sentAt: t, statsAt: a, firstStatsAt: a, attempt: 1, retryParts: 1 }];
  }

  /** `sent` goes in this window's PutRecords: its first attempt's buffering time, or counted a retry. */
  private dispatch(sent: Pending, a: Micros, t: Micros, batches: Pending[]): void {
    if (sent.firstAttempt < 0) {
      sent.firstAttempt = t;
      sent.firstStatsAt = a;
      this.bufferingTime.recordAt(a, t - (sent.firstBorn + sent.lastBorn) / 2, sent.users);
    } else {
      this.after.retriedRecords.add(a, sent.users);
      sent.retry = true;
    }
    sent.attempts++;
    batches.push(sent);
  }

  /** `part` (records never sent, taken from one of a shard's early batches) added to `into`, what this window takes of such parts so far. */
  private joined(into: Pending | undefined, part: Pending): Pending {
    if (into === undefined) return part;
    const records = into.records + part.records;
    into.unitsPerRecord = (into.unitsPerRecord * into.records + part.unitsPerRecord * part.records) / records;
    into.billedPerRecord = (into.billedPerRecord * into.records + part.billedPerRecord * part.records) / records;
    into.records = records;
    into.users += part.users;
    into.bytes += part.bytes;
    into.keyBytes += part.keyBytes;
    into.firstBorn = Math.min(into.firstBorn, part.firstBorn);
    into.lastBorn = Math.max(into.lastBorn, part.lastBorn);
    this.release(part);
    return into;
  }

  settleWindow(requests: Request[], accepted: readonly number[], offset: number, t: Micros): number {
    const at = this.windowStart;
    const back = this.failedBack;
    let i = offset;
    for (const req of requests) {
      const ack = t + this.latency(this.rngLatency);
      for (const b of req.batches as Pending[]) {
        const k = accepted[i++]!;
        const users = usersIn(b, k);
        if (b.copy) this.stats.writtenAgain += users;
        else {
          this.stats.accepted += users;
          this.after.acceptedAfterWarmup.add(ack, users);
        }
        // Wrong shard: the stream routed the records by their hash key to another shard than the KPL's stale map
        // predicted (a reshard it has not heard of). The KPL counts them failed, invalidates its shard map and puts
        // them again (retrier.cc; the shard map updates with ListShards): they are written twice.
        if (k > 0 && b.shard !== b.predicted && !b.copy) {
          const written = k === b.records ? b : splitOldest(b, k)[0];
          this.stats.wrongShard += users;
          // (Its retry flag is set when it is sent again: it has been sent before.)
          const again = this.pending(b.predicted, written.records, written.users, written.bytes, written.keyBytes, written.firstBorn, written.lastBorn, b.firstAttempt, b.firstStatsAt, b.attempts, b.predicted, true, b.unitsPerRecord, b.billedPerRecord);
          this.putBack(again, ack);
          this.queues[b.predicted]!.push(again);
          this.invalidateShardMap(t);
        }
        this.after.attempts.add(at, b.records);
        this.after.throttledAttempts.add(at, b.records - k);
        this.kplCounts.userRecordsSent.add(at, users);
        this.kplCounts.kinesisRecordsSent.add(at, b.records);
        // Its first attempt (counted as sent, not as its request was made: it may have waited for a connection).
        if (b.attempts === 1) {
          this.kplCounts.kinesisRecordsFirstSent.add(at, b.records);
          this.kplCounts.userRecordsFirstSent.add(at, b.users);
        }
        const units = k * b.unitsPerRecord;
        this.after.payloadUnits.add(at, units);
        this.after.onDemandBilledBytes.add(at, k * b.billedPerRecord);
        this.kplCounts.payloadUnitsSent.add(at, units);
        // This attempt's wait for a connection (its request made, not yet sent), added to the records' waits so far.
        b.waited += t - b.requestedAt;
        // The records' first attempt's round trip: this one's, or the one they carry from it.
        // (From when its request was made: a wait for a connection counts, as in the KPL's Request Time.)
        if (b.firstRoundTrip < 0) {
          b.firstRoundTrip = ack - b.requestedAt;
          b.firstWait = t - b.requestedAt;
        }
        if (users > 0 && !b.copy) {
          const latency = ack - b.firstAttempt;
          // Waits: 0 until a record has waited (recordWaitsApart fills the zeros in then, or at the end).
          if (b.waited !== 0 && !this.waitsApart) this.recordWaitsApart();
          this.putLatency.recordAt(b.firstStatsAt, latency, users);
          if (this.waitsApart) this.putLatencyWaits.recordAt(b.firstStatsAt, b.waited, users);
          // Its parts: the first attempt from send, the retries (the rest but the later attempts' waits), every wait.
          const firstSent = b.firstRoundTrip - b.firstWait;
          this.putLatencyParts.record3At(b.firstStatsAt, firstSent, latency - firstSent - b.waited, b.waited, users);
          this.recordFirstRoundTrip(b, users);
        }
        if (k === b.records) {
          this.release(b);
          continue;
        }
        const failed = k === 0 ? b : this.partOf(splitOldest(b, k)[1], b);
        if (this.spec.kpl.failIfThrottled) {
          // A throttled copy (records already written once, put again after a wrong-shard result) loses nothing:
          // its records are in the stream and counted accepted.
          if (!b.copy) {
            this.lose("throttled", failed.users, b.firstStatsAt);
            // Never throttled, they would have been acknowledged after that round trip.
            this.recordFirstRoundTrip(b, failed.users);
          }
          if (failed !== b) this.release(failed);
          this.release(b);
          continue;
        }
        // Back into the pipeline at its response, due RecordMaxBufferedTime / 2 later (put back below; with a
        // RecordMaxBufferedTime no longer than the window, sent at the first window's end its response has come by).
        this.putBack(failed, ack);
        back.push(failed);
        if (failed !== b) this.release(b);
      }
    }
    // At the front of their shard's queue, oldest first: a shard's batches were sent oldest first, one after another,
    // and are older than what its queue still holds (so expiry, which looks at the front, finds the oldest).
    for (let j = 0; j < back.length; ) {
      const shard = back[j]!.shard;
      let e = j + 1;
      while (e < back.length && back[e]!.shard === shard) e++;
      const q = this.queues[shard]!;
      // In calls of at most UNSHIFT_CHUNK (a shard may have more failed batches than a call takes arguments), the
      // last chunk first so the first ends in front.
      for (let c = e; c > j; c -= UNSHIFT_CHUNK) q.unshift(...back.slice(Math.max(j, c - UNSHIFT_CHUNK), c));
      j = e;
    }
    back.length = 0;
    return i;
  }

  /** `users` of b's records: their first attempt's round trip, its wait for a connection, and the rest (sent → response). */
  private recordFirstRoundTrip(b: Pending, users: number): void {
    // Until a first attempt waits for a connection, every wait is 0 and the round trip from send is the round trip: the
    // two are filled from it when one first waits (or at the end), one recording a settled batch instead of three on
    // the KPL's hot path (the same histograms: LatencyHistogram.recordAllOf).
    if (!this.waitsApart) {
      if (b.firstWait === 0) {
        this.putLatencyRoundTrip.recordAt(b.firstStatsAt, b.firstRoundTrip, users);
        return;
      }
      this.recordWaitsApart();
    }
    this.putLatencyRoundTrip.recordAt(b.firstStatsAt, b.firstRoundTrip, users);
    this.putLatencyConnectionWait.recordAt(b.firstStatsAt, b.firstWait, users);
    this.putLatencyRoundTripSent.recordAt(b.firstStatsAt, b.firstRoundTrip - b.firstWait, users);
  }

  /** Whether putLatencyConnectionWait and putLatencyRoundTripSent are recorded apart (see recordFirstRoundTrip). */
  private waitsApart = false;

  /**
   * From now on the waits are recorded apart: what the round trip and put latency hold so far had waits of 0 (every
   * record's waits, putLatencyWaits, counts the records put latency counts; the first attempt's, the round trip's).
   */
  private recordWaitsApart(): void {
    if (this.waitsApart) return;
    this.waitsApart = true;
    this.putLatencyRoundTripSent.recordAllOf(this.putLatencyRoundTrip);
    this.putLatencyConnectionWait.record(0, this.putLatencyRoundTrip.count);
    this.putLatencyWaits.record(0, this.putLatency.count);
  }

  /** `p` failed, answered at `ack`, goes back into the pipeline: due RecordMaxBufferedTime / 2 later (retrier.cc). */
  private putBack(p: Pending, ack: Micros): void {
    p.answeredAt = ack;
    p.dueAt = ack + this.spec.kpl.recordMaxBufferedTime / 2;
    this.retryDueAt = Math.min(this.retryDueAt, p.dueAt);
  }

  /** Batches failed in the window being settled, to go back at the front of their queues. */
  private readonly failedBack: Pending[] = [];

  /** In flight at the end: user records waiting in the KPL, new or coming back after a failure. */
  finish(): void {
    let buffered = 0;
    let retrying = 0;
    for (const o of this.open) buffered += o.users;
    // Made into a PutRecords that waits for a connection: a first attempt not yet sent, or a retry.
    let waiting = 0;
    for (let i = this.awaitingHead; i < this.awaiting.length; i++) {
      const p = this.awaiting[i]!;
      if (p.copy) continue;
      if (p.attempts <= 1) waiting += p.users;
      else retrying += p.users;
    }
    buffered += waiting;
    this.waitingAtEnd = waiting;
    for (const q of this.queues) {
      for (const p of q) {
        if (p.copy) continue; // already written once
        if (p.attempts === 0) buffered += p.users;
        else retrying += p.users;
      }
    }
    this.stats.buffered = buffered;
    this.stats.awaitingRetry = retrying;
    settleAfterWarmup(this.stats, this.after);
    this.recordWaitsApart();
  }

  clientMetrics(): Record<string, number> {
    const b = this.bufferingTime.summary();
    const w = this.putLatencyWaits.summary();
    const { userRecordsSent, userRecordsFirstSent, kinesisRecordsSent, kinesisRecordsFirstSent, payloadUnitsSent, putRecordsRequests, putRecordsMade, putRecordsWaited } = valuesOf(this.kplCounts);
    return {
      // What the aggregator made: user records per Kinesis record as first sent. (userRecordsSent counts the user records
      // accepted, and kinesisRecordsSent every attempt: their ratio fell below 1 under throttling, 0.0017 for plain
      // records retried 295 times each.)
      userRecordsPerKinesisRecord: kinesisRecordsFirstSent > 0 ? userRecordsFirstSent / kinesisRecordsFirstSent : 0,
      // Both after warmup (the requests were the whole run's: 0.83 records a request with a warmup).
      kinesisRecordsPerPutRecords: putRecordsRequests > 0 ? kinesisRecordsSent / putRecordsRequests : 0,
      meanBufferingTimeMs: b.mean / 1_000,
      retriesPerKinesisRecord: kinesisRecordsFirstSent > 0 ? kinesisRecordsSent / kinesisRecordsFirstSent - 1 : 0,
      expiredUserRecords: this.stats.lostExpired,
      payloadUnitsPerUserRecord: userRecordsSent > 0 ? payloadUnitsSent / userRecordsSent : 0,
      // MaxConnections: the PutRecords made that waited for a connection (first attempts and retries), and each
      // acknowledged user record's waits for one, all its attempts' (part of its put latency), mean and p99.
      putRecordsWaitedPercent: putRecordsMade > 0 ? (100 * putRecordsWaited) / putRecordsMade : 0,
      meanConnectionWaitMs: w.mean / 1_000,
      p99ConnectionWaitMs: w.p99 / 1_000,
    };
  }

  /**
   * `requests` PutRecords made in the window starting at `a`, `deadline` of them one a flushing process, `full` full
   * ones' worth: counted in their second after warmup (by the window's start).
   */
  private countBusiestSecond(a: Micros, requests: number, deadline: number, full: number): void {
    if (a < this.ctx.warmup) return;
    const second = Math.floor((a - this.ctx.warmup) / MICROS_PER_SECOND);
    if (second !== this.madeSecond) {
      this.madeBusiestSecond = Math.max(this.madeBusiestSecond, this.madeInSecond);
      this.deadlineBusiestSecond = Math.max(this.deadlineBusiestSecond, this.deadlineInSecond);
      this.fullBusiestSecond = Math.max(this.fullBusiestSecond, this.fullInSecond);
      this.madeSecond = second;
      this.madeInSecond = 0;
      this.deadlineInSecond = 0;
      this.fullInSecond = 0;
    }
    this.madeInSecond += requests;
    this.madeBusiestWindow = Math.max(this.madeBusiestWindow, requests);
    this.deadlineInSecond += deadline;
    this.fullInSecond += full;
  }

  /** Its connections and the PutRecords made of them after warmup (MaxConnections; see connect). */
  connectionUse(): ConnectionUse {
    const { putRecordsMade, putRecordsWaited, putRecordsFilled, putRecordsFilledBySize } = valuesOf(this.kplCounts);
    const share = this.ctx.part?.share ?? 1;
    const meanRoundTripUs = latencyMean(this.spec.latency);
    return {
      maxConnections: this.spec.kpl.maxConnections,
      processes: this.spec.instances,
      share,
      meanRoundTripUs,
      startsPerSecond: meanRoundTripUs > 0 ? (this.spec.instances * this.spec.kpl.maxConnections * share * MICROS_PER_SECOND) / meanRoundTripUs : Infinity,
      requestsMade: putRecordsMade,
      requestsWaited: putRecordsWaited,
      requestsFilled: putRecordsFilled,
      requestsFilledBySize: putRecordsFilledBySize,
      requestsBusiestSecond: Math.max(this.madeBusiestSecond, this.madeInSecond),
      requestsBusiestWindow: this.madeBusiestWindow,
      windowUs: this.ctx.window,
      deadlineRequestsBusiestSecond: Math.max(this.deadlineBusiestSecond, this.deadlineInSecond),
      fullRequestsBusiestSecond: Math.max(this.fullBusiestSecond, this.fullInSecond),
      recordsWaitingAtEnd: this.waitingAtEnd,
      seconds: (this.ctx.duration - this.ctx.warmup) / MICROS_PER_SECOND,
    };
  }

  private lose(reason: "tooLarge" | "expired" | "throttled", count: number, since: Micros): void {
    if (count <= 0) return;
    if (reason === "tooLarge") {
      this.stats.lostTooLarge += count;
      this.after.lostTooLargeAfterWarmup.add(since, count);
    } else if (reason === "expired") {
      this.stats.lostExpired += count;
      this.after.lostExpiredAfterWarmup.add(since, count);
    } else {
      this.stats.lostThrottled += count;
      this.after.lostThrottledAfterWarmup.add(since, count);
    }
  }
}
