// A group of application instances writing with PutRecords (or PutRecord): the AWS SDK in an application
// (`client: sdk`), or the Kinesis Agent tailing log files (`client: agent`).
//
// Each instance collects records into a PutRecords request and sends it when it holds maxBatchRecords
// records, when the next record would take it past maxRequestSize, or `linger` after its first record (the
// agent: maxBufferSizeRecords, maxBufferSizeBytes, maxBufferAge). The service answers per record
// (PutRecords API reference): accepted, or ProvisionedThroughputExceeded. The SDK application resends the failed
// records, oldest first, after an exponential backoff with full jitter (delay = U(0, min(cap, base · 2^attempt))),
// until maxAttempts; records still failing are lost ("throttled past retries"). The agent queues a failed
// buffer for retry without a limit, backing off from retryInitialBackoff doubling up to retryMaxBackoff.
// Records larger than the stream's limit are rejected client-side ("too large").
//
// Two granularities share the request path (send → shards → response → retries):
// - record: every record is born at its own time, goes to one instance's buffer, and travels alone; each
//   request reaches the shards at its own instant, first come, first served;
// - batch: every `window` the group's traffic is handed over as one request bundle holding one batch per
//   shard (the multinomial split of the window's records over the shards), standing for the requests the
//   instances sent in that window. A group sending fewer requests than one a window holds a window's records
//   until a request falls due (or their linger runs out), so that its requests reach the shards as bursts.
//   Retries falling due in a window join it. All producers' offers in a
//   window reach the stream together and share each shard's capacity in proportion (Stream.admitWindow),
//   since real arrivals within a window are interleaved. Retries of a bundle are split over up to 4
//   instance groups, each with its own jitter, as separate instances would retry separately.

import type { RandomStream } from "../../engine/random.js";
import type { Micros } from "../../engine/time.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { StageBreakdown } from "../../metrics/stages.js";
import type { AgentProducerSpec, SdkProducerSpec } from "../../spec/index.js";
import { arrivalTimes, arrivalsIn } from "../../workload/rate.js";
import type { BatchSizes } from "../../workload/recordSize.js";
import { splitEvenly, splitOldest, type Batch } from "../batch.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import { MultinomialSampler } from "../../engine/multinomial.js";
import { agentClient, agentTraffic } from "./agent.js";
import type { ClientConfig } from "./client.js";
import { sdkClient } from "./sdk.js";
import { afterWarmupStats, emptyStats, ProducerTraffic, settleAfterWarmup, type AfterWarmupStats, type ProducerContext, type ProducerModel, type ProducerStats, type Request } from "./producer.js";

interface InstanceBuffer {
  batches: Batch[];
  bytes: number;
  generation: number;
}

const MAX_RETRY_PARTS = 4;

export class PutClientProducer implements ProducerModel {
  readonly name: string;
  readonly stats: ProducerStats = emptyStats();
  /** The statistics above that count only after warmup. */
  private readonly after: AfterWarmupStats;
  /** First attempt → acknowledgement, per accepted record, for records first sent after warmup. */
  readonly putLatency: LatencyHistogram;
  readonly putLatencyRoundTrip: LatencyHistogram;
  /** Put latency's parts (ProducerModel.putLatencyParts): the first attempt's round trip and the retries; no wait for a connection. */
  readonly putLatencyParts: StageBreakdown;

  readonly traffic: ProducerTraffic;
  private readonly config: ClientConfig;
  private readonly latency: LatencySampler;
  private readonly rngArrivals: RandomStream;
  private readonly rngKeys: RandomStream;
  /** The split of each window's records over the shards (multinomial, by Poisson fill over many shards). */
  private readonly split = new MultinomialSampler();
  private readonly rngSizes: RandomStream;
  private readonly rngLatency: RandomStream;
  private readonly rngRetry: RandomStream;
  private readonly counts: Float64Array;
  private readonly buffers: InstanceBuffer[] = [];
  private requestCarry = 0;
  /**
   * Batch granularity: records born in windows in which no whole request fell due (the group sends fewer requests than
   * one a window: few instances, a long linger), still in their instances' buffers; and the start of the first such
   * window. They go with the next request due, or once they have waited the linger.
   */
  private held = 0;
  private heldSince = 0;
  /** Batch granularity: the window's fresh batches, reused window after window (see offerWindow), and those in use. */
  private readonly pool: Batch[] = [];
  private poolUsed = 0;
  /** The window's fresh request's batches: one array, overwritten window after window like the pool. */
  private readonly freshBatches: Batch[] = [];
  private readonly sizes: BatchSizes = { fit: 0, bytes: 0, tooLarge: 0 };
  /** Batch granularity: retries by the end time of the window they join. */
  private readonly dueRetries = new Map<Micros, Request[]>();

  constructor(
    readonly spec: SdkProducerSpec | AgentProducerSpec,
    private readonly ctx: ProducerContext,
  ) {
    this.name = ctx.part?.name ?? spec.name;
    this.after = afterWarmupStats(ctx.warmup);
    this.putLatency = new LatencyHistogram(ctx.warmup);
    this.putLatencyRoundTrip = new LatencyHistogram(ctx.warmup);
    this.putLatencyParts = new StageBreakdown(3, ctx.warmup);
    this.config = spec.client === "sdk" ? sdkClient(spec, ctx.target.maxRequestBytes) : agentClient(spec, ctx.target.maxRequestBytes);
    this.traffic = new ProducerTraffic(spec, ctx, spec.client === "agent" ? agentTraffic(spec) : {});
    this.latency = latencySampler(this.config.latency);
    this.rngArrivals = ctx.rng.fork("arrivals");
    this.rngKeys = ctx.rng.fork("keys");
    this.rngSizes = ctx.rng.fork("sizes");
    this.rngLatency = ctx.rng.fork("latency");
    this.rngRetry = ctx.rng.fork("retry");
    this.counts = new Float64Array(ctx.target.shardCount);
  }

  clientMetrics(): Record<string, number> {
    return {};
  }

  finish(): void {
    settleAfterWarmup(this.stats, this.after);
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
    const c = this.config;
    if (c.api === "PutRecord") return 1;
    const bySize = Math.max(1, Math.floor(c.maxRequestSize / this.traffic.meanWriteBytes));
    const byLinger = Math.max(1, perInstanceRate * (c.linger / 1e6));
    return Math.max(1, Math.min(c.maxBatchRecords, bySize, byLinger));
  }

  /** Batch granularity: the requests this group sends in the window [a, t): fresh records and due retries. */
  offerWindow(a: Micros, t: Micros): Request[] {
    const { target } = this.ctx;
    const out: Request[] = [];
    const due = this.dueRetries.get(t);
    if (due) {
      this.dueRetries.delete(t);
      for (const r of due) {
        const count = r.batches.reduce((s, b) => s + b.records, 0);
        this.stats.awaitingRetry -= count;
        this.stats.requests++;
        this.after.retriedRecords.add(r.sentAt, count);
        out.push(r);
      }
    }
    const born = arrivalsIn(this.traffic.rate, a, t, this.rngArrivals);
    // Held records whose linger ran out in a window with nothing born: their instances send them.
    if (born === 0 && (this.held === 0 || t - this.heldSince < this.config.linger)) return out;
    this.stats.offered += born;
    this.after.offeredAfterWarmup.add(a, born);
    this.after.offeredKinesisAfterWarmup.add(a, born);
    // A trace's rate can be 0 at a window's start (a bursty period): size requests by the window's mean then.
    const rateNow = this.spec.rate.shape === "trace" ? (this.traffic.rate.cumulative(t) - this.traffic.rate.cumulative(a)) / ((t - a) / 1e6) : this.traffic.rate.rateAt(a);
    const perInstance = rateNow / this.spec.instances;
    const perRequest = this.recordsPerRequest(perInstance);
    // Requests sent in [a, t) hold records that waited up to one fill interval in their instance.
    const fill = this.config.api === "PutRecord" || perInstance <= 0 ? 0 : Math.min(this.config.linger, Math.round((perRequest / perInstance) * 1e6));
    let firstBorn = Math.max(0, a - fill);
    this.requestCarry += born / perRequest;
    let whole = Math.floor(this.requestCarry);
    this.requestCarry -= whole;
    // Fewer than one request a window: a window in which none falls due sends nothing, and its records wait in their
    // instances' buffers for the next one (a request carries about perRequest records, born over its fill interval),
    // so that a long linger's requests reach the shards as the bursts they are; or until the linger runs out.
    if (whole === 0) {
      if (this.held === 0) this.heldSince = a;
      if (t - this.heldSince < this.config.linger) {
        this.held += born;
        this.stats.buffered += born;
        return out;
      }
      whole = 1;
      this.requestCarry = 0;
      firstBorn = Math.min(firstBorn, this.heldSince);
    }
    this.stats.requests += whole;
    const n = born + this.held;
    this.stats.buffered -= this.held;
    this.held = 0;

    const counts = this.counts;
    this.split.draw(this.rngKeys, n, this.traffic.routing.shares, counts);
    // The window's fresh batches come from the pool: the previous window's were settled (a failed one is copied
    // before it waits for its retry), so nothing refers to them any more.
    this.poolUsed = 0;
    const batches = this.freshBatches;
    let nb = 0;
    const keyBytes = this.traffic.routing.meanKeyBytes;
    const sizeModel = this.traffic.sizes.at(a);
    const sizes = this.sizes;
    // Records above the shard's byte bucket (large records) travel in a batch of their own.
    const splitting = target.largeRecordBytes !== undefined && target.largeRecordBytes < target.maxRecordSize;
    for (let s = 0; s < counts.length; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      const kb = keyBytes[s]!;
      const limit = Math.floor(target.maxRecordSize - kb);
      const split = splitting ? Math.floor(target.largeRecordBytes! - kb) : undefined;
      sizeModel.batch(c, limit, this.rngSizes, split, sizes);
      if (sizes.tooLarge > 0) this.lose("tooLarge", sizes.tooLarge, a);
      if (sizes.fit > 0) {
        const kbTotal = Math.round(sizes.fit * kb);
        this.after.offeredWriteBytesAfterWarmup.add(a, sizes.bytes + kbTotal);
        const large = sizes.large ?? 0;
        const largeBytes = sizes.largeBytes ?? 0;
        const largeKb = large === sizes.fit ? kbTotal : Math.round(large * kb);
        if (large < sizes.fit) batches[nb++] = this.pooled(s, sizes.fit - large, sizes.bytes - largeBytes, kbTotal - largeKb, firstBorn, t);
        if (large > 0) batches[nb++] = this.pooled(s, large, largeBytes, largeKb, firstBorn, t);
      }
    }
    if (nb < batches.length) batches.length = nb;
    if (nb > 0) {
      out.push({ batches, firstAttempt: t, sentAt: t, statsAt: a, firstStatsAt: a, attempt: 1, retryParts: Math.min(this.spec.instances, MAX_RETRY_PARTS), calls: Math.max(1, whole), pooled: true });
    }
    return out;
  }

  /** A fresh batch of the window, from the pool. */
  private pooled(shard: number, records: number, bytes: number, keyBytes: number, firstBorn: Micros, lastBorn: Micros): Batch {
    let b = this.pool[this.poolUsed];
    if (b === undefined) {
      b = { shard, records, users: records, bytes, keyBytes, firstBorn, lastBorn, retry: false };
      this.pool.push(b);
    } else {
      b.shard = shard;
      b.records = records;
      b.users = records;
      b.bytes = bytes;
      b.keyBytes = keyBytes;
      b.firstBorn = firstBorn;
      b.lastBorn = lastBorn;
    }
    this.poolUsed++;
    return b;
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
        // A pooled batch is reused next window: one that waits for a retry whole is a copy.
        if (k < b.records) (failed ??= []).push(k === 0 ? (req.pooled ? { ...b } : b) : splitOldest(b, k)[1]);
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
    const n = arrivalsIn(this.traffic.rate, t, end, this.rngArrivals);
    const times = arrivalTimes(this.traffic.rate, t, end, n, this.rngArrivals);
    for (const born of times) {
      const { shard, keyBytes } = this.traffic.routing.sample(this.rngKeys);
      const size = this.traffic.sizes.at(born).sample(this.rngSizes);
      const instance = this.spec.instances === 1 ? 0 : this.rngKeys.int(this.spec.instances);
      sim.scheduleAt(born, () => this.recordBorn({ shard, records: 1, users: 1, bytes: size, keyBytes, firstBorn: born, lastBorn: born }, instance));
    }
    if (end < duration) sim.scheduleAt(end, (next) => this.recordWindow(next));
  }

  private recordBorn(record: Batch, instance: number): void {
    const now = record.firstBorn;
    this.stats.offered++;
    this.after.offeredAfterWarmup.add(now);
    this.after.offeredKinesisAfterWarmup.add(now);
    if (record.bytes + record.keyBytes > this.ctx.target.maxRecordSize) {
      this.lose("tooLarge", 1, now);
      return;
    }
    this.after.offeredWriteBytesAfterWarmup.add(now, record.bytes + record.keyBytes);
    const spec = this.config;
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
    const target = this.ctx.target;
    const ack = now + this.latency(this.rngLatency);
    let sent = 0;
    let accepted = 0;
    let failed: Batch[] | undefined;
    // A delivery stream may refuse the call as a whole (its requests-per-second quota): every record fails.
    const refused = target.beginRequest ? !target.beginRequest(now) : false;
    for (const b of req.batches) {
      const k = refused ? 0 : target.put(b, now);
      sent += b.records;
      accepted += k;
      if (k < b.records) (failed ??= []).push(k === 0 ? b : splitOldest(b, k)[1]);
    }
    this.respond(req, ack, sent, accepted, failed);
  }

  /** The response to a request: latency of the accepted records, retries or loss for the failed ones. */
  private respond(req: Request, ack: Micros, sent: number, accepted: number, failed: Batch[] | undefined): void {
    const { sim, granularity } = this.ctx;
    this.stats.accepted += accepted;
    this.after.acceptedAfterWarmup.add(ack, accepted);
    // Each record bills its own size rounded up: a trace's at the size of the period it was drawn in, the window of the
    // request's first attempt (at record granularity, when it was sent: a record born just before a period's end bills
    // the next period's size).
    const bill = this.traffic.billingAt(req.firstStatsAt);
    this.after.payloadUnits.add(req.statsAt, accepted * bill.payloadUnits);
    this.after.onDemandBilledBytes.add(req.statsAt, accepted * bill.onDemandBytes);
    this.after.attempts.add(req.statsAt, sent);
    this.after.throttledAttempts.add(req.statsAt, sent - accepted);
    // The records' first attempt's round trip: this one's, or the one a retry carries.
    const roundTrip = req.firstRoundTrip ?? ack - req.firstAttempt;
    if (accepted > 0) {
      this.putLatency.recordAt(req.firstStatsAt, ack - req.firstAttempt, accepted);
      this.putLatencyRoundTrip.recordAt(req.firstStatsAt, roundTrip, accepted);
      this.putLatencyParts.record3At(req.firstStatsAt, roundTrip, ack - req.firstAttempt - roundTrip, 0, accepted);
    }
    if (!failed) return;

    const failedCount = sent - accepted;
    if (req.attempt >= this.config.maxAttempts) {
      this.lose("retriesExhausted", failedCount, req.firstStatsAt);
      // Never throttled, they would have been acknowledged after that round trip.
      this.putLatencyRoundTrip.recordAt(req.firstStatsAt, roundTrip, failedCount);
      return;
    }
    const parts = Math.min(req.retryParts, failedCount);
    const groups: Batch[][] = Array.from({ length: parts }, () => []);
    for (const b of failed) {
      const pieces = parts === 1 ? [b] : splitEvenly(b, parts);
      pieces.forEach((p, j) => {
        p.retry = true;
        groups[j % parts]!.push(p);
      });
    }
    for (const group of groups) {
      if (group.length === 0) continue;
      const count = group.reduce((s, b) => s + b.records, 0);
      this.stats.awaitingRetry += count;
      const at = ack + this.config.delay(req.attempt, this.rngRetry);
      // API calls the resend takes: one per record with PutRecord, else requests of up to maxBatchRecords.
      const calls = this.config.api === "PutRecord" ? count : Math.max(1, Math.ceil(count / this.config.maxBatchRecords));
      const retry: Request = { batches: group, firstAttempt: req.firstAttempt, sentAt: at, statsAt: at, firstStatsAt: req.firstStatsAt, firstRoundTrip: roundTrip, attempt: req.attempt + 1, retryParts: 1, calls };
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
          this.after.retriedRecords.add(t, count);
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
    if (reason === "tooLarge") {
      this.stats.lostTooLarge += count;
      this.after.lostTooLargeAfterWarmup.add(since, count);
    } else {
      this.stats.lostRetriesExhausted += count;
      this.after.lostRetriesExhaustedAfterWarmup.add(since, count);
    }
  }
}
