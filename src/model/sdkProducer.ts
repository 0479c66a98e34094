// A group of application instances writing with the AWS SDK (PutRecords, or PutRecord).
//
// Each instance collects records into a PutRecords request and sends it when it holds maxBatchRecords
// records, when the next record would take it past maxRequestSize, or `linger` after its first record.
// The service answers per record (KINESIS.md §1.3): accepted, or ProvisionedThroughputExceeded. The
// application resends the failed records, oldest first, after an exponential backoff with full jitter
// (delay = U(0, min(cap, base · 2^attempt))), until maxAttempts; records still failing are lost
// ("throttled past retries"). Records larger than the stream's limit are rejected client-side ("too large").
//
// Two granularities share the request path (send → shards → response → retries):
// - record: every record is born at its own time, goes to one instance's buffer, and travels alone; each
//   request reaches the shards at its own instant, first come, first served;
// - batch: every `window` the group's traffic is handed over as one request bundle holding one batch per
//   shard (the multinomial split of the window's records over the shards), standing for the requests the
//   instances sent in that window. Retries falling due in a window join it. All producers' offers in a
//   window reach the stream together and share each shard's capacity in proportion (Stream.admitWindow),
//   since real arrivals within a window are interleaved. Retries of a bundle are split over up to 4
//   instance groups, each with its own jitter, as separate instances would retry separately.

import type { RandomStream } from "../engine/random.js";
import type { Simulator } from "../engine/simulator.js";
import type { Micros } from "../engine/time.js";
import { LatencyHistogram } from "../metrics/latency.js";
import type { SdkProducerSpec } from "../scenario/schema.js";
import { keyPopulation } from "../workload/partitionKeys.js";
import { arrivalTimes, arrivalsIn, rateModel, type RateModel } from "../workload/rate.js";
import { sizeModel, type SizeModel } from "../workload/recordSize.js";
import { splitEvenly, splitOldest, type Batch } from "./batch.js";
import { routeKeys, type KeyRouting } from "./keyRouting.js";
import { latencySampler, type LatencySampler } from "./latency.js";
import { multinomial } from "./multinomial.js";
import { PUT_PAYLOAD_UNIT_BYTES } from "./pricing.js";
import type { Stream } from "./stream.js";

export interface ProducerContext {
  sim: Simulator;
  stream: Stream;
  rng: RandomStream;
  duration: Micros;
  warmup: Micros;
  granularity: "batch" | "record";
  window: Micros;
}

/** Counts of records over the whole run (accounting) and of attempts after warmup (statistics). */
export interface ProducerStats {
  offered: number;
  accepted: number;
  lostTooLarge: number;
  lostRetriesExhausted: number;
  /** In flight at the end: waiting in an instance's buffer. */
  buffered: number;
  /** In flight at the end: failed and waiting for their retry. */
  awaitingRetry: number;
  /** After warmup: records sent (each attempt counts), and how many of those were throttled. */
  attempts: number;
  throttledAttempts: number;
  /** After warmup: records re-sent after a failure. */
  retriedRecords: number;
  /** After warmup: offered records and those lost. */
  offeredAfterWarmup: number;
  /** After warmup: bytes (data + partition key) of the records offered, counted once each. */
  offeredWriteBytesAfterWarmup: number;
  lostAfterWarmup: number;
  /** API calls (PutRecords or PutRecord requests), whole run. */
  requests: number;
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
  attempt: number;
  /** Instance groups a failure of this request is retried by (1 at record granularity). */
  retryParts: number;
}

interface InstanceBuffer {
  batches: Batch[];
  bytes: number;
  generation: number;
}

const MAX_RETRY_PARTS = 4;

export class SdkProducer {
  readonly name: string;
  readonly stats: ProducerStats = {
    offered: 0,
    accepted: 0,
    lostTooLarge: 0,
    lostRetriesExhausted: 0,
    buffered: 0,
    awaitingRetry: 0,
    attempts: 0,
    throttledAttempts: 0,
    retriedRecords: 0,
    offeredAfterWarmup: 0,
    offeredWriteBytesAfterWarmup: 0,
    lostAfterWarmup: 0,
    requests: 0,
  };
  /** First attempt → acknowledgement, per accepted record, for records first sent after warmup. */
  readonly putLatency = new LatencyHistogram();

  readonly rate: RateModel;
  readonly sizes: SizeModel;
  readonly routing: KeyRouting;
  readonly keyDescription: string;
  /** The most popular discrete keys (up to 5) with their traffic share and shard index. */
  readonly topKeys: { key: string; share: number; shard: number }[];
  private readonly latency: LatencySampler;
  private readonly rngArrivals: RandomStream;
  private readonly rngKeys: RandomStream;
  private readonly rngSizes: RandomStream;
  private readonly rngLatency: RandomStream;
  private readonly rngRetry: RandomStream;
  private readonly counts: Float64Array;
  /** Mean PUT payload units (25 KB chunks) a record is billed: E[ceil(size / 25 KB)] = Σ_k≥0 P(size > k·25 KB). */
  readonly payloadUnitsPerRecord: number;
  /** Mean bytes a record puts in a request (data + partition key). */
  private readonly meanWriteBytes: number;
  private readonly buffers: InstanceBuffer[] = [];
  private requestCarry = 0;
  /** Batch granularity: retries by the end time of the window they join. */
  private readonly dueRetries = new Map<Micros, Request[]>();

  constructor(
    readonly spec: SdkProducerSpec,
    private readonly ctx: ProducerContext,
  ) {
    this.name = spec.name;
    this.rate = rateModel(spec.rate, ctx.duration);
    this.sizes = sizeModel(spec.recordSize);
    const population = keyPopulation(spec.partitionKey);
    this.keyDescription = population.description;
    this.routing = routeKeys(population, ctx.stream.ranges);
    this.topKeys = [...population.shares.keys()]
      .sort((a, b) => population.shares[b]! - population.shares[a]! || a - b)
      .slice(0, 5)
      .map((i) => ({ key: population.partitionKeyAt(i), share: population.shares[i]!, shard: this.routing.shardOfKey[i]! }));
    this.latency = latencySampler(spec.latency);
    this.rngArrivals = ctx.rng.fork("arrivals");
    this.rngKeys = ctx.rng.fork("keys");
    this.rngSizes = ctx.rng.fork("sizes");
    this.rngLatency = ctx.rng.fork("latency");
    this.rngRetry = ctx.rng.fork("retry");
    this.counts = new Float64Array(ctx.stream.shardCount);
    let keyBytes = 0;
    this.routing.shares.forEach((share, s) => (keyBytes += share * this.routing.meanKeyBytes[s]!));
    this.meanWriteBytes = this.sizes.mean + keyBytes;
    let units = 1;
    for (let k = 1; k * PUT_PAYLOAD_UNIT_BYTES < ctx.stream.maxRecordSize; k++) units += this.sizes.pOver(k * PUT_PAYLOAD_UNIT_BYTES);
    this.payloadUnitsPerRecord = units;
  }

  start(): void {
    const { sim, granularity } = this.ctx;
    if (granularity === "record") {
      for (let i = 0; i < this.spec.instances; i++) this.buffers.push({ batches: [], bytes: 0, generation: 0 });
      sim.scheduleAt(0, (t) => this.recordWindow(t));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Batch granularity.

  /** Records a request carries on average at the current per-instance rate. */
  private recordsPerRequest(perInstanceRate: number): number {
    const spec = this.spec;
    if (spec.api === "PutRecord") return 1;
    const bySize = Math.max(1, Math.floor(spec.maxRequestSize / this.meanWriteBytes));
    const byLinger = Math.max(1, perInstanceRate * (spec.linger / 1e6));
    return Math.max(1, Math.min(spec.maxBatchRecords, bySize, byLinger));
  }

  /** Batch granularity: the requests this group sends in the window [a, t): fresh records and due retries. */
  offerWindow(a: Micros, t: Micros): Request[] {
    const { stream, warmup } = this.ctx;
    const out: Request[] = [];
    const due = this.dueRetries.get(t);
    if (due) {
      this.dueRetries.delete(t);
      for (const r of due) {
        const count = r.batches.reduce((s, b) => s + b.records, 0);
        this.stats.awaitingRetry -= count;
        this.stats.requests++;
        if (r.sentAt >= warmup) this.stats.retriedRecords += count;
        out.push(r);
      }
    }
    const n = arrivalsIn(this.rate, a, t, this.rngArrivals);
    if (n === 0) return out;
    this.stats.offered += n;
    if (a >= warmup) this.stats.offeredAfterWarmup += n;
    const perInstance = this.rate.rateAt(a) / this.spec.instances;
    const perRequest = this.recordsPerRequest(perInstance);
    // Requests sent in [a, t) hold records that waited up to one fill interval in their instance.
    const fill = this.spec.api === "PutRecord" || perInstance <= 0 ? 0 : Math.min(this.spec.linger, Math.round((perRequest / perInstance) * 1e6));
    const firstBorn = Math.max(0, a - fill);
    this.requestCarry += n / perRequest;
    const whole = Math.floor(this.requestCarry);
    this.stats.requests += whole;
    this.requestCarry -= whole;

    const counts = this.counts;
    multinomial(this.rngKeys, n, this.routing.shares, counts);
    const batches: Batch[] = [];
    const keyBytes = this.routing.meanKeyBytes;
    for (let s = 0; s < counts.length; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      const kb = keyBytes[s]!;
      const sizes = this.sizes.batch(c, Math.floor(stream.maxRecordSize - kb), this.rngSizes);
      if (sizes.tooLarge > 0) this.lose("tooLarge", sizes.tooLarge, a);
      if (sizes.fit > 0) {
        const kbTotal = Math.round(sizes.fit * kb);
        if (a >= warmup) this.stats.offeredWriteBytesAfterWarmup += sizes.bytes + kbTotal;
        batches.push({ shard: s, records: sizes.fit, bytes: sizes.bytes, keyBytes: kbTotal, firstBorn, lastBorn: t });
      }
    }
    if (batches.length > 0) {
      out.push({ batches, firstAttempt: t, sentAt: t, statsAt: a, firstStatsAt: a, attempt: 1, retryParts: Math.min(this.spec.instances, MAX_RETRY_PARTS) });
    }
    return out;
  }

  /** Batch granularity: the responses to this window's requests; `accepted` is per batch, in order from `offset`. */
  settleWindow(requests: Request[], accepted: readonly number[], offset: number, t: Micros): number {
    this.settlingTick = t;
    let i = offset;
    for (const req of requests) {
      const ack = req.sentAt + this.latency(this.rngLatency);
      let ok = 0;
      let sent = 0;
      let failed: Batch[] | undefined;
      for (const b of req.batches) {
        const k = accepted[i++]!;
        sent += b.records;
        ok += k;
        if (k < b.records) (failed ??= []).push(k === 0 ? b : splitOldest(b, k)[1]);
      }
      this.respond(req, ack, sent, ok, failed);
    }
    return i;
  }

  // ---------------------------------------------------------------------------------------------------
  // Record granularity: every record is born, buffered and sent on its own.

  private recordWindow(t: Micros): void {
    const { sim, duration, window } = this.ctx;
    const end = Math.min(t + window, duration);
    const n = arrivalsIn(this.rate, t, end, this.rngArrivals);
    const times = arrivalTimes(this.rate, t, end, n, this.rngArrivals);
    for (const born of times) {
      const { shard, keyBytes } = this.routing.sample(this.rngKeys);
      const size = this.sizes.sample(this.rngSizes);
      const instance = this.spec.instances === 1 ? 0 : this.rngKeys.int(this.spec.instances);
      sim.scheduleAt(born, () => this.recordBorn({ shard, records: 1, bytes: size, keyBytes, firstBorn: born, lastBorn: born }, instance));
    }
    if (end < duration) sim.scheduleAt(end, (next) => this.recordWindow(next));
  }

  private recordBorn(record: Batch, instance: number): void {
    const now = record.firstBorn;
    this.stats.offered++;
    if (now >= this.ctx.warmup) this.stats.offeredAfterWarmup++;
    if (record.bytes + record.keyBytes > this.ctx.stream.maxRecordSize) {
      this.lose("tooLarge", 1, now);
      return;
    }
    if (now >= this.ctx.warmup) this.stats.offeredWriteBytesAfterWarmup += record.bytes + record.keyBytes;
    const spec = this.spec;
    if (spec.api === "PutRecord") {
      this.stats.requests++;
      this.send({ batches: [record], firstAttempt: now, sentAt: now, statsAt: now, firstStatsAt: now, attempt: 1, retryParts: 1 }, now);
      return;
    }
    const buf = this.buffers[instance]!;
    const size = record.bytes + record.keyBytes;
    if (buf.batches.length > 0 && buf.bytes + size > spec.maxRequestSize) this.flush(instance, now);
    buf.batches.push(record);
    buf.bytes += size;
    this.stats.buffered++;
    if (buf.batches.length >= spec.maxBatchRecords || spec.linger === 0) {
      this.flush(instance, now);
    } else if (buf.batches.length === 1) {
      const generation = buf.generation;
      this.ctx.sim.scheduleAt(now + spec.linger, (at) => {
        if (buf.generation === generation) this.flush(instance, at);
      });
    }
  }

  private flush(instance: number, now: Micros): void {
    const buf = this.buffers[instance]!;
    const batches = buf.batches;
    buf.batches = [];
    buf.bytes = 0;
    buf.generation++;
    this.stats.buffered -= batches.length;
    this.stats.requests++;
    this.send({ batches, firstAttempt: now, sentAt: now, statsAt: now, firstStatsAt: now, attempt: 1, retryParts: 1 }, now);
  }

  // ---------------------------------------------------------------------------------------------------
  // The request path, the same at both granularities.

  /** Record granularity: a request reaches the shards at `now`, first come, first served. */
  private send(req: Request, now: Micros): void {
    const stream = this.ctx.stream;
    const ack = now + this.latency(this.rngLatency);
    let sent = 0;
    let accepted = 0;
    let failed: Batch[] | undefined;
    for (const b of req.batches) {
      const k = stream.put(b, now);
      sent += b.records;
      accepted += k;
      if (k < b.records) (failed ??= []).push(k === 0 ? b : splitOldest(b, k)[1]);
    }
    this.respond(req, ack, sent, accepted, failed);
  }

  /** The response to a request: latency of the accepted records, retries or loss for the failed ones. */
  private respond(req: Request, ack: Micros, sent: number, accepted: number, failed: Batch[] | undefined): void {
    const { warmup, sim, granularity } = this.ctx;
    this.stats.accepted += accepted;
    if (req.statsAt >= warmup) {
      this.stats.attempts += sent;
      this.stats.throttledAttempts += sent - accepted;
    }
    if (accepted > 0 && req.firstStatsAt >= warmup) this.putLatency.record(ack - req.firstAttempt, accepted);
    if (!failed) return;

    const failedCount = sent - accepted;
    if (req.attempt >= this.spec.retry.maxAttempts) {
      this.lose("retriesExhausted", failedCount, req.firstStatsAt);
      return;
    }
    const parts = Math.min(req.retryParts, failedCount);
    const groups: Batch[][] = Array.from({ length: parts }, () => []);
    for (const b of failed) {
      const pieces = parts === 1 ? [b] : splitEvenly(b, parts);
      pieces.forEach((p, j) => groups[j % parts]!.push(p));
    }
    const { base, cap } = this.spec.retry;
    const ceiling = Math.min(cap, base * 2 ** req.attempt);
    for (const group of groups) {
      if (group.length === 0) continue;
      const count = group.reduce((s, b) => s + b.records, 0);
      this.stats.awaitingRetry += count;
      const at = ack + Math.floor(this.rngRetry.uniform() * ceiling);
      const retry: Request = { batches: group, firstAttempt: req.firstAttempt, sentAt: at, statsAt: at, firstStatsAt: req.firstStatsAt, attempt: req.attempt + 1, retryParts: 1 };
      if (granularity === "batch") {
        // Joins the window in which it falls due (never if that is past the end of the run).
        const tick = this.windowEndFor(Math.max(at, this.settlingTick + 1));
        if (tick === undefined) continue;
        const list = this.dueRetries.get(tick);
        if (list) list.push(retry);
        else this.dueRetries.set(tick, [retry]);
      } else {
        sim.scheduleAt(at, (t) => {
          this.stats.awaitingRetry -= count;
          this.stats.requests++;
          if (t >= warmup) this.stats.retriedRecords += count;
          this.send(retry, t);
        });
      }
    }
  }

  /** Batch granularity: the window being settled; a retry can join only a later one. */
  private settlingTick: Micros = 0;

  /** The end of the batch window containing time `at` (windows end at W, 2W, … and at the run's end). */
  private windowEndFor(at: Micros): Micros | undefined {
    const { window, duration } = this.ctx;
    if (at > duration) return undefined;
    return Math.min(Math.max(1, Math.ceil(at / window)) * window, duration);
  }

  private lose(reason: "tooLarge" | "retriesExhausted", count: number, since: Micros): void {
    if (reason === "tooLarge") this.stats.lostTooLarge += count;
    else this.stats.lostRetriesExhausted += count;
    if (since >= this.ctx.warmup) this.stats.lostAfterWarmup += count;
  }
}
