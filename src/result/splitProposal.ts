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
//
// A KPL writer with aggregation puts on a part of the range (a child, a key, one of n even pieces) not its share of
// the shard's Kinesis records but the aggregates its processes' buffers make of the part's user records
// (aggregatedLoad.ts: the KPL model's expectedAggregation): when the buffers fill by time, each process sends each
// child about as many aggregates as it sent the parent. Loads are then not additive, and the balance point, the
// fewest pieces and the even split's count are found by bisection on the same arithmetic; without such writers the
// loads add up and the arithmetic is the closed form below.

import { addPart, emptyPart, keyPart, partHasLoad, partLoad, partRecords, scalePart, spreadPart, subtractPart, type Part } from "./aggregatedLoad.js";
import type { AggregatingWriter, Load, ShardResult, ShardTraffic, StreamRun } from "./runResult.js";

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
   * The shard's expected share of the stream's records (by key routing) and an even spread's (1 ÷ shards; with reshards,
   * by the routing over the shards open at the end, and 1 ÷ those).
   * `evenlyLoaded`: within EVEN_SPREAD of it either way; `belowEven`: under it by more (a cold shard). Neither is hot by
   * key routing (hotForKeys), and neither gets a split for its keys: such a shard over a shard's limits shows the stream
   * short of capacity (UpdateShardCount to twice the shards halves every shard's range as this split would); one within
   * them throttled in seconds above the limits, and a cold one may get a split for those bursts (`bursts`).
   */
  shareOfStream: number;
  evenShare: number;
  evenlyLoaded: boolean;
  belowEven: boolean;
  /**
   * The applications' writers on the shard ("app → stream") held back by the stream's throttling: their application fell
   * behind, held back by its puts to this stream, more than 1% of them throttled (a throttled put holds its record
   * processor). What they offered is what the stream let through, so every load here is a lower bound of what they would
   * offer unthrottled, and `fits` is not shown. Absent when none is (set by judge).
   */
  heldBack?: string[];
  /** Each writer's load on the shard (mean after warmup; peak ÷ mean of its rate): Kinesis records (a KPL writer's aggregates). */
  writers: ShardTraffic["writers"];
  /**
   * The KPL writers that aggregate, with their user records per second on the shard: the loads above and below count
   * their aggregates, made anew for each part of the range (aggregatedLoad.ts). Absent when none writes to the shard.
   */
  aggregating?: (AggregatingWriter & { userRecordsPerSecond: number })[];
  /** Discrete keys listed; lighter ones counted as spread; share of the shard's records spread evenly over its range. */
  keys: number;
  aggregatedKeys: number;
  spreadShare: number;
  /**
   * The split: NewStartingHashKey (decimal, start + 1 .. end) and the two children, or null when the shard is not hot
   * for its keys (evenlyLoaded, belowEven: a split is not its remedy) and no split for its bursts is (`bursts`), or its
   * traffic is one hash key (nothing to divide). `beforeKey`: the key whose hash key it is (the split falls between keys).
   */
  split: { hashKey: string; beforeKey: string | null; children: [SplitChild, SplitChild] } | null;
  /**
   * A cold shard (belowEven) that throttled in bursts: its writers' load at their peak rates within a shard's limits, so
   * its throttling came in seconds above them. `busierShare`: the balancing split's busier child's share of the shard's
   * load (utilisation; null when its traffic is one hash key). At most BURST_SPLIT_SHARE, that split is proposed for its
   * bursts (`split`): each child takes its part of every burst into write buckets of its own. Absent for any other shard,
   * and (set by judge) when writers held back by the stream's throttling write to it (its load is then a lower bound).
   * `retries` and `requests` (set by judge, src/result/burstAlternatives.ts): what else would take its bursts.
   */
  bursts?: { busierShare: number | null } & Partial<BurstAlternatives>;
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
  /** Shards an even split of the load (at the peak rates) would need: ⌈utilisation⌉, at least 1 (with aggregating writers, the fewest n whose pieces of 1/n of the user records each fit). */
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
/** Utilisations this close are equal (the aggregation arithmetic's rounding is far smaller). */
const BALANCED = 1e-12;

function shareOf(l: Load, limits: Limits): LoadShare {
  return {
    ...l,
    utilisation: Math.max(l.recordsPerSecond / limits.recordsPerSecond, l.bytesPerSecond / limits.bytesPerSecond),
    peakUtilisation: Math.max(l.peakRecordsPerSecond / limits.recordsPerSecond, l.peakBytesPerSecond / limits.bytesPerSecond),
  };
}

/** A shard whose share of the stream's records is within this factor of an even spread's, either way, is evenly loaded. */
export const EVEN_SPREAD = 1.1;

/**
 * Whether a shard is hot for its keys, so that a split is its remedy: its share of the stream's records by key routing
 * is over an even spread's by more than EVEN_SPREAD, or it is the stream's only shard (a split is then the stream's
 * next shard). An evenly loaded or cold shard is not: over a shard's limits at that share, every shard at that share is
 * over too and an even spread puts about as much on each (more, for a cold one), so the stream is short of capacity and
 * splitting this one leaves the others as short (helper-73: 4
 * shards offered 150% of their capacity throttled 68.8% of the put attempts; a cold shard at 21.3% split, its children
 * throttled none and the stream 64.0%; 8 shards none); within them its throttling is bursts, not its keys.
 */
export function hotForKeys(share: number, shards: number): boolean {
  return shards <= 1 || share > EVEN_SPREAD / shards;
}

/** Whether a proposal's shard is hot for its keys (hotForKeys): neither evenly loaded nor cold, so it gets a split. */
export function proposalHot(p: Pick<SplitProposal, "evenlyLoaded" | "belowEven">): boolean {
  return !p.evenlyLoaded && !p.belowEven;
}

/**
 * The most of a burst-throttled cold shard's load the busier child of its split may keep for the split to be proposed
 * for its bursts. Its writers' bursts spread over its keys as their records do, so each child takes that share of every
 * burst. Rehearsed (record granularity, SDK writers of 100 KiB records whose linger of 1-5 s makes the bursts, Zipf and
 * hot keys, 2 and 3 shards; the split at the start, its children's throttled attempts after warmup against the shard's
 * unsplit; 50 shards), the split cut the shard's throttled attempts by 52-100% with the busier child at 50-67% of its
 * load (91-100% where its busiest second, retries included, was at most about 3 × a shard's limits; one shard that
 * throttled 7 attempts throttled 4), by 44-100% at 74-82%, and by only 5-40% at 93-97%: a key too heavy to divide kept
 * its bursts on one child.
 */
export const BURST_SPLIT_SHARE = 0.75;

/** Whether a proposal's split is for its shard's bursts (a cold shard that throttled in bursts), not for its keys. */
export function splitForBursts(p: Pick<SplitProposal, "split" | "bursts">): boolean {
  return p.split !== null && p.bursts !== undefined;
}

/** What else would take a burst-throttled shard's bursts, as its run shows (src/result/burstAlternatives.ts). */
export interface BurstAlternatives {
  /**
   * Its SDK producers that gave up records after warmup, throttled past their retries (on every shard they write to):
   * the records, and the attempts they make (retry.maxAttempts). With a mean load within the shard's limits, retries
   * that wait longer get a burst's records through while its buckets refill.
   */
  retries: { writer: string; lost: number; maxAttempts: number }[];
  /**
   * Its SDK producers whose PutRecords requests put more on this shard at once than its write buckets hold (writeBurst at
   * 1,000 records/s and 1 MiB/s): their linger, what ends a request at their mean rate per instance (its linger, or
   * maxRequestSize or maxBatchRecords filling first), its records and bytes (data and keys), and the part of them for
   * this shard. A shorter linger (or request) sends them in smaller bursts.
   */
  requests: { writer: string; lingerUs: number; by: "linger" | "maxRequestSize" | "maxBatchRecords"; records: number; bytes: number; onShardRecords: number; onShardBytes: number }[];
}

/**
 * The split proposals of a stream's throttled shards, hottest first (those with their traffic by hash key in the run).
 * A shard's share is by key routing, against an even spread over the shards open at the end: with reshards, not the
 * records it took (a child opened late took few) nor every shard the run saw (closed parents carry nothing then).
 */
export function splitProposals(run: Pick<StreamRun, "stream" | "shards" | "hotShardTraffic">): SplitProposal[] {
  return run.hotShardTraffic.map((t) => splitProposal(run.stream.name, t, run.stream.limits, routedShare(run, run.shards.find((x) => x.id === t.shard))));
}

/**
 * A shard's share of the stream's records by key routing, and the shard count an even spread divides them by: its
 * expected share over the stream's shards, or, with reshards, its share by the routing over the shards open at the end
 * over those (what splitProposals and hotForKeys judge it by).
 */
export function routedShare(run: Pick<StreamRun, "stream">, s: Pick<ShardResult, "expectedShare" | "routedShareAtEnd"> | undefined): { share: number; shards: number } {
  const share = s?.routedShareAtEnd ?? s?.expectedShare ?? 0;
  return { share, shards: s?.routedShareAtEnd !== undefined ? run.stream.openShards.atEnd : run.stream.shardCount };
}

/** The throttled shards that a stream's split proposals leave out (it takes the hottest SPLIT_SHARDS open ones), and how many of them are hot for their keys. */
export interface HotShardsNotShown {
  /** Throttled shards open at the end without a proposal. */
  throttled: number;
  /** Those of them hot for their keys (hotForKeys, as a proposal judges its shard): each needs a split of its own. */
  hotForKeys: number;
}

/** What the stream's split proposals leave out (src/result/shardTraffic.ts analyses at most SPLIT_SHARDS throttled shards), or null when they leave none out. */
export function hotShardsNotShown(run: Pick<StreamRun, "stream" | "shards" | "hotShardTraffic">): HotShardsNotShown | null {
  const shown = new Set(run.hotShardTraffic.map((t) => t.shard));
  const left = run.shards.filter((s) => s.throttledRecords > 0 && (s.life?.closedAt ?? null) === null && !shown.has(s.id));
  if (left.length === 0) return null;
  const hot = left.filter((s) => {
    const { share, shards } = routedShare(run, s);
    return hotForKeys(share, shards);
  }).length;
  return { throttled: left.length, hotForKeys: hot };
}

/** The split of one shard that balances its traffic; `stream`: its share of the stream's records and the stream's shard count. */
export function splitProposal(stream: string, t: ShardTraffic, limits: Limits, of: { share: number; shards: number } = { share: 1, shards: 1 }): SplitProposal {
  const start = BigInt(t.startingHashKey);
  const end = BigInt(t.endingHashKey);
  const width = end - start + 1n;
  const keys = t.keys;
  const hk = keys.map((k) => BigInt(k.hashKey));
  const G = keys.length;
  const aggregating = t.aggregating ?? [];
  const n = aggregating.length;
  // Each key, and the spread, as parts; prefix[k]: the first k keys.
  const keyParts = keys.map((k) => keyPart(k, n));
  const prefix: Part[] = [emptyPart(n)];
  for (const k of keyParts) prefix.push(addPart(prefix[prefix.length - 1]!, k));
  const S = spreadPart(t.spread, n);
  const total = addPart(prefix[G]!, S);
  const spread = partHasLoad(S);
  const loadOf = (p: Part): Load => (n === 0 ? p.plain : partLoad(p, aggregating));
  const u = (h: bigint) => Number(h - start) / Number(width);
  /** The left child when it ends just before the fraction x of the range and holds the first k keys. */
  const leftAtFraction = (k: number, x: number): Part => addPart(prefix[k]!, S, x);
  const leftAt = (k: number, h: bigint): Part => leftAtFraction(k, u(h));
  /** The mean utilisation (the split balances the mean load). */
  const util = (p: Part) => {
    const l = n === 0 ? p.plain : partLoad(p, aggregating, true);
    return Math.max(l.recordsPerSecond / limits.recordsPerSecond, l.bytesPerSecond / limits.bytesPerSecond);
  };

  let best: { k: number; h: bigint; value: number; gap: number } | null = null;
  const consider = (k: number, h: bigint) => {
    const left = leftAt(k, h);
    const uL = util(left);
    const uR = util(subtractPart(total, left));
    const value = Math.max(uL, uR);
    const gap = Math.abs(uL - uR);
    if (!best || value < best.value - EPS || (value <= best.value + EPS && gap < best.gap - EPS)) best = { k, h, value, gap };
  };
  /**
   * With aggregating writers: where in [x0, x1] the left child's utilisation meets the right one's (the left grows, the
   * right shrinks), on fraction's grid (multiples of 2^-53 of the range): the middle of the points where the two are
   * equal within BALANCED (the arithmetic's rounding makes them equal, or not, by turns there). Each side is worked out
   * from its own keys and stretch of the spread, so a symmetric load balances at its middle exactly.
   */
  const balance = (k: number, x0: number, x1: number): { x: number; leftBusier: boolean } => {
    const rightKeys = subtractPart(prefix[G]!, prefix[k]!);
    const f = (c: number) => util(leftAtFraction(k, c / GRID)) - util(addPart(rightKeys, S, 1 - c / GRID));
    const first = Math.ceil(x0 * GRID);
    const last = Math.floor(x1 * GRID);
    if (first >= last) return { x: x0, leftBusier: false };
    if (f(first) >= -BALANCED) return { x: x0, leftBusier: true };
    if (f(last) <= BALANCED) return { x: x1, leftBusier: false };
    /** The first c in (lo, hi] with `busier(f(c))`, given not at lo and at hi. */
    const search = (busier: (d: number) => boolean, lo: number, hi: number) => {
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (busier(f(mid))) hi = mid;
        else lo = mid;
      }
      return hi;
    };
    const even = search((d) => d >= -BALANCED, first, last);
    const over = search((d) => d > BALANCED, even - 1, last);
    // (Not (even + over − 1) ÷ 2: near 2^53 the sum is past a double's whole numbers.)
    return { x: (even + Math.floor((over - 1 - even) / 2)) / GRID, leftBusier: false };
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
    const b = n === 0 ? { x: crossing(prefix[k]!.plain, total.plain, S.plain, limits), leftBusier: false } : balance(k, u(lo), u(hi));
    consider(k, clamp(start + fraction(b.x, width), lo, hi));
    // With aggregating writers, once the left child is the busier from a segment's start, every later split holds more in
    // the left child and does no better (without them the closed form is cheap, and every segment is weighed).
    if (b.leftBusier) break;
  }

  const chosen = best as { k: number; h: bigint } | null;
  const candidate = chosen
    ? (() => {
        const left = leftAt(chosen.k, chosen.h);
        const child = (p: Part, from: bigint, to: bigint, count: number): SplitChild => ({
          ...shareOf(loadOf(p), limits),
          startingHashKey: from.toString(),
          endingHashKey: to.toString(),
          keys: count,
        });
        const atKey = chosen.k < G && hk[chosen.k] === chosen.h ? keys[chosen.k]!.key : null;
        return {
          hashKey: chosen.h.toString(),
          beforeKey: atKey,
          children: [child(left, start, chosen.h - 1n, chosen.k), child(subtractPart(total, left), chosen.h, end, G - chosen.k)] as [SplitChild, SplitChild],
        };
      })()
    : null;
  const load = shareOf(loadOf(total), limits);
  const belowEven = of.shards > 1 && of.share < 1 / (EVEN_SPREAD * of.shards);
  // A cold shard whose load fits a shard at its writers' peak rates throttled in bursts: the split is proposed for them
  // when its busier child keeps at most BURST_SPLIT_SHARE of the load (and of each burst).
  const bursts =
    belowEven && load.peakUtilisation <= 1 + EPS
      ? { busierShare: candidate && load.utilisation > 0 ? Math.max(candidate.children[0].utilisation, candidate.children[1].utilisation) / load.utilisation : null }
      : undefined;
  const forBursts = bursts !== undefined && bursts.busierShare !== null && bursts.busierShare <= BURST_SPLIT_SHARE;
  const split = hotForKeys(of.share, of.shards) || forBursts ? candidate : null;

  // A key's load alone on a shard (an aggregating writer's user records of it aggregated as on a shard of their own).
  const tooHot = keys
    .map((k, i) => ({ key: k.key, hashKey: k.hashKey, ...shareOf(loadOf(keyParts[i]!), limits) }))
    .filter((k) => k.utilisation > 1 || k.peakUtilisation > 1)
    .sort((a, b) => b.peakUtilisation - a.peakUtilisation || (a.hashKey < b.hashKey ? -1 : 1));
  const records = partRecords(total);
  const fitsPeak = (p: Part) => shareOf(loadOf(p), limits).peakUtilisation <= 1 + EPS;
  return {
    stream,
    shard: t.shard,
    startingHashKey: t.startingHashKey,
    endingHashKey: t.endingHashKey,
    load,
    shareOfStream: of.share,
    evenShare: 1 / of.shards,
    evenlyLoaded: of.shards > 1 && of.share <= EVEN_SPREAD / of.shards && of.share >= 1 / (EVEN_SPREAD * of.shards),
    belowEven,
    ...(bursts ? { bursts } : {}),
    writers: t.writers,
    ...(n > 0 ? { aggregating: aggregating.map((w, j) => ({ ...w, userRecordsPerSecond: total.users[j]!.records })) } : {}),
    keys: G,
    aggregatedKeys: t.aggregatedKeys,
    // Of the records (an aggregating writer's user records: a key's share of them is what a split moves).
    spreadShare: records > 0 ? partRecords(S) / records : 0,
    split,
    tooHot,
    fits: split !== null && split.children.every((c) => c.peakUtilisation <= 1),
    evenChildren: n === 0 ? Math.max(1, Math.ceil(load.peakUtilisation - EPS)) : evenPieces(total, load.peakUtilisation, fitsPeak),
    childrenNeeded: tooHot.length > 0 ? null : fewestChildren(keyParts, hk, S, start, width, limits, n === 0 ? null : fitsPeak),
  };
}

/**
 * With aggregating writers: the fewest n for which 1/n of the shard's records (each writer's, every key's) fits a
 * shard at the peak rates. A piece's load is at least 1/n of the whole's (aggregation packs fewer records per
 * aggregate in a smaller piece), so n starts at ⌈utilisation⌉; it shrinks as n grows, so the search is a bisection.
 */
function evenPieces(total: Part, peakUtilisation: number, fits: (p: Part) => boolean): number {
  let lo = Math.max(1, Math.ceil(peakUtilisation - EPS));
  if (fits(scalePart(total, 1 / lo))) return lo;
  let hi = lo * 2;
  while (!fits(scalePart(total, 1 / hi))) {
    lo = hi;
    hi *= 2;
    if (hi > 2 ** 40) return hi;
  }
  // fits(hi), not fits(lo).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(scalePart(total, 1 / mid))) hi = mid;
    else lo = mid;
  }
  return hi;
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

/** The grid of fraction: multiples of 2^-53 of the range. */
const GRID = 2 ** 53;

/** floor(width × u) for u in [0, 1], exact for dyadic u (0.5 gives width ÷ 2). */
function fraction(u: number, width: bigint): bigint {
  const c = Math.min(1, Math.max(0, u));
  return (BigInt(Math.round(c * GRID)) * width) >> 53n;
}

function clamp(h: bigint, lo: bigint, hi: bigint): bigint {
  return h < lo ? lo : h > hi ? hi : h;
}

/**
 * The fewest contiguous pieces the range can be cut into, each within the limits at the peak rates, cutting only
 * between keys or inside the spread: each piece taken as far as it can go (greedy, which is optimal for cuts of a
 * line under a load that only grows with the piece). Keys alone within the limits (the caller checks). `fits`: with
 * aggregating writers, whether a part fits (the load is not additive: how much spread fits is found by bisection);
 * null without them (it is worked out from the records and bytes added).
 */
function fewestChildren(keys: Part[], hk: bigint[], S: Part, start: bigint, width: bigint, limits: Limits, fits: ((p: Part) => boolean) | null): number {
  const R = limits.recordsPerSecond;
  const B = limits.bytesPerSecond;
  const sr = S.plain.peakRecordsPerSecond;
  const sb = S.plain.peakBytesPerSecond;
  const n = S.users.length;
  let pieces = 1;
  /** The current piece. */
  let cur = emptyPart(n);
  /** The most of the spread, as a fraction of the range up to `len`, that fits with `p`. */
  const room = (p: Part, len: number): number => {
    if (fits === null) {
      const r = p.plain.peakRecordsPerSecond;
      const b = p.plain.peakBytesPerSecond;
      return Math.min(sr > 0 ? (R - r) / sr : Infinity, sb > 0 ? (B - b) / sb : Infinity);
    }
    if (fits(addPart(p, S, len))) return len;
    let lo = 0;
    let hi = len;
    for (let i = 0; i < 64 && hi - lo > 1e-15; i++) {
      const mid = (lo + hi) / 2;
      if (fits(addPart(p, S, mid))) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  /** Spread over a fraction `len` of the range. */
  const spreadOver = (len: number) => {
    if (len <= 0 || !partHasLoad(S)) return;
    // How much of the spread still fits the current piece, and how much a whole piece holds.
    const left = room(cur, len);
    if (len <= left + EPS) {
      cur = addPart(cur, S, len);
      return;
    }
    let rest = len - Math.max(0, left);
    const whole = Math.max(room(emptyPart(n), rest), 1e-12);
    const full = Math.floor(rest / whole - EPS);
    pieces += 1 + full;
    rest -= full * whole;
    cur = addPart(emptyPart(n), S, rest);
  };
  const over = (p: Part) =>
    fits === null ? p.plain.peakRecordsPerSecond > R * (1 + EPS) || p.plain.peakBytesPerSecond > B * (1 + EPS) : !fits(p);
  let at = 0;
  keys.forEach((k, i) => {
    const u = Number(hk[i]! - start) / Number(width);
    spreadOver(u - at);
    at = u;
    const next = addPart(cur, k);
    if (over(next)) {
      pieces++;
      cur = k;
    } else cur = next;
  });
  spreadOver(1 - at);
  return pieces;
}
