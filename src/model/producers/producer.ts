// What every producer model shares: the traffic it offers (rate, record sizes, partition keys routed to
// shards), its counters and latency histogram, and the interface the simulation drives (start; at batch
// granularity offerWindow / settleWindow on the stream-wide window clock).

import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import type { Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import type { StageBreakdown } from "../../metrics/stages.js";
import { countsFrom, valuesOf, type Counts } from "../../metrics/warmup.js";
import type { ProducerSpec } from "../../spec/index.js";
import { keyPopulation, type KeyPopulation } from "../../workload/partitionKeys.js";
import { rateModel, type RateModel } from "../../workload/rate.js";
import { sizeModel, type SizeModel } from "../../workload/recordSize.js";
import { traceMeanRecordSize, type Trace } from "../../workload/trace.js";
import type { Batch } from "../batch.js";
import { routeKeys, routeOpen, type KeyRouting } from "../kinesis/keyRouting.js";
import { ON_DEMAND_BILLING_INCREMENT_BYTES, PUT_PAYLOAD_UNIT_BYTES } from "../../aws/prices.js";
import type { PutTarget } from "../putTarget.js";
import { traceSizeMix } from "./traceReplay.js";

export interface ProducerContext {
  sim: Simulator;
  /** Where the requests go: the Kinesis stream or a Direct PUT delivery stream. */
  target: PutTarget;
  rng: RandomStream;
  /** The run's stream for naming keys (a shuffled Zipf population's names: see keyPopulation). */
  keyNames: RandomStream;
  duration: Micros;
  warmup: Micros;
  granularity: "batch" | "record";
  window: Micros;
  /** The producer's traffic trace, when its rate is `shape: trace`. */
  trace?: Trace;
  /**
   * A group writing to several streams is one model per stream: its name there ("web → raw") and its share of
   * the group's records. Absent: the whole group, under the group's name.
   */
  part?: { name: string; share: number };
}

/** Counts of (user) records over the whole run (accounting) and of attempts after warmup (statistics). */
export interface ProducerStats {
  offered: number;
  accepted: number;
  lostTooLarge: number;
  lostRetriesExhausted: number;
  /** KPL: user records older than RecordTtl before they were put. */
  lostExpired: number;
  /** KPL with FailIfThrottled: records failed on their first throttle. */
  lostThrottled: number;
  /** KPL, whole run: user records a wrong-shard result sent again (its shard map was stale after a reshard), and those written a second time. */
  wrongShard: number;
  writtenAgain: number;
  /** In flight at the end: waiting in an instance's buffer (or the KPL's queues). */
  buffered: number;
  /** In flight at the end: failed and waiting for their retry. */
  awaitingRetry: number;
  /** After warmup: Kinesis records sent (each attempt counts), and how many of those were throttled. */
  attempts: number;
  throttledAttempts: number;
  /** After warmup: records re-sent after a failure. */
  retriedRecords: number;
  /** After warmup: offered records and those lost. */
  offeredAfterWarmup: number;
  /**
   * After warmup: the Kinesis records the offered records become, and their bytes (data + partition key),
   * counted once each: the load offered to the stream. Equal to the offered records except with the KPL,
   * whose aggregates hold many user records each.
   */
  offeredKinesisAfterWarmup: number;
  offeredWriteBytesAfterWarmup: number;
  lostAfterWarmup: number;
  /**
   * After warmup: records acknowledged, counted at their acknowledgement (whatever their birth): with the offered and
   * lost after warmup, how much the records in flight grew after warmup.
   */
  acceptedAfterWarmup: number;
  /** After warmup: lostAfterWarmup by reason (too large, throttled past retries, past the KPL's RecordTtl, failed when throttled with failIfThrottled). */
  lostTooLargeAfterWarmup: number;
  lostRetriesExhaustedAfterWarmup: number;
  lostExpiredAfterWarmup: number;
  lostThrottledAfterWarmup: number;
  /** API calls (PutRecords or PutRecord requests), whole run. */
  requests: number;
  /** After warmup: PUT payload units (25 KB chunks) of the Kinesis records accepted. */
  payloadUnits: number;
  /** After warmup: the bytes an on-demand stream bills as data in for the Kinesis records accepted (each rounded up to 1 KiB). */
  onDemandBilledBytes: number;
}

/** The statistics of ProducerStats that count only after warmup: models count them in `Count`s and settle them into the stats at the end. */
export const AFTER_WARMUP = [
  "attempts",
  "throttledAttempts",
  "retriedRecords",
  "offeredAfterWarmup",
  "offeredKinesisAfterWarmup",
  "offeredWriteBytesAfterWarmup",
  "acceptedAfterWarmup",
  "lostTooLargeAfterWarmup",
  "lostRetriesExhaustedAfterWarmup",
  "lostExpiredAfterWarmup",
  "lostThrottledAfterWarmup",
  "payloadUnits",
  "onDemandBilledBytes",
] as const satisfies readonly (keyof ProducerStats)[];

export type AfterWarmupStats = Counts<(typeof AFTER_WARMUP)[number]>;

/** Settles the after-warmup counts into `stats` at the end of a run; lostAfterWarmup is the sum of its reasons. */
export function settleAfterWarmup(stats: ProducerStats, after: AfterWarmupStats): void {
  Object.assign(stats, valuesOf(after));
  stats.lostAfterWarmup = stats.lostTooLargeAfterWarmup + stats.lostRetriesExhaustedAfterWarmup + stats.lostExpiredAfterWarmup + stats.lostThrottledAfterWarmup;
}

export function afterWarmupStats(warmup: Micros): AfterWarmupStats {
  return countsFrom(warmup, AFTER_WARMUP);
}

export function emptyStats(): ProducerStats {
  return {
    offered: 0,
    accepted: 0,
    lostTooLarge: 0,
    lostRetriesExhausted: 0,
    lostExpired: 0,
    lostThrottled: 0,
    wrongShard: 0,
    writtenAgain: 0,
    buffered: 0,
    awaitingRetry: 0,
    attempts: 0,
    throttledAttempts: 0,
    retriedRecords: 0,
    offeredAfterWarmup: 0,
    offeredKinesisAfterWarmup: 0,
    offeredWriteBytesAfterWarmup: 0,
    lostAfterWarmup: 0,
    acceptedAfterWarmup: 0,
    lostTooLargeAfterWarmup: 0,
    lostRetriesExhaustedAfterWarmup: 0,
    lostExpiredAfterWarmup: 0,
    lostThrottledAfterWarmup: 0,
    requests: 0,
    payloadUnits: 0,
    onDemandBilledBytes: 0,
  };
}

export interface Request {
  batches: Batch[];
  firstAttempt: Micros;
  /** When this attempt was sent. */
  sentAt: Micros;
  /**
   * When this attempt counts in statistics: its send time, except for a batch window's fresh bundle, sent
   * across [start, end) and handed over at the end, which counts at the window's start.
   */
  statsAt: Micros;
  /** statsAt of the first attempt (latency and losses count by when a record was first sent). */
  firstStatsAt: Micros;
  /** A retry: its records' first attempt's round trip (send → response), µs. */
  firstRoundTrip?: Micros;
  attempt: number;
  /** Instance groups a failure of this request is retried by (1 at record granularity). */
  retryParts: number;
  /** API calls this request stands for (batch granularity; 1 when absent). */
  calls?: number;
  /** Whether its batches are the producer's pooled ones, reused for the next window once this one is settled. */
  pooled?: boolean;
}

/**
 * A KPL producer's connections (MaxConnections a process, each PutRecords holding one for its round trip) and the
 * PutRecords made of them after warmup.
 */
export interface ConnectionUse {
  /** MaxConnections of a process, the processes, and this model's share of their connections (a group's part writing to one of several streams; 1 otherwise). */
  maxConnections: number;
  processes: number;
  share: number;
  /** The mean round trip (µs, the `latency` distribution's) a request holds a connection for, and the PutRecords they start a second at most: processes × MaxConnections × share ÷ it. */
  meanRoundTripUs: number;
  startsPerSecond: number;
  /**
   * After warmup: PutRecords made (first attempts and retries); those that waited for a connection (not started in the
   * window they were made in); those made beyond one a process's flush at its deadline, because their records filled a
   * request (CollectionMaxCount or CollectionMaxSize), and of those, filled by CollectionMaxSize.
   */
  requestsMade: number;
  requestsWaited: number;
  requestsFilled: number;
  requestsFilledBySize: number;
  /** The most PutRecords made in one second after warmup (whole seconds from its end; by the start of the window they were made in). */
  requestsBusiestSecond: number;
  /**
   * The most PutRecords made in one window after warmup, and the window (µs): the connections start at most processes ×
   * MaxConnections × max(1, window ÷ mean round trip) of a window's requests at once (see kpl.ts connect), so a burst
   * within a second may wait where the second's requests would not.
   */
  requestsBusiestWindow: number;
  windowUs: number;
  /**
   * The most PutRecords made in one second after warmup one a flushing process: at its collector's deadline (or, with
   * aggregation on, a shard's aggregate reaching it due), however few records it held.
   */
  deadlineRequestsBusiestSecond: number;
  /**
   * The most full PutRecords' worth its records made in one second after warmup: their Kinesis records ÷
   * CollectionMaxCount or bytes ÷ CollectionMaxSize, whichever is more (unrounded): the fewest requests that carry them
   * with its collection settings, however rarely its processes flush.
   */
  fullRequestsBusiestSecond: number;
  /**
   * At the end: user records whose first attempt's PutRecords waits for a connection (made, not sent; counted buffered).
   * Their attempt has started, as the KPL times it: put latency, which counts the records acknowledged, leaves out what
   * they have waited so far, as it does for the records awaiting retry.
   */
  recordsWaitingAtEnd: number;
  /** The seconds after warmup they were made in. */
  seconds: number;
}

/** The parts of a put latency, in putLatencyParts' order: first attempt (send → response), retries, waits for a connection. */
export const PUT_LATENCY_PARTS = ["firstAttempt", "retries", "waits"] as const;
export type PutLatencyPart = (typeof PUT_LATENCY_PARTS)[number];

/** A producer group as the simulation drives it. */
export interface ProducerModel {
  readonly name: string;
  readonly spec: ProducerSpec;
  readonly stats: ProducerStats;
  /** First attempt → acknowledgement, per accepted user record, for records first sent after warmup. */
  readonly putLatency: LatencyHistogram;
  /**
   * Each of those records' first attempt's round trip (send → response), and those of the records lost after being
   * throttled: their put latency had no attempt been throttled (the same requests, the same round trips), which tells a
   * missed put-latency SLO's round trip from its throttled retries.
   */
  readonly putLatencyRoundTrip: LatencyHistogram;
  /**
   * A client that may wait for a connection before it sends (the KPL: MaxConnections): of each of those round trips, the
   * wait, and the rest (sent → response). Absent: no wait, the round trip is all sent → response.
   */
  readonly putLatencyConnectionWait?: LatencyHistogram;
  readonly putLatencyRoundTripSent?: LatencyHistogram;
  /**
   * Such a client: of each acknowledged record's put latency, its waits for a connection, all its attempts' (a throttled
   * record's retries wait too), and the rest. Absent: no wait, put latency is all the rest.
   */
  readonly putLatencyWaits?: LatencyHistogram;
  /**
   * Each acknowledged record's put latency in three parts that add up to it (PUT_LATENCY_PARTS): its first attempt's
   * round trip from send to response; its retries (from that response to its acknowledgement: the backoffs and the
   * retries' round trips, their waits for a connection left out); and its waits for a connection, every attempt's.
   */
  readonly putLatencyParts?: StageBreakdown;
  /** Its connections and the requests made of them after warmup (the KPL: MaxConnections). */
  connectionUse?(): ConnectionUse;
  /** What it offers: rate, record sizes, keys routed to shards. */
  readonly traffic: ProducerTraffic;
  start(): void;
  /** Batch granularity: the requests sent in the window [a, t). */
  offerWindow(a: Micros, t: Micros): Request[];
  /** Batch granularity: the responses; `accepted` per batch, from `offset`; returns the next offset. */
  settleWindow(requests: Request[], accepted: readonly number[], offset: number, t: Micros): number;
  /** Client-specific figures for the report (KPL aggregation, agent buffering, …). */
  clientMetrics(): Record<string, number>;
  /** At the end of the run: settle the after-warmup counters into `stats`, and what is computed rather than kept (in flight). */
  finish(): void;
}

/**
 * Record sizes, fixed per period when they come from a trace's bytes ÷ records. `pOver`: over all the records (a
 * trace's: its periods' sizes, each period's records at its own); `truncated`: the moments below a limit, of a size
 * distribution (absent for a trace's sizes).
 */
export interface SizeSource {
  readonly mean: number;
  at(t: Micros): SizeModel;
  pOver(limit: number): number;
  truncated?(limit: number): { mean: number; variance: number };
}

/**
 * The billing increments a record of these sizes counts on average, each record rounded up to a whole increment
 * (at least one): E[max(1, ⌈size ÷ increment⌉)] = 1 + Σ_{k ≥ 1} P(size > k × increment), up to the largest record.
 * PUT payload units with 25 KB increments; an on-demand stream's data in with 1 KiB ones.
 */
export function incrementsPerRecord(sizes: Pick<SizeSource, "pOver">, increment: number, maxRecordSize: number): number {
  let n = 1;
  for (let k = 1; k * increment < maxRecordSize; k++) n += sizes.pOver(k * increment);
  return n;
}

/**
 * The same for the records whose size lies in (above, upTo]: E[max(1, ⌈size ÷ increment⌉) | above < size ≤ upTo] =
 * 1 + Σ_{k ≥ 1, k × increment < upTo} P(size > k × increment | above < size ≤ upTo). A stream that admits large
 * records splits them off at `above` (the KPL sends them plain, apart from the others). 1 when no size lies there.
 */
export function incrementsPerRecordIn(sizes: Pick<SizeSource, "pOver">, increment: number, above: number, upTo: number): number {
  const pAbove = above > 0 ? sizes.pOver(above) : 1;
  const pTop = sizes.pOver(upTo);
  const p = pAbove - pTop;
  if (!(p > 0)) return 1;
  let n = 1;
  for (let k = 1; k * increment < upTo; k++) n += (Math.min(pAbove, sizes.pOver(k * increment)) - pTop) / p;
  return n;
}

/**
 * The same for `records` records all of one size, `meanBytes`: records of a fixed size, or an aggregate (the KPL's,
 * of its expected size). Not for records of spread sizes: rounding their mean bills too little (700 B records of a
 * lognormal with a p99 of 4 KiB bill 1.43 KiB each on average, their mean rounds to 1 KiB).
 */
export function incrementsOfBatch(records: number, meanBytes: number, increment: number): number {
  return records * Math.max(1, Math.ceil(meanBytes / increment));
}

/**
 * What a record bills on average (https://aws.amazon.com/kinesis/data-streams/pricing/): PUT payload units, each
 * record in 25 KB units, and the bytes an on-demand stream bills for data in, each record rounded up to 1 KiB.
 */
export interface RecordBilling {
  payloadUnits: number;
  onDemandBytes: number;
}

/** What records of these sizes bill on average, each rounded up (incrementsPerRecord), as the SDK's and the Agent's records bill. */
export function recordBilling(sizes: Pick<SizeSource, "pOver">, maxRecordSize: number): RecordBilling {
  return {
    payloadUnits: incrementsPerRecord(sizes, PUT_PAYLOAD_UNIT_BYTES, maxRecordSize),
    onDemandBytes: ON_DEMAND_BILLING_INCREMENT_BYTES * incrementsPerRecord(sizes, ON_DEMAND_BILLING_INCREMENT_BYTES, maxRecordSize),
  };
}

/** The same for those of the records whose size lies in (above, upTo] (incrementsPerRecordIn). */
export function recordBillingIn(sizes: Pick<SizeSource, "pOver">, above: number, upTo: number): RecordBilling {
  return {
    payloadUnits: incrementsPerRecordIn(sizes, PUT_PAYLOAD_UNIT_BYTES, above, upTo),
    onDemandBytes: ON_DEMAND_BILLING_INCREMENT_BYTES * incrementsPerRecordIn(sizes, ON_DEMAND_BILLING_INCREMENT_BYTES, above, upTo),
  };
}

/** Sizes `factor` times as large as `sizes`' (an application's output records, sizeFactor times its input's). */
export function scaledSizes(sizes: Pick<SizeSource, "pOver">, factor: number): Pick<SizeSource, "pOver"> {
  return factor === 1 ? sizes : { pOver: (l) => sizes.pOver(l / factor) };
}

export function sizeSource(spec: ProducerSpec, trace: Trace | undefined, scale = 1): SizeSource {
  if (spec.recordSize) {
    const m = scaled(sizeModel(spec.recordSize), scale);
    return { mean: m.mean, at: () => m, pOver: (l) => m.pOver(l), truncated: (l) => m.truncated(l) };
  }
  if (!trace || !trace.bytes) throw new Error(`producer ${spec.name}: no recordSize and no trace bytes to derive it from`);
  const cache = new Map<number, SizeModel>();
  const fixed = (size: number) => {
    let m = cache.get(size);
    if (!m) cache.set(size, (m = sizeModel({ dist: "fixed", size })));
    return m;
  };
  const totalRecords = trace.records.reduce((a, b) => a + b, 0);
  const totalBytes = trace.bytes.reduce((a, b) => a + b, 0);
  const mean = totalRecords > 0 ? (totalBytes / totalRecords) * scale : 1;
  // Each period's records at its own size, not all at the whole trace's mean (a trace of 100 B and 1,500 B periods bills
  // 1 KiB and 2 KiB records, not 800 B ones as 1 KiB).
  const mix = traceSizeMix(trace, scale);
  return {
    mean,
    at: (t) => fixed(Math.max(1, Math.round((traceMeanRecordSize(trace, t) ?? mean / scale) * scale))),
    pOver: mix ? mix.pOver : (l) => (mean > l ? 1 : 0),
  };
}

/** A size model multiplied by a factor (the agent's line joining and data conversion). */
function scaled(m: SizeModel, f: number): SizeModel {
  if (f === 1) return m;
  return {
    mean: m.mean * f,
    sample: (rng) => Math.max(1, Math.round(m.sample(rng) * f)),
    pOver: (limit) => m.pOver(limit / f),
    truncated: (limit) => {
      const t = m.truncated(limit / f);
      return { mean: t.mean * f, variance: t.variance * f * f };
    },
    batch: (n, limit, rng, split, out) => {
      const b = m.batch(n, limit / f, rng, split === undefined ? undefined : split / f, out);
      const bytes = Math.round(b.bytes * f);
      b.bytes = bytes;
      if (b.large !== undefined) b.largeBytes = Math.min(bytes, Math.round(b.largeBytes! * f));
      return b;
    },
  };
}

/** Records without partition keys (a Direct PUT delivery stream): one partition, no key bytes. */
function unkeyedRouting(keys: number): KeyRouting {
  return {
    shares: Float64Array.of(1),
    meanKeyBytes: Float64Array.of(0),
    shardOfKey: new Int32Array(keys),
    sample: () => ({ shard: 0, keyBytes: 0 }),
  };
}

/** Traffic shared by all producer kinds. */
export class ProducerTraffic {
  readonly rate: RateModel;
  readonly sizes: SizeSource;
  /** Where the records go: replaced when the stream reshards (the SDK routes by the new map at once). */
  routing: KeyRouting;
  readonly keyDescription: string;
  readonly topKeys: { key: string; share: number; shard: number }[];
  /** PUT payload units, and the bytes an on-demand stream bills, per record on average over all its sizes (each record rounded up: recordBilling). */
  readonly payloadUnitsPerRecord: number;
  readonly onDemandBilledBytesPerRecord: number;
  /** Mean bytes a record puts in a request (data + partition key). */
  readonly meanWriteBytes: number;
  readonly population: KeyPopulation;

  /** Routes by the stream's open shards now (a producer that learns of a reshard late calls it then). */
  readonly reroute: () => void;

  constructor(spec: ProducerSpec, ctx: ProducerContext, options: { rateDivisor?: number; sizeFactor?: number; followReshards?: boolean } = {}) {
    const base = rateModel(spec.rate, ctx.duration, ctx.trace, ctx.rng.fork("trace"));
    const div = options.rateDivisor ?? 1;
    const share = ctx.part?.share ?? 1;
    this.rate =
      div === 1 && share === 1
        ? base
        : {
            arrivals: base.arrivals,
            rateAt: (t) => (base.rateAt(t) / div) * share,
            cumulative: (t) => (base.cumulative(t) / div) * share,
            meanRate: (d) => (base.meanRate(d) / div) * share,
            peakRate: (d) => (base.peakRate(d) / div) * share,
            ...(base.timeAt ? { timeAt: (c: number) => base.timeAt!((c * div) / share) } : {}),
          };
    this.sizes = sizeSource(spec, ctx.trace, options.sizeFactor ?? 1);
    const population = keyPopulation(spec.partitionKey, ctx.keyNames);
    this.population = population;
    this.keyDescription = ctx.target.keyed ? population.description : "no partition keys (Firehose)";
    const target = ctx.target;
    const route = () => (target.openRanges && target.reshardsDuringRun ? routeOpen(population, target.openRanges(), target.shardCount) : routeKeys(population, target.ranges));
    this.routing = target.keyed ? route() : unkeyedRouting(population.count);
    this.reroute = () => {
      if (target.keyed) this.routing = route();
    };
    if (target.keyed && target.reshardsDuringRun && options.followReshards !== false) target.onReshard?.(() => this.reroute());
    this.topKeys = !ctx.target.keyed ? [] : [...population.shares.keys()]
      .sort((a, b) => population.shares[b]! - population.shares[a]! || a - b)
      .slice(0, 5)
      .map((i) => ({ key: population.partitionKeyAt(i), share: population.shares[i]!, shard: this.routing.shardOfKey[i]! }));
    let keyBytes = 0;
    this.routing.shares.forEach((share, s) => (keyBytes += share * this.routing.meanKeyBytes[s]!));
    this.meanWriteBytes = this.sizes.mean + keyBytes;
    this.maxRecordSize = ctx.target.maxRecordSize;
    const billing = recordBilling(this.sizes, this.maxRecordSize);
    this.payloadUnitsPerRecord = billing.payloadUnits;
    this.onDemandBilledBytesPerRecord = billing.onDemandBytes;
  }

  private readonly maxRecordSize: number;
  /** Per size model (one, unless the sizes come from a trace, fixed per period): what a record of it bills. */
  private readonly billings = new Map<SizeModel, RecordBilling>();
  private lastModel: SizeModel | undefined;
  private lastBilling: RecordBilling | undefined;

  /**
   * What a record whose size was drawn at t bills on average (recordBilling of its size model): a trace's records each at
   * their period's size, not at the whole trace's mean. Worked out once per size model.
   */
  billingAt(t: Micros): RecordBilling {
    const m = this.sizes.at(t);
    if (m === this.lastModel) return this.lastBilling!;
    let b = this.billings.get(m);
    if (!b) this.billings.set(m, (b = recordBilling(m, this.maxRecordSize)));
    this.lastModel = m;
    this.lastBilling = b;
    return b;
  }
}
