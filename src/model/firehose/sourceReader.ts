// A Kinesis stream as a delivery stream's source: from LATEST, one GetRecords per shard per second (at most
// 10,000 records, 10 MiB), counted against the shard's shared 5 calls/s and 2 MiB/s with every polling
// consumer; a refused call is tried again a second later, without end. KPL aggregates arrive de-aggregated
// (user records), and Firehose delivers the data blobs, not the partition keys.

import type { Simulator } from "../../engine/simulator.js";
import type { Micros } from "../../engine/time.js";
import { FIREHOSE_KDS_POLL_INTERVAL_MS, GET_RECORDS_MAX_BYTES, GET_RECORDS_MAX_RECORDS } from "../../aws/limits.js";
import { countsFrom, type Counts } from "../../metrics/warmup.js";
import type { Stream } from "../kinesis/stream.js";
import type { Ingest } from "./buffer.js";

const NO_PARENTS: readonly number[] = [];

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
    /** Which of the delivery streams reading `source` this is, and how many do (their polls interleave: see start). */
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
    // The shards that exist at the start; a reshard's children are polled from when they open.
    const n = this.source.lives.length;
    const every = FIREHOSE_KDS_POLL_INTERVAL_MS * 1_000;
    // Shards are polled at staggered offsets within the second (deterministic, no random draw); the delivery streams
    // reading one stream interleave theirs, each shard's polls spread over its slot, so that none is always the first to
    // call after a shard's read budget refills (helper-88: of three sharing a shard over its 2 MiB/s, all polling at the
    // same instants, the last registered was refused far more often than the others). The first keeps the offsets
    // one reader alone has.
    const { index, of } = this.phase;
    for (let s = 0; s < n; s++) this.sim.scheduleAt(Math.floor(((s * of + index) * every) / (n * of)), this.pollerOf(s));
    this.source.onReshard((t, opened) => {
      for (const s of opened) this.sim.scheduleAt(t, this.pollerOf(s));
    });
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
    const next = t + FIREHOSE_KDS_POLL_INTERVAL_MS * 1_000;
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
