// A stream's shards over its life, as resharding changes them (Kinesis developer guide, "Resharding a stream";
// SplitShard, MergeShards and UpdateShardCount API references):
// - SplitShard: an OPEN parent becomes two children at NewStartingHashKey (the second child's first hash key,
//   strictly inside the parent's range); MergeShards: two OPEN shards whose ranges touch become one child.
// - While the operation runs the stream is UPDATING (reads and writes go on; another resharding call fails with
//   ResourceInUseException); when it ends the parents are CLOSED (readable, no new writes) and the children OPEN.
// - UpdateShardCount (UNIFORM_SCALING): a target between half and twice the open shards, at most 10 calls per
//   rolling 24 hours, at most 10,000 shards; the service does it with splits and merges and leaves the open shards
//   evenly spread over the hash key space. shardcast models its outcome: the open shards are closed and `target`
//   children cover the space as CreateStream would (src/model/kinesis/hashing.ts's ranges), each the child of the
//   parents its range overlaps; the short-lived shards in between count against the account's shard quota while it
//   runs (open + target).
// - Child shard ids continue the numbering: the next unused index (shardId-000000000004 after four shards).
// Pure: no clock, no I/O; times are what the caller says.

import { HASH_KEY_SPACE, MAX_SHARDS_PER_STREAM, UPDATE_SHARD_COUNT_MAX_FACTOR, UPDATE_SHARD_COUNT_PER_24H } from "./limits.js";

const MAX_HASH_KEY = HASH_KEY_SPACE - 1n;
const DAY_US = 24 * 3_600_000_000;

export interface ShardInfo {
  readonly index: number;
  readonly start: bigint;
  /** Inclusive. */
  readonly end: bigint;
  /** Indexes of the shards it was split or merged from (empty for the stream's first shards). */
  readonly parents: readonly number[];
  /** When it opened (0 for the first shards). */
  readonly openedAt: number;
  /** When it was closed by a reshard, or null while open. */
  closedAt: number | null;
}

/** A resharding call the service refuses, with the rule it breaks. */
export class ReshardRefused extends Error {
  constructor(
    readonly rule: "in-use" | "no-such-shard" | "not-open" | "hash-key" | "not-adjacent" | "target" | "limit-exceeded" | "quota",
    message: string,
  ) {
    super(message);
  }
}

/** What a resharding call does once it completes at `doneAt`: the shards it closes and the ranges it opens. */
export interface PendingReshard {
  readonly calledAt: number;
  readonly doneAt: number;
  readonly closes: readonly number[];
  readonly opens: readonly { start: bigint; end: bigint; parents: number[] }[];
}

/** A time of the run as h:mm:ss (µs in, for messages). */
function clock(us: number): string {
  const t = Math.floor(us / 1_000_000);
  return `${Math.floor(t / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

/** Shard id as ListShards names it: shardId-000000000003. */
export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, "0")}`;
}

/** CreateStream's ranges for n shards: floor(2^128 / n) each, the last to 2^128 − 1. */
export function evenRanges(n: number): { start: bigint; end: bigint }[] {
  const h = HASH_KEY_SPACE / BigInt(n);
  return Array.from({ length: n }, (_, i) => ({ start: h * BigInt(i), end: i === n - 1 ? MAX_HASH_KEY : h * BigInt(i + 1) - 1n }));
}

export class ShardMap {
  readonly shards: ShardInfo[] = [];
  private pending: PendingReshard | null = null;
  /** When each UpdateShardCount was called (for the rolling 24-hour limit). */
  private readonly updateCalls: number[] = [];

  constructor(
    initialShards: number,
    /** The account's shard quota, against which open shards and those a reshard creates count. */
    private readonly quota: number = Number.POSITIVE_INFINITY,
  ) {
    evenRanges(initialShards).forEach((r, i) => this.shards.push({ index: i, start: r.start, end: r.end, parents: [], openedAt: 0, closedAt: null }));
  }

  /** The open shards, in hash key order. */
  open(): ShardInfo[] {
    return this.shards.filter((s) => s.closedAt === null).sort((a, b) => (a.start < b.start ? -1 : 1));
  }

  /** The reshard under way (the stream is UPDATING), if any. */
  get updating(): PendingReshard | null {
    return this.pending;
  }

  /** A shard by its id (shardId-…) or index. */
  find(ref: string | number): ShardInfo | undefined {
    const index = typeof ref === "number" ? ref : Number(/^shardId-(\d{12})$/.exec(ref)?.[1] ?? NaN);
    return this.shards[index];
  }

  /** SplitShard at `t`, done `duration` later. hashKey: the second child's first hash key (default: the middle). */
  split(ref: string | number, hashKey: bigint | undefined, t: number, duration: number): PendingReshard {
    this.ready(t);
    const s = this.openShard(ref, t);
    const at = hashKey ?? s.start + (s.end - s.start + 1n) / 2n;
    if (at <= s.start || at > s.end) {
      throw new ReshardRefused("hash-key", `NewStartingHashKey ${at} must be inside ${shardIdOf(s.index)}'s range, from ${s.start + 1n} to ${s.end}`);
    }
    this.checkQuota(2);
    return this.begin({ calledAt: t, doneAt: t + duration, closes: [s.index], opens: [{ start: s.start, end: at - 1n, parents: [s.index] }, { start: at, end: s.end, parents: [s.index] }] });
  }

  /** MergeShards at `t`, done `duration` later: two open shards whose ranges touch. */
  merge(a: string | number, b: string | number, t: number, duration: number): PendingReshard {
    this.ready(t);
    const x = this.openShard(a, t);
    const y = this.openShard(b, t);
    const [lo, hi] = x.start < y.start ? [x, y] : [y, x];
    if (lo.end + 1n !== hi.start) throw new ReshardRefused("not-adjacent", `${shardIdOf(x.index)} and ${shardIdOf(y.index)} are not adjacent: their hash key ranges do not touch`);
    this.checkQuota(1);
    return this.begin({ calledAt: t, doneAt: t + duration, closes: [lo.index, hi.index], opens: [{ start: lo.start, end: hi.end, parents: [lo.index, hi.index] }] });
  }

  /** UpdateShardCount (UNIFORM_SCALING) to `target` at `t`, done `duration` later. */
  updateShardCount(target: number, t: number, duration: number): PendingReshard {
    this.ready(t);
    const open = this.open();
    const n = open.length;
    const lo = Math.ceil(n / UPDATE_SHARD_COUNT_MAX_FACTOR);
    const hi = Math.min(n * UPDATE_SHARD_COUNT_MAX_FACTOR, MAX_SHARDS_PER_STREAM);
    if (!Number.isInteger(target) || target < lo || target > hi) {
      throw new ReshardRefused("target", `TargetShardCount ${target} with ${n} open shards: it must be between half and twice the open shards, ${lo} to ${hi}`);
    }
    const recent = this.updateCalls.filter((c) => c > t - DAY_US);
    if (recent.length >= UPDATE_SHARD_COUNT_PER_24H) {
      throw new ReshardRefused("limit-exceeded", `a stream takes at most ${UPDATE_SHARD_COUNT_PER_24H} UpdateShardCount calls per rolling 24 hours (LimitExceededException); the first of the last ${recent.length} was at ${clock(recent[0]!)}`);
    }
    this.checkQuota(target);
    this.updateCalls.push(t);
    const opens = evenRanges(target).map((r) => ({ ...r, parents: open.filter((p) => p.start <= r.end && p.end >= r.start).map((p) => p.index) }));
    return this.begin({ calledAt: t, doneAt: t + duration, closes: open.map((s) => s.index), opens });
  }

  /**
   * The on-demand service's own splits at `t`, done `duration` later: each named open shard becomes `pieces` children
   * with equal hash key ranges ("Choose the data stream capacity mode": the range is split evenly). Not the
   * provisioned SplitShard API: no NewStartingHashKey, no account shard quota, and several shards at once (one
   * operation, so the stream is UPDATING until all are done).
   */
  serviceSplit(parts: readonly { shard: number; pieces: number }[], t: number, duration: number): PendingReshard {
    this.ready(t);
    const closes: number[] = [];
    const opens: { start: bigint; end: bigint; parents: number[] }[] = [];
    for (const { shard, pieces } of parts) {
      const s = this.openShard(shard, t);
      const width = s.end - s.start + 1n;
      const n = BigInt(Math.max(2, Math.floor(pieces)));
      if (width < n) throw new ReshardRefused("hash-key", `${shardIdOf(s.index)}'s range holds fewer than ${n} hash keys`);
      closes.push(s.index);
      for (let i = 0n; i < n; i++) opens.push({ start: s.start + (width * i) / n, end: i === n - 1n ? s.end : s.start + (width * (i + 1n)) / n - 1n, parents: [s.index] });
    }
    return this.begin({ calledAt: t, doneAt: t + duration, closes, opens });
  }

  /** Completes the reshard under way if it is due by `t`: closes its parents and opens its children. Returns the new shards. */
  complete(t: number): ShardInfo[] {
    const p = this.pending;
    if (!p || p.doneAt > t) return [];
    this.pending = null;
    for (const i of p.closes) this.shards[i]!.closedAt = p.doneAt;
    const created: ShardInfo[] = [];
    for (const o of p.opens) {
      const s: ShardInfo = { index: this.shards.length, start: o.start, end: o.end, parents: o.parents, openedAt: p.doneAt, closedAt: null };
      this.shards.push(s);
      created.push(s);
    }
    return created;
  }

  private ready(t: number): void {
    this.complete(t);
    if (this.pending) throw new ReshardRefused("in-use", `the stream is UPDATING until ${clock(this.pending.doneAt)} (a reshard called at ${clock(this.pending.calledAt)}): ResourceInUseException`);
  }

  private openShard(ref: string | number, t: number): ShardInfo {
    const s = this.find(ref);
    const name = typeof ref === "number" ? shardIdOf(ref) : ref;
    if (!s) throw new ReshardRefused("no-such-shard", `${name} does not exist (shards so far: ${shardIdOf(0)} to ${shardIdOf(this.shards.length - 1)})`);
    if (s.closedAt !== null && s.closedAt <= t) throw new ReshardRefused("not-open", `${name} is closed (a reshard closed it at ${clock(s.closedAt)}): only open shards can be split or merged`);
    return s;
  }

  private checkQuota(created: number): void {
    const open = this.open().length;
    if (open + created > this.quota) {
      throw new ReshardRefused("quota", `${open} open shards and the ${created} the reshard creates exceed the account's shard quota of ${this.quota}`);
    }
  }

  private begin(p: PendingReshard): PendingReshard {
    this.pending = p;
    return p;
  }
}
