// The capacity of an on-demand stream: the shards the service adds itself ("Choose the data stream capacity mode",
// https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html, and its 2022 edition in
// awsdocs/amazon-kinesis-data-streams-developer-guide, doc_source/how-do-i-size-a-stream.md):
// - the stream accommodates up to twice the peak write throughput of the previous 30 days at once (the schema
//   starts it with the shards twice stream.onDemand.previousPeak needs, at least a new stream's 4 MB/s);
// - a shard whose incoming traffic exceeds 500 KB/s is split, within about 15 minutes, its hash key range split
//   evenly; traffic above twice the previous peak may be throttled meanwhile;
// - per shard the limits stay 1 MiB/s and 1,000 records/s, so one partition key still throttles above them;
// - at most 10 GB/s of writes in us-east-1, us-west-2 and eu-west-1, 200 MB/s in other Regions unless a support ticket
//   raises it (Kinesis quotas and limits; the scenario's region, or a raised stream.onDemand.maxWriteThroughput).
// On-demand Advantage: warm throughput (UpdateStreamWarmThroughput) is capacity ready at once: ceil(warm ÷ 1 MiB/s)
// open shards, up to 10 GiB/s (10,240 MiB/s: "Scale to more than 10 GiBps for an on-demand stream" is refused,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html), past Standard's 10 GB/s;
// otherwise it scales like Standard.
//
// shardcast's model of how (assumptions, each a setting under stream.onDemand):
// - every `checkInterval` (1 min) the service looks at the write load offered by first attempts (accepted or
//   throttled; a client's retry of a throttled record does not count again, Batch.retry) each open shard had over that
//   interval, and at the stream's peak offered load so far (from previousPeak);
// - while the open shards hold less than twice that peak (at 1 MiB/s and 1,000 records/s a shard), each shard above
//   `splitTrigger` (500 KB/s) or `splitTriggerRecords` (500/s) is split into as many even children as its load needs
//   at those triggers (at least two): one service operation, the stream UPDATING until it completes
//   `scaleDelay − checkInterval` later (the AWS guide's successive splits within about 15 minutes as one), so a
//   surge is throttled for at most about `scaleDelay` (15 min);
// - one operation at a time: shards that turn hot while one runs wait for the next check after it completes;
// - no merges: capacity follows the 30-day peak, which no run shorter than 30 days lets fall;
// - its own splits never take the open shards past what that maximum needs at 1 MiB/s a shard (9,537 for 10 GB/s, 191
//   for 200 MB/s: onDemandMaxShards, where the shards a stream starts with from its previous peak stop too), or the warm
//   throughput's shards when more, nor `maxOpen`; a stream that holds more than that (a stated stream.shards, or a
//   provisioned stream's shards kept at a switch: AWS keeps them, and gives on-demand shards no upper limit) keeps
//   them and gets no split (build.ts sizes the per-shard arrays for it: twice what the
//   writers' peak needs at the triggers, its producers' and the applications' writing to it, at least the warm
//   throughput's shards); a check whose splits that ceiling cuts short is noted on the stream (Stream.onDemandCeiling:
//   the first time, the load offered then, and the most the service would have held), for the report to say;
// - warm throughput opens its shards (each open shard split evenly, by its share of the hash key space) after
//   `warmDelay` (0 s), at the start (the schema's shards) or at a warm-throughput event.

import type { Micros } from "../../engine/time.js";
import { MICROS_PER_SECOND } from "../../engine/time.js";
import { HASH_KEY_SPACE, ON_DEMAND_PEAK_MULTIPLE, onDemandMaxShards, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../../aws/limits.js";
import { onDemandMaxWrite, warmShards, type StreamSpec } from "../../spec/index.js";
import type { Stream } from "../kinesis/stream.js";

export type CapacityMode = StreamSpec["mode"];

/** Who the service's splits are by, in the stream's reshards. */
export const ON_DEMAND_BY = "on-demand";
/** Who a split for warm throughput is by: the service, for the stream's warm throughput setting (not its own scaling). */
export const WARM_THROUGHPUT_BY = "warm throughput";

export class OnDemandCapacity {
  /** The stream's capacity mode now (a switch-mode event changes it). */
  mode: CapacityMode;
  /** The highest offered write load seen over a check interval (bytes/s, records/s), from the previous peak. */
  private peakBytes: number;
  private peakRecords = 0;
  /** Warm throughput (bytes/s) in force: On-demand Advantage keeps ceil(warm ÷ 1 MiB/s) shards open. */
  private warm: number;
  private readonly settings: StreamSpec["onDemand"];
  /** On-demand's maximum write throughput in the stream's Region (bytes/s: stream.onDemand.maxWriteThroughput), and the shards it needs at 1 MiB/s a shard. */
  private readonly maxWrite: number;
  private readonly maxShards: number;

  constructor(
    private readonly stream: Stream,
    spec: StreamSpec,
    /** The most open shards the run plans for (the per-shard arrays' bound). */
    private readonly maxOpen: number,
    private readonly schedule: (t: Micros, action: () => void) => void,
    /** The scenario's region (us-east-1 when it states none): on-demand's maximum write throughput there. */
    region?: string,
  ) {
    this.mode = spec.mode;
    this.settings = spec.onDemand;
    this.maxWrite = onDemandMaxWrite(spec, region);
    this.maxShards = onDemandMaxShards(this.maxWrite);
    this.peakBytes = spec.onDemand.previousPeak ?? 0;
    this.warm = spec.onDemand.warmThroughput ?? 0;
  }

  get checkInterval(): Micros {
    return this.settings.checkInterval;
  }

  /** The shards warm throughput keeps open (0 unless the stream is On-demand Advantage). */
  private warmShardsNow(): number {
    return this.mode === "on-demand-advantage" ? warmShards(this.warm) : 0;
  }

  /** A capacity-mode switch at `t` (UpdateStreamMode): the shards stay as they are; the service scales from now on or stops. */
  switchMode(mode: CapacityMode, t: Micros): void {
    this.mode = mode;
    this.warmUp(t);
  }

  /** UpdateStreamWarmThroughput at `t`. */
  setWarmThroughput(bytesPerSecond: number, t: Micros): void {
    this.warm = bytesPerSecond;
    this.warmUp(t);
  }

  /** The periodic check at `t`: the offered load since the previous check decides the splits. */
  check(t: Micros): void {
    const offered = this.stream.takeOffered();
    const seconds = this.settings.checkInterval / MICROS_PER_SECOND;
    let bytes = 0;
    let records = 0;
    for (let s = 0; s < offered.bytes.length; s++) {
      bytes += offered.bytes[s]!;
      records += offered.records[s]!;
    }
    this.peakBytes = Math.max(this.peakBytes, bytes / seconds);
    this.peakRecords = Math.max(this.peakRecords, records / seconds);
    // The busiest interval's offered load, for the report (what the writers asked of the stream, throttled or not).
    const busiest = this.stream.onDemandPeakOffered;
    if (this.mode !== "provisioned" && (!busiest || bytes / seconds > busiest.bytesPerSecond)) this.stream.onDemandPeakOffered = { at: t, bytesPerSecond: bytes / seconds, recordsPerSecond: records / seconds };
    if (this.mode === "provisioned" || this.stream.status === "UPDATING") return;
    if (this.warmUp(t)) return;
    const open = this.stream.openRanges().shards;
    const target = Math.max(
      Math.ceil((ON_DEMAND_PEAK_MULTIPLE * this.peakBytes) / SHARD_WRITE_BYTES_PER_SECOND - 1e-9),
      Math.ceil((ON_DEMAND_PEAK_MULTIPLE * this.peakRecords) / SHARD_WRITE_RECORDS_PER_SECOND - 1e-9),
    );
    if (open.length >= target) return;
    const hot = open
      .map((s) => ({ s, load: Math.max(offered.bytes[s]! / seconds / this.settings.splitTrigger, offered.records[s]! / seconds / this.settings.splitTriggerRecords) }))
      .filter((x) => x.load > 1)
      .sort((a, b) => b.load - a.load || a.s - b.s);
    // The service's own splits stop at the maximum write throughput's shards, or at the warm throughput's when more (they never merge).
    const ceiling = Math.max(this.maxShards, this.warmShardsNow());
    const wanted = hot.reduce((n, { load }) => n + Math.max(2, Math.ceil(load - 1e-9)) - 1, 0);
    if (ceiling - open.length < wanted) this.stoppedAtCeiling(t, ceiling, open.length, bytes / seconds, records / seconds, target);
    let room = Math.min(this.room(open.length), ceiling - open.length);
    const parts: { shard: number; pieces: number }[] = [];
    for (const { s, load } of hot) {
      const pieces = Math.min(Math.max(2, Math.ceil(load - 1e-9)), room + 1);
      if (pieces < 2) break;
      parts.push({ shard: s, pieces });
      room -= pieces - 1;
    }
    if (parts.length === 0) return;
    const duration = Math.max(0, this.settings.scaleDelay - this.settings.checkInterval);
    this.stream.reshard({ kind: "on-demand-split", at: t, duration, parts }, ON_DEMAND_BY, this.schedule);
  }

  /**
   * Notes that the ceiling (`shards`) cut the splits the check at `t` wanted, with the `open` shards then (more than the
   * ceiling when the stream started with more, or kept them at a switch), the load offered over its interval (per
   * second) and the `needed` shards: the first time, and the most needed since.
   */
  private stoppedAtCeiling(t: Micros, shards: number, open: number, offeredBytesPerSecond: number, offeredRecordsPerSecond: number, needed: number): void {
    const need = { neededBytesPerSecond: ON_DEMAND_PEAK_MULTIPLE * this.peakBytes, neededRecordsPerSecond: ON_DEMAND_PEAK_MULTIPLE * this.peakRecords, neededShards: needed };
    const first = this.stream.onDemandCeiling;
    if (first) {
      Object.assign(first, need);
      return;
    }
    const warm = shards > this.maxShards;
    this.stream.onDemandCeiling = {
      at: t,
      shards,
      bytesPerSecond: warm ? this.warm : this.maxWrite,
      openShards: open,
      by: warm ? "warm throughput" : "on-demand maximum",
      offeredBytesPerSecond,
      offeredRecordsPerSecond,
      ...need,
    };
  }

  /** How many more shards may open: the run's bound (maxOpen) and the shards created so far. */
  private room(open: number): number {
    return Math.max(0, Math.min(this.maxOpen - open, this.stream.shardCount - this.stream.createdShards - 1));
  }

  /**
   * Opens what warm throughput needs when the open shards are fewer (and the stream is not UPDATING): each open shard
   * split by its share of the hash key space. Returns whether it split.
   */
  private warmUp(t: Micros): boolean {
    const need = Math.min(this.warmShardsNow(), this.maxOpen);
    if (need === 0 || this.stream.status === "UPDATING") return false;
    const { shards, ranges } = this.stream.openRanges();
    if (shards.length >= need) return false;
    let room = this.room(shards.length);
    const parts: { shard: number; pieces: number }[] = [];
    shards.forEach((s, i) => {
      const r = ranges[i]!;
      const share = Number(((r.end - r.start + 1n) * 1_000_000n) / HASH_KEY_SPACE) / 1_000_000;
      const pieces = Math.min(Math.ceil(need * share - 1e-9), room + 1);
      if (pieces < 2) return;
      parts.push({ shard: s, pieces });
      room -= pieces - 1;
    });
    if (parts.length === 0) return false;
    return this.stream.reshard({ kind: "on-demand-split", at: t, duration: this.settings.warmDelay, parts }, WARM_THROUGHPUT_BY, this.schedule) === "ok";
  }
}

/** Runs the service's checks every checkInterval until `until`. */
export function scheduleOnDemand(capacity: OnDemandCapacity, scheduleAt: (t: Micros, action: (t: Micros) => void) => void, until: Micros): void {
  const step = capacity.checkInterval;
  const tick = (t: Micros) => {
    capacity.check(t);
    if (t + step <= until) scheduleAt(t + step, tick);
  };
  if (step <= until) scheduleAt(step, tick);
}
