// A throttling shard's remedy, as numbers: the SplitShard hash key that balances its traffic between the two
// children, the children's expected load, the keys that alone exceed a shard's limits (no split can help them: all of
// a key's records go to one shard), and how many shards the range needs when two are not enough.
//
// The load is the shard's offered load after warmup by hash key (RunResult's hotShardTraffic): discrete keys at
// their hash keys, which a split cannot divide, and random keys (with the lighter keys beyond those listed) spread
// evenly over the range. A shard's utilisation is max(records/s ÷ 1,000, bytes/s ÷ 1 MiB), the share of the
// tighter of its two write limits. The proposed split minimises the busier child's mean utilisation: the two
// children's utilisations are equal when the spread lets the split fall between keys' hash keys at that point, and
// as close as the keys allow otherwise (then NewStartingHashKey is the next key's hash key, so the split falls
// just before that key). Whether the children fit is judged at the writers' peak rates (peak ≥ mean), which
// assumes their peaks coincide. A child's load is an expectation: its busiest second adds the arrivals' noise.

import type { Load, ShardTraffic, StreamRun } from "./runResult.js";

/** A part of a shard's load, and its utilisation of one shard's limits (mean and at the peak rates). */
export interface LoadShare extends Load {
  /** max(records/s ÷ limit, bytes/s ÷ limit) of the mean load, and of the load at the writers' peak rates. */
  utilisation: number;
  peakUtilisation: number;
}

export interface SplitChild extends LoadShare {
  startingHashKey: string;
  endingHashKey: string;
  /** Discrete keys listed on the shard that fall in this child. */
  keys: number;
}

export interface SplitProposal {
  stream: string;
  shard: string;
  startingHashKey: string;
  endingHashKey: string;
  /** The shard's offered load (mean after warmup; at the writers' peak rates). */
  load: LoadShare;
  /**
   * The shard's expected share of the stream's records (by key routing) and an even spread's (1 ÷ shards). Within
   * EVEN_SPREAD of it the shard is not hot but the stream short of capacity: UpdateShardCount to twice the shards
   * halves every shard's range as this split would.
   */
  shareOfStream: number;
  evenShare: number;
  evenlyLoaded: boolean;
  /** Each writer's load on the shard (mean after warmup; peak ÷ mean of its rate). */
  writers: ShardTraffic["writers"];
  /** Discrete keys listed; lighter ones counted as spread; share of the shard's records spread evenly over its range. */
  keys: number;
  aggregatedKeys: number;
  spreadShare: number;
  /**
   * The split: NewStartingHashKey (decimal, start + 1 .. end) and the two children, or null when the shard's traffic
   * is one hash key (nothing to divide). `beforeKey`: the key whose hash key it is (the split falls between keys).
   */
  split: { hashKey: string; beforeKey: string | null; children: [SplitChild, SplitChild] } | null;
  /** Keys that alone exceed a shard's limits (mean or peak utilisation over 1), heaviest first: no split brings the shard within them (splitHelps: one can still take the other keys off it). */
  tooHot: (LoadShare & { key: string; hashKey: string })[];
  /** Both children within a shard's limits at the writers' peak rates (at most 100% of them, as evenChildren and childrenNeeded count). */
  fits: boolean;
  /**
   * Why the split cannot be replayed as a scenario `reshards:` entry at the end of the warmup: the scenario's own
   * validation's message, about the entry (`reshard` null: an on-demand stream, a shard an autoscaling policy opened) or
   * about one of the scenario's reshards that the entry invalidates (its index); absent when it can (set by judge).
   */
  replayRefused?: { reshard: number | null; message: string };
  /**
   * When the scenario can replay it: the time of its `reshards:` entry (µs). The first of a stream's splits at the end of
   * the warmup, each next one when the one before has completed (reshardDuration.splitMerge later: a stream takes one
   * reshard at a time, and refuses another while UPDATING). Set by judge.
   */
  replayAtUs?: number;
  /** Shards an even split of the load (at the peak rates) would need: ⌈utilisation⌉, at least 1. */
  evenChildren: number;
  /** The fewest shards the range can be cut into with each within the limits at the peak rates, where its keys allow the cuts; null when a key alone is too hot. */
  childrenNeeded: number | null;
}

/**
 * Whether the proposed split lowers the busier side's load (at the peak rates) below the shard's: with a key too hot for
 * any shard, a split still takes the other keys off its shard, so that shard throttles only the key's own excess
 * (helper-44: a key at 1,004 records/s on a shard at 1,427; split off, 15.8% lost became 4.4%).
 */
export function splitHelps(p: Pick<SplitProposal, "split" | "load">): boolean {
  return p.split !== null && Math.max(p.split.children[0].peakUtilisation, p.split.children[1].peakUtilisation) < p.load.peakUtilisation * (1 - 1e-6);
}

/** A load's utilisation of one shard's write limits. */
interface Limits {
  recordsPerSecond: number;
  bytesPerSecond: number;
}

const EPS = 1e-9;

function shareOf(l: Load, limits: Limits): LoadShare {
  return {
    ...l,
    utilisation: Math.max(l.recordsPerSecond / limits.recordsPerSecond, l.bytesPerSecond / limits.bytesPerSecond),
    peakUtilisation: Math.max(l.peakRecordsPerSecond / limits.recordsPerSecond, l.peakBytesPerSecond / limits.bytesPerSecond),
  };
}

const zero = (): Load => ({ recordsPerSecond: 0, bytesPerSecond: 0, peakRecordsPerSecond: 0, peakBytesPerSecond: 0 });
const plus = (a: Load, b: Load, f = 1): Load => ({
  recordsPerSecond: a.recordsPerSecond + f * b.recordsPerSecond,
  bytesPerSecond: a.bytesPerSecond + f * b.bytesPerSecond,
  peakRecordsPerSecond: a.peakRecordsPerSecond + f * b.peakRecordsPerSecond,
  peakBytesPerSecond: a.peakBytesPerSecond + f * b.peakBytesPerSecond,
});
/** a − b, never below 0 (rounding). */
const minus = (a: Load, b: Load): Load => ({
  recordsPerSecond: Math.max(0, a.recordsPerSecond - b.recordsPerSecond),
  bytesPerSecond: Math.max(0, a.bytesPerSecond - b.bytesPerSecond),
  peakRecordsPerSecond: Math.max(0, a.peakRecordsPerSecond - b.peakRecordsPerSecond),
  peakBytesPerSecond: Math.max(0, a.peakBytesPerSecond - b.peakBytesPerSecond),
});

/** A shard whose share of the stream's records is at most this many times an even spread's is evenly loaded. */
export const EVEN_SPREAD = 1.1;

/** The split proposals of a stream's throttled shards, hottest first (those with their traffic by hash key in the run). */
export function splitProposals(run: Pick<StreamRun, "stream" | "shards" | "hotShardTraffic">): SplitProposal[] {
  return run.hotShardTraffic.map((t) => {
    const share = run.shards.find((s) => s.id === t.shard)?.expectedShare ?? 0;
    return splitProposal(run.stream.name, t, run.stream.limits, { share, shards: run.stream.shardCount });
  });
}

/** The split of one shard that balances its traffic; `stream`: its share of the stream's records and the stream's shard count. */
export function splitProposal(stream: string, t: ShardTraffic, limits: Limits, of: { share: number; shards: number } = { share: 1, shards: 1 }): SplitProposal {
  const start = BigInt(t.startingHashKey);
  const end = BigInt(t.endingHashKey);
  const width = end - start + 1n;
  const keys = t.keys;
  const hk = keys.map((k) => BigInt(k.hashKey));
  const G = keys.length;
  // prefix[k]: the load of the first k keys.
  const prefix: Load[] = [zero()];
  for (const k of keys) prefix.push(plus(prefix[prefix.length - 1]!, k));
  const total = plus(prefix[G]!, t.spread);
  const S = t.spread;
  const spread = S.recordsPerSecond > 0 || S.bytesPerSecond > 0;
  const u = (h: bigint) => Number(h - start) / Number(width);
  /** The left child's load when it ends just before `h` and holds the first k keys. */
  const leftAt = (k: number, h: bigint): Load => plus(prefix[k]!, S, u(h));
  const util = (l: Load) => shareOf(l, limits).utilisation;

  let best: { k: number; h: bigint; value: number; gap: number } | null = null;
  const consider = (k: number, h: bigint) => {
    const left = leftAt(k, h);
    const uL = util(left);
    const uR = util(minus(total, left));
    const value = Math.max(uL, uR);
    const gap = Math.abs(uL - uR);
    if (!best || value < best.value - EPS || (value <= best.value + EPS && gap < best.gap - EPS)) best = { k, h, value, gap };
  };
  for (let k = 0; k <= G; k++) {
    // Segment k: NewStartingHashKey h in [lo, hi] puts the first k keys in the left child.
    const lo = k === 0 ? start + 1n : hk[k - 1]! + 1n;
    const hi = k === G ? end : hk[k]!;
    if (lo > hi) continue;
    if (!spread) {
      // The load is the keys': the split falls just before key k (NewStartingHashKey = its hash key).
      if (k >= 1 && k < G) consider(k, hi);
      continue;
    }
    const h = clamp(start + fraction(crossing(prefix[k]!, total, S, limits), width), lo, hi);
    consider(k, h);
  }

  const chosen = best as { k: number; h: bigint } | null;
  const split = chosen
    ? (() => {
        const left = leftAt(chosen.k, chosen.h);
        const child = (l: Load, from: bigint, to: bigint, n: number): SplitChild => ({
          ...shareOf(l, limits),
          startingHashKey: from.toString(),
          endingHashKey: to.toString(),
          keys: n,
        });
        const atKey = chosen.k < G && hk[chosen.k] === chosen.h ? keys[chosen.k]!.key : null;
        return {
          hashKey: chosen.h.toString(),
          beforeKey: atKey,
          children: [child(left, start, chosen.h - 1n, chosen.k), child(minus(total, left), chosen.h, end, G - chosen.k)] as [SplitChild, SplitChild],
        };
      })()
    : null;

  const tooHot = keys
    .map((k) => ({ key: k.key, hashKey: k.hashKey, ...shareOf(k, limits) }))
    .filter((k) => k.utilisation > 1 || k.peakUtilisation > 1)
    .sort((a, b) => b.peakUtilisation - a.peakUtilisation || (a.hashKey < b.hashKey ? -1 : 1));
  const load = shareOf(total, limits);
  return {
    stream,
    shard: t.shard,
    startingHashKey: t.startingHashKey,
    endingHashKey: t.endingHashKey,
    load,
    shareOfStream: of.share,
    evenShare: 1 / of.shards,
    evenlyLoaded: of.shards > 1 && of.share <= EVEN_SPREAD / of.shards,
    writers: t.writers,
    keys: G,
    aggregatedKeys: t.aggregatedKeys,
    spreadShare: total.recordsPerSecond > 0 ? S.recordsPerSecond / total.recordsPerSecond : 0,
    split,
    tooHot,
    fits: split !== null && split.children.every((c) => c.peakUtilisation <= 1),
    evenChildren: Math.max(1, Math.ceil(load.peakUtilisation - EPS)),
    childrenNeeded: tooHot.length > 0 ? null : fewestChildren(keys, hk, S, start, width, limits),
  };
}

/**
 * Where, as a fraction u of the range, the left child's utilisation (prefix + S·u) meets the right one's
 * (total − prefix − S·u): each side's utilisation is the larger of its records and bytes lines, so the meeting
 * point is max over the right's line of the min over the left's lines of where the two lines cross.
 */
function crossing(prefix: Load, total: Load, S: Load, limits: Limits): number {
  const dims = [
    { k: prefix.recordsPerSecond, t: total.recordsPerSecond, s: S.recordsPerSecond, l: limits.recordsPerSecond },
    { k: prefix.bytesPerSecond, t: total.bytesPerSecond, s: S.bytesPerSecond, l: limits.bytesPerSecond },
  ];
  let u = -Infinity;
  for (const r of dims) {
    let first = Infinity;
    for (const l of dims) {
      const slope = l.s / l.l + r.s / r.l;
      if (slope <= 0) continue;
      first = Math.min(first, ((r.t - r.k) / r.l - l.k / l.l) / slope);
    }
    u = Math.max(u, first);
  }
  return Number.isFinite(u) ? u : 0.5;
}

/** floor(width × u) for u in [0, 1], exact for dyadic u (0.5 gives width ÷ 2). */
function fraction(u: number, width: bigint): bigint {
  const c = Math.min(1, Math.max(0, u));
  return (BigInt(Math.round(c * 2 ** 53)) * width) >> 53n;
}

function clamp(h: bigint, lo: bigint, hi: bigint): bigint {
  return h < lo ? lo : h > hi ? hi : h;
}

/**
 * The fewest contiguous pieces the range can be cut into, each within the limits at the peak rates, cutting only
 * between keys or inside the spread: each piece taken as far as it can go (greedy, which is optimal for cuts of a
 * line under a load that only grows with the piece). Keys alone within the limits (the caller checks).
 */
function fewestChildren(keys: ShardTraffic["keys"], hk: bigint[], S: Load, start: bigint, width: bigint, limits: Limits): number {
  const R = limits.recordsPerSecond;
  const B = limits.bytesPerSecond;
  const sr = S.peakRecordsPerSecond;
  const sb = S.peakBytesPerSecond;
  let pieces = 1;
  let r = 0;
  let b = 0;
  /** Spread over a fraction `len` of the range. */
  const spreadOver = (len: number) => {
    if (len <= 0 || (sr <= 0 && sb <= 0)) return;
    // How much of the spread still fits the current piece, and how much a whole piece holds.
    const room = Math.min(sr > 0 ? (R - r) / sr : Infinity, sb > 0 ? (B - b) / sb : Infinity);
    if (len <= room + EPS) {
      r += sr * len;
      b += sb * len;
      return;
    }
    let rest = len - Math.max(0, room);
    const whole = Math.min(sr > 0 ? R / sr : Infinity, sb > 0 ? B / sb : Infinity);
    const full = Math.floor(rest / whole - EPS);
    pieces += 1 + full;
    rest -= full * whole;
    r = sr * rest;
    b = sb * rest;
  };
  let at = 0;
  keys.forEach((k, i) => {
    const u = Number(hk[i]! - start) / Number(width);
    spreadOver(u - at);
    at = u;
    if (r + k.peakRecordsPerSecond > R * (1 + EPS) || b + k.peakBytesPerSecond > B * (1 + EPS)) {
      pieces++;
      r = 0;
      b = 0;
    }
    r += k.peakRecordsPerSecond;
    b += k.peakBytesPerSecond;
  });
  spreadOver(1 - at);
  return pieces;
}
