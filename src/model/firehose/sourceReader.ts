// A Kinesis stream as a delivery stream's source: from LATEST, one GetRecords per shard per second (at most
// 10,000 records, 10 MiB), counted against the shard's shared 5 calls/s and 2 MiB/s with every polling
// consumer; a refused call is tried again at the next poll, without end. KPL aggregates arrive de-aggregated
// (user records), and Firehose delivers the data blobs, not the partition keys.

import type { Simulator } from "../../engine/simulator.js";
import type { Micros } from "../../engine/time.js";
import { FIREHOSE_KDS_POLL_INTERVAL_MS, GET_RECORDS_MAX_BYTES, GET_RECORDS_MAX_RECORDS } from "../../aws/limits.js";
import { countsFrom, type Counts } from "../../metrics/warmup.js";
import type { Stream } from "../kinesis/stream.js";
import type { Ingest } from "./buffer.js";

const NO_PARENTS: readonly number[] = [];

/** A shard's polls: from `origin`, in slot `index` of `of` within the second; `tick` polls made so far. */
interface PollClock {
  origin: Micros;
  index: number;
  of: number;
  tick: number;
}

/** A Kinesis stream as source: per shard, GetRecords once a second from LATEST. */
export class SourceReader {
  readonly positions: Float64Array;
  // Whole run: records read, and records that expired in the stream before this reader got to them.
  read = 0;
  expiredUnread = 0;
  /** After warmup: GetRecords calls, those throttled, bytes read. */
  readonly counts: Counts<"calls" | "throttledCalls" | "bytesRead">;

  constructor(
    readonly source: Stream,
    private readonly target: Ingest,
    private readonly sim: Simulator,
    warmup: Micros,
    private readonly duration: Micros,
    /** Which of the delivery streams reading `source` this is, and how many do (their polls interleave: see pollAt). */
    private readonly phase: { index: number; of: number } = { index: 0, of: 1 },
  ) {
    this.positions = new Float64Array(source.shardCount);
    this.counts = countsFrom(warmup, ["calls", "throttledCalls", "bytesRead"]);
    this.reading = this.countRead(0);
    // Registered here, before the delivery stream's own listener: the count is up to date when it asks.
    source.onReshard((t, opened) => {
      for (const c of opened) {
        for (const p of source.lives[c]!.parents) {
          const children = this.childrenOf.get(p);
          if (children) children.push(c);
          else this.childrenOf.set(p, [c]);
        }
      }
      this.reading = this.countRead(t);
    });
  }

  start(): void {
    // The shards that exist at the start, staggered over the second; a reshard's children from when they open.
    const n = this.source.lives.length;
    for (let s = 0; s < n; s++) this.startPolling(s, { origin: 0, index: s, of: n, tick: 0 });
    this.source.onReshard((t, opened) => {
      for (const s of opened) this.startPolling(s, { origin: t, index: 0, of: 1, tick: 0 });
    });
  }

  /** Per shard polled: when its polls began, its slot among the shards polled from then, the polls made (see pollAt). */
  private readonly clocks: PollClock[] = [];

  private startPolling(s: number, clock: PollClock): void {
    this.clocks[s] = clock;
    this.sim.scheduleAt(this.pollAt(clock), this.pollerOf(s));
  }

  /**
   * When a shard's poll number `clock.tick` falls: once a second from its origin, at an offset within the second
   * (deterministic, no random draw). The shards polled from one instant are staggered, shard `index` of `of` at
   * index ÷ of of the second; a reshard's children are polled from the reshard. The delivery streams reading one stream
   * interleave their polls, each shard's slot cut in as many places as there are readers (helper-88: all polling at the
   * same instants, the first registered was always the first to call after a shard's read budget refilled), and they
   * take turns in those places: reader k of K in place (k + tick) mod K, one place later each second and back to the
   * first after the last, so its polls are a second and a place apart, and once in K seconds a shorter step back (a
   * second apart on average). Each in a place of its own, polls exactly a second apart, the shard's 5 calls/s refused
   * the same one every time: of six delivery streams on a shard, 6 calls/s, one was refused at every call and the
   * others never; of three beside three Lambda mappings, 0%, 35.5% and 11.6% of their calls. And all polled a split's
   * children at the same instants, the first registered first (three over the children's 2 MiB/s read 2,151, 1,682 and
   * 240 MiB in 20 minutes). A reader alone polls at the offsets it always had, a second apart.
   */
  private pollAt(clock: PollClock): Micros {
    const every = FIREHOSE_KDS_POLL_INTERVAL_MS * 1_000;
    const { index, of } = this.phase;
    const place = (index + clock.tick) % of;
    return clock.origin + clock.tick * every + Math.floor(((clock.index * of + place) * every) / (clock.of * of));
  }

  /** Each shard's poll, one action made once and scheduled again every second. */
  private readonly pollers: ((t: Micros) => void)[] = [];

  private pollerOf(s: number): (t: Micros) => void {
    return (this.pollers[s] ??= (t) => this.poll(s, t));
  }

  /**
   * Called when a closed shard has just been read to its end at `t` (SHARD_END), at the poll that read its last records:
   * the shards it reads change then (shardsRead), its children being read from then.
   */
  onShardEnd: ((t: Micros) => void) | null = null;

  /**
   * The shards it reads now: every shard created so far that is not read to its end and whose parents are (a child waits
   * for them). A closed parent still being read counts; its children count from when it is done. At the start, and while
   * no reshard is under way, these are the open shards. What the transformation's limit counts: "up to 5 outstanding
   * Lambda invocations per shard" (https://docs.aws.amazon.com/firehose/latest/dev/limits.html) — an invocation carries
   * records read from a shard, and a child waiting for its parent has none yet; counting the open shards instead
   * (helper-88) gave a split's parent, still being read, its children's 10 at once while it was the one shard with
   * records to transform. Counted again when a reshard completes; moved by each parent's end (poll).
   */
  get shardsRead(): number {
    return this.reading;
  }

  private reading: number;
  /** The children of each shard a reshard closed. */
  private readonly childrenOf = new Map<number, number[]>();

  /** shardsRead counted at `t`, shard by shard. */
  private countRead(t: Micros): number {
    const lives = this.source.lives;
    let n = 0;
    for (let s = 0; s < lives.length; s++) {
      if (this.ended(s, t)) continue;
      if (this.source.parentCount[s]! > 0 && !lives[s]!.parents.every((p) => this.ended(p, t))) continue;
      n++;
    }
    return n;
  }

  /** Whether a closed shard has been read to its end (SHARD_END): its children may be read. */
  private ended(s: number, t: Micros): boolean {
    return this.source.closedAtOf[s]! <= t && this.positions[s]! >= this.source.logs![s]!.endSeq;
  }

  private poll(s: number, t: Micros): void {
    const clock = this.clocks[s]!;
    clock.tick++;
    const next = this.pollAt(clock);
    // A shard read to its end is done; a child waits until its parents are (the order a KCL-style reader keeps).
    if (this.ended(s, t)) return;
    const parents = this.source.parentCount[s] === 0 ? NO_PARENTS : this.source.lives[s]!.parents;
    for (let j = 0; j < parents.length; j++) {
      if (this.ended(parents[j]!, t)) continue;
      if (next < this.duration) this.sim.scheduleAt(next, this.pollerOf(s));
      return;
    }
    const log = this.source.logs![s]!;
    const horizon = log.trimHorizon(t - this.source.retention);
    if (this.positions[s]! < horizon) {
      this.expiredUnread += horizon - this.positions[s]!;
      this.positions[s] = horizon;
    }
    this.counts.calls.add(t);
    if (this.source.getRecordsCall(s, t) === "ok") {
      // The delivery stream takes the slices in at once: they need not outlive this call (a transient read).
      const r = log.readSlices(this.positions[s]!, t, GET_RECORDS_MAX_RECORDS, GET_RECORDS_MAX_BYTES, true);
      this.source.chargeRead(s, t, r.bytes);
      this.positions[s] = r.next;
      this.read += r.users;
      this.counts.bytesRead.add(t, r.bytes);
      // Firehose delivers the data blobs, not the partition keys.
      this.target.ingestRead(r.slices, t);
    } else {
      this.counts.throttledCalls.add(t);
    }
    // This call read a closed shard to its end: it is done, and its children whose parents are all done are read from now on.
    if (this.ended(s, t)) {
      let n = this.reading - 1;
      for (const c of this.childrenOf.get(s) ?? []) if (this.source.lives[c]!.parents.every((p) => this.ended(p, t))) n++;
      this.reading = n;
      this.onShardEnd?.(t);
    }
    if (next < this.duration) this.sim.scheduleAt(next, this.pollerOf(s));
  }

  neededFrom(shard: number): number {
    return this.positions[shard]!;
  }

  /**
   * The records this reader has not read by `end` and the stream still holds within its retention, entry by entry: how
   * many, born over which range.
   */
  forEachUnread(end: Micros, each: (users: number, firstBorn: Micros, lastBorn: Micros) => void): void {
    for (let s = 0; s < this.source.shardCount; s++) {
      const log = this.source.logs![s]!;
      const from = Math.max(this.positions[s]!, log.trimHorizon(end - this.source.retention));
      log.forEachBetween(from, log.endSeq, (users, firstBorn, lastBorn) => each(users, firstBorn, lastBorn));
    }
  }

  /** Records the stream holds that this reader has not read yet. */
  unread(): number {
    let n = 0;
    for (let s = 0; s < this.source.shardCount; s++) n += this.source.logs![s]!.endSeq - this.positions[s]!;
    return n;
  }
}
