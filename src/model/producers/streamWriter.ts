// An application writing what it processes to another stream of the scenario (a KCL application's `output:`):
// after a batch is processed, its records (recordsPerRecord per record read, sizeFactor times as large, with
// the partition keys of `partitionKey`) go to the stream with PutRecords (≤ 500 records a call), first come,
// first served at each shard. Throttled records are resent after an exponential backoff with full jitter
// (delay = U(0, min(cap, base · 2^k))), where k counts the attempts in a row that got nothing in (an attempt that
// gets some records in starts the backoff again from the base), until they are in — or, with
// retry.maxAttempts, until they run out of attempts and are lost. Only when every record is in (or lost) does the batch count as processed: a
// throttled output stream holds the record processor, its checkpoints, and the upstream iterator age.
//
// The written records keep the birth times of the records they came from, so latency at the next stage runs
// from the first producer. Accounting: offered = accepted + awaiting retry + lost past retries + interrupted
// (a worker crashed while its records waited; the lease's next owner processes the batch again).
//
// Billing: each record accepted bills the PUT payload units and on-demand bytes of a record of its size, rounded up
// on its own (https://aws.amazon.com/kinesis/data-streams/pricing/); a batch knows only its records' count and bytes,
// so a record's expected bill comes from the size models its records came from (writtenSizes.ts), as a producer's
// records bill theirs (ProducerTraffic), not from the batch's mean size rounded.

import type { RandomStream } from "../../engine/random.js";
import type { Simulator } from "../../engine/simulator.js";
import type { Micros } from "../../engine/time.js";
import { MultinomialSampler } from "../../engine/multinomial.js";
import { PUT_RECORDS_MAX_RECORDS } from "../../aws/limits.js";
import { ON_DEMAND_BILLING_INCREMENT_BYTES, PUT_PAYLOAD_UNIT_BYTES } from "../../aws/prices.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, type Counts } from "../../metrics/warmup.js";
import type { OutputSpec } from "../../spec/index.js";
import { keyPopulation, type KeyPopulation } from "../../workload/partitionKeys.js";
import { splitOldest, type Batch } from "../batch.js";
import { routeKeys, routeOpen, type KeyRouting } from "../kinesis/keyRouting.js";
import type { Stream } from "../kinesis/stream.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import { incrementsOfBatch } from "./producer.js";
import type { WrittenBilling } from "./writtenSizes.js";

/** What an application hands over to be written: records read, their data bytes and birth range. */
export interface Written {
  records: number;
  dataBytes: number;
  firstBorn: Micros;
  lastBorn: Micros;
}

/** How far a write has got: the records it offered, and those the stream has accepted so far (a crash may cut it). */
export interface WriteProgress {
  offered: number;
  accepted: number;
}

/** Whole run, unless named otherwise. */
export interface WriterStats {
  offered: number;
  accepted: number;
  awaitingRetry: number;
  lostRetriesExhausted: number;
  /** Records waiting for a retry when their worker crashed (its batch is processed again by the next owner). */
  interrupted: number;
  requests: number;
  /** Records of writes not finished yet (some accepted, some waiting): their batches do not count as processed yet. */
  unfinished: number;
}

const AFTER_WARMUP = ["offered", "offeredWriteBytes", "attempts", "throttledAttempts", "retriedRecords", "payloadUnits", "onDemandBilledBytes", "lostAfterWarmup"] as const;

/** Rows of StreamWriter.series: records sent (each attempt counts) and those throttled, per step. */
export const WRITER_ROW = { attempts: 0, throttledAttempts: 1 } as const;

export class StreamWriter {
  readonly stats: WriterStats = { offered: 0, accepted: 0, awaitingRetry: 0, lostRetriesExhausted: 0, interrupted: 0, requests: 0, unfinished: 0 };
  /** After warmup: records offered and their bytes (data + keys, once each), records sent (each attempt counts), those throttled, resent, and the PUT payload units accepted. */
  readonly after: Counts<(typeof AFTER_WARMUP)[number]>;
  /** Handed over → acknowledged, per record accepted, for records handed over after warmup. */
  readonly putLatency: LatencyHistogram;
  /** Per series step, whole run: records sent (each attempt counts) and those throttled (rows: WRITER_ROW). */
  readonly series: SeriesBank;
  /** Where its records go: replaced when the stream reshards (the SDK routes by the new map at once). */
  routing: KeyRouting;
  readonly keyDescription: string;
  /** The keys it writes with (for the split proposal of a hot shard). */
  readonly population: KeyPopulation;
  private readonly latency: LatencySampler;
  private readonly rngKeys: RandomStream;
  /** The split of each window's records over the shards (multinomial, by Poisson fill over many shards). */
  private readonly split = new MultinomialSampler();
  private readonly rngLatency: RandomStream;
  private readonly rngRetry: RandomStream;
  private readonly counts: Float64Array;
  /** Fractions of a record carried to the next batch (recordsPerRecord need not be whole). */
  private carry = 0;

  constructor(
    /** "app → stream". */
    readonly name: string,
    readonly spec: OutputSpec,
    readonly stream: Stream,
    private readonly sim: Simulator,
    rng: RandomStream,
    warmup: Micros,
    /** The run's stream for naming keys (see keyPopulation). */
    keyNames: RandomStream,
    duration: Micros,
    resolution: Micros,
    /** What a record written bills, from the sizes of the records it is made of (without: its batch's mean size, rounded). */
    private readonly billing?: WrittenBilling,
  ) {
    this.after = countsFrom(warmup, AFTER_WARMUP);
    this.series = new SeriesBank(2, duration, resolution);
    this.putLatency = new LatencyHistogram(warmup);
    const population = keyPopulation(spec.partitionKey, keyNames);
    this.population = population;
    this.keyDescription = population.description;
    const route = () => (stream.reshardsDuringRun ? routeOpen(population, stream.openRanges(), stream.shardCount) : routeKeys(population, stream.ranges));
    this.routing = route();
    if (stream.reshardsDuringRun) stream.onReshard(() => (this.routing = route()));
    this.latency = latencySampler(spec.latency);
    this.rngKeys = rng.fork("keys");
    this.rngLatency = rng.fork("latency");
    this.rngRetry = rng.fork("retry");
    this.counts = new Float64Array(stream.shardCount);
  }

  /**
   * Writes what a processed batch makes, from `now`; `done(at)` runs when every record is in or lost. While a
   * record waits for a retry, `alive()` false (its worker crashed) ends the write: what is left is interrupted
   * and `done` is not called. Returns the write's progress, kept up to date: what a crash cuts had put that much in.
   */
  write(input: Written, now: Micros, alive: () => boolean, done: (at: Micros) => void): WriteProgress {
    const exact = input.records * this.spec.recordsPerRecord + this.carry;
    const n = Math.floor(exact + 1e-9);
    this.carry = exact - n;
    const progress: WriteProgress = { offered: Math.max(0, n), accepted: 0 };
    if (n <= 0) {
      done(now);
      return progress;
    }
    const perRecord = (input.dataBytes / input.records) * this.spec.sizeFactor;
    const bill = this.billing?.at((input.firstBorn + input.lastBorn) / 2);
    const units = bill ? bill.payloadUnits : incrementsOfBatch(1, perRecord, PUT_PAYLOAD_UNIT_BYTES);
    const billed = bill ? bill.onDemandBytes : ON_DEMAND_BILLING_INCREMENT_BYTES * incrementsOfBatch(1, perRecord, ON_DEMAND_BILLING_INCREMENT_BYTES);
    this.split.draw(this.rngKeys, n, this.routing.shares, this.counts);
    const batches: Batch[] = [];
    for (let s = 0; s < this.counts.length; s++) {
      const c = this.counts[s]!;
      if (c === 0) continue;
      const bytes = Math.max(c, Math.round(c * perRecord));
      batches.push({ shard: s, records: c, users: c, bytes, keyBytes: Math.round(c * this.routing.meanKeyBytes[s]!), firstBorn: input.firstBorn, lastBorn: input.lastBorn });
    }
    this.stats.offered += n;
    this.stats.unfinished += n;
    this.after.offered.add(now, n);
    let bytes = 0;
    for (const b of batches) bytes += b.bytes + b.keyBytes;
    this.after.offeredWriteBytes.add(now, bytes);
    this.send(batches, n, { units, billed }, now, now, 1, alive, progress, (at) => {
      this.stats.unfinished -= n;
      done(at);
    }, () => (this.stats.unfinished -= n));
    return progress;
  }

  /**
   * `perRecord`: PUT payload units and on-demand bytes a record accepted bills; `attempt`: attempts so far, this one
   * included; `stalled`: attempts in a row before this one that got nothing in.
   */
  private send(batches: Batch[], n: number, perRecord: { units: number; billed: number }, handedOver: Micros, now: Micros, attempt: number, alive: () => boolean, progress: WriteProgress, done: (at: Micros) => void, interrupted: () => void, stalled = 0): void {
    this.stats.requests += Math.max(1, Math.ceil(n / PUT_RECORDS_MAX_RECORDS));
    const ack = now + this.latency(this.rngLatency);
    const failed: Batch[] = [];
    let accepted = 0;
    for (const b of batches) {
      const k = this.stream.put(b, now);
      accepted += k;
      if (k < b.records) failed.push(k === 0 ? b : splitOldest(b, k)[1]);
    }
    this.stats.accepted += accepted;
    progress.accepted += accepted;
    if (accepted > 0) {
      this.after.payloadUnits.add(now, accepted * perRecord.units);
      this.after.onDemandBilledBytes.add(now, accepted * perRecord.billed);
    }
    this.after.attempts.add(now, n);
    this.after.throttledAttempts.add(now, n - accepted);
    this.series.add(WRITER_ROW.attempts, now, n);
    if (accepted < n) this.series.add(WRITER_ROW.throttledAttempts, now, n - accepted);
    if (accepted > 0) this.putLatency.recordAt(handedOver, ack - handedOver, accepted);
    const left = n - accepted;
    if (left === 0) {
      this.sim.scheduleAt(ack, done);
      return;
    }
    const max = this.spec.retry.maxAttempts;
    if (max !== undefined && attempt >= max) {
      this.stats.lostRetriesExhausted += left;
      // Counted by when they were handed over, as put latency and the producers' losses are.
      this.after.lostAfterWarmup.add(handedOver, left);
      this.sim.scheduleAt(ack, done);
      return;
    }
    this.stats.awaitingRetry += left;
    const { base, cap } = this.spec.retry;
    const k = accepted > 0 ? 0 : stalled + 1;
    const at = ack + Math.floor(this.rngRetry.uniform() * Math.min(cap, base * 2 ** Math.min(k, 60)));
    this.sim.scheduleAt(at, (t) => {
      this.stats.awaitingRetry -= left;
      if (!alive()) {
        this.stats.interrupted += left;
        interrupted();
        return;
      }
      this.after.retriedRecords.add(t, left);
      for (const b of failed) b.retry = true;
      this.send(failed, left, perRecord, handedOver, t, attempt + 1, alive, progress, done, interrupted, k);
    });
  }
}

