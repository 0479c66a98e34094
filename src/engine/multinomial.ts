// Splits n records over categories (shards) with given probabilities: a multinomial draw.
//
// multinomial() draws it by conditional binomials: O(categories) binomial draws, each O(1) but about 80 ns for the
// BTPE algorithm. MultinomialSampler draws the same distribution faster over many categories (a producer's split of
// each window over hundreds or thousands of shards), with the Poisson process behind a multinomial: arrivals of a
// rate-1 Poisson process, each marked with category i with probability p_i, and the marks of the first n arrivals
// are multinomial(n, p). Counting the arrivals up to a time m < n gives independent Poisson(m·p_i) counts X_i, S in
// all. When S ≤ n, the first n arrivals are those S and the next n − S, whose marks are independent of them: X plus
// n − S single draws from p. When S > n, they are n of the S, and since the marks' order is exchangeable, a
// uniformly random n of them: X less S − n items removed at random. Either way the result is exactly multinomial,
// whatever m is. With m a few standard deviations below n, S > n is rare and few single draws remain. The Poisson
// counts come from tables (a cumulative distribution with a guide table per distinct m·p_i: one uniform and about
// one comparison a count), built once per m; m is on a grid and kept while it suits n (see FILL), so windows of
// about the same size share their tables.
//
// The total n is the caller's (a producer draws it first from its own stream), so traffic over a time is the same
// whatever the number of shards (common random numbers); only its split over the shards depends on them.

import { AliasTable } from "./alias.js";
import { poissonPmf } from "./poisson.js";
import type { RandomStream } from "./random.js";

/** Fills `out` with a multinomial(n, p) draw by conditional binomials; `p` sums to 1 (zeros allowed). */
export function multinomial(rng: RandomStream, n: number, p: ArrayLike<number>, out: Float64Array): void {
  out.fill(0);
  let remaining = n;
  let mass = 1;
  let last = p.length - 1;
  while (last >= 0 && p[last]! <= 0) last--;
  for (let i = 0; i <= last && remaining > 0; i++) {
    const pi = p[i]!;
    if (pi <= 0) continue;
    if (i === last || pi >= mass) {
      out[i] = remaining;
      remaining = 0;
      break;
    }
    const k = rng.binomial(remaining, Math.min(1, pi / mass));
    out[i] = k;
    remaining -= k;
    mass -= pi;
  }
}

/** Categories with a positive probability below which MultinomialSampler draws by conditional binomials. */
export const POISSON_SPLIT_MIN_CATEGORIES = 64;
/**
 * Where the fill m lies below n, in standard deviations (√n): a fill between n − 6√n and n − 2.5√n is kept from one
 * draw to the next, or a kept table set's in that range is taken (S > n then has a probability below 0.6%, and
 * 2.5√n to 6√n records are left to single draws); failing both, a new one is taken at n − 4.25√n. A producer's
 * windows at a steady rate vary by about √n, so a few table sets, built once, serve them all.
 */
const FILL = { low: 2.5, high: 6 };
/**
 * A new table set is built only once the draws since the last build would have cost, by conditional binomials, about
 * as much as it (BUILD_BUDGET table entries per category and draw); until then a draw falls back to them. Tables for
 * thousands of distinct shares (Zipf keys over thousands of shards) are large, and a total that jumps about (a bursty
 * trace) would otherwise rebuild them often.
 */
const BUILD_BUDGET = 2;
/**
 * Costs, in table draws (about 12 ns each here): a binomial draw costs about 7 (BTPE, 85 ns), a single draw 1 with one
 * uniform and 1.5 with two. A Poisson fill costs a table draw per category and 4.25√n single draws, so it gains while
 * 4.25·√n·(single draw) < (7 − 1)·categories, that is √n·(single draw) < 1.4·categories; it is taken below 1.2, as
 * near the line the two cost about the same (measured: Zipf shares over 100 shards, 80 records a shard).
 */
const POISSON_FILL_GAIN = 1.2;
/** Table entries of one fill (all distinct means together) above which it falls back to conditional binomials. */
const MAX_TABLE_ENTRIES = 1 << 20;
/** Table sets kept (fills of different m), at most, and their entries in all (12 bytes each); the oldest built goes first. */
const TABLE_SETS = 4;
const MAX_KEPT_ENTRIES = 1 << 21;
/** Standard deviations (plus as many counts) of a Poisson count that its table covers on each side of its mean. */
const TABLE_REACH = 12;

/** Poisson tables for one fill m: per distinct mean m·p_g, the cumulative distribution from `lo` and its guide table. */
interface TableSet {
  m: number;
  /** Per group: first count of its table, offset of its table in cdf and guide, and its length. */
  lo: Int32Array;
  base: Int32Array;
  len: Int32Array;
  /** P(X ≤ lo + j) at base + j (the last entry 2, so a search always stops); guide[base + g] = first j with cdf > g / len. */
  cdf: Float64Array;
  guide: Int32Array;
}

/**
 * A multinomial sampler for share vectors that change rarely (a producer's routing, replaced on a reshard): the same
 * distribution as multinomial(), drawn by Poisson fill when there are at least POISSON_SPLIT_MIN_CATEGORIES
 * categories with a positive share, and by multinomial() itself (the same draws) below that.
 */
export class MultinomialSampler {
  private shares: ArrayLike<number> | null = null;
  /** Categories with a positive share. */
  private active = 0;
  /** Per category, its group (distinct share), −1 for a zero share; and the share of each group. */
  private groupOf = new Int32Array(0);
  private groupShare: number[] = [];
  /** Over the categories with a positive share: single draws, and the category of each column. */
  private alias: AliasTable | null = null;
  private categoryOf = new Int32Array(0);
  private sets: TableSet[] = [];
  /** Draws so far by each way: conditional binomials, single draws only, Poisson fill then single draws, fill then thinning. */
  readonly ways = { binomials: 0, placed: 0, filled: 0, thinned: 0 };
  /** The fill of the last draw by Poisson fill (0: none yet), and draws since the last table set was built. */
  private fill = 0;
  /** Table sets built so far, and their entries in all. */
  tableBuilds = 0;
  tableEntriesBuilt = 0;
  private sinceBuild = Infinity;
  /** What a single draw costs (see POISSON_FILL_GAIN): 1, and 0.5 more in the share of columns that take a second uniform. */
  private placeCost = 1;
  /** Σ √share over the groups: a table set for fill m holds about 2·TABLE_REACH·√m·(this) + (TABLE_REACH + 1)·groups entries. */
  private sqrtShares = 0;

  /**
   * `fillAt`: the range of fills kept below n, in standard deviations (see FILL; tests move it: below zero makes S > n,
   * the thinning, the usual way); `buildBudget`: see BUILD_BUDGET (tests lift it).
   */
  constructor(
    private readonly fillAt: { low: number; high: number } = FILL,
    private readonly buildBudget = BUILD_BUDGET,
  ) {}

  /** Fills `out` with a multinomial(n, p) draw; `p` sums to 1 (zeros allowed) and is not changed in place once given. */
  draw(rng: RandomStream, n: number, p: ArrayLike<number>, out: Float64Array): void {
    if (p !== this.shares) this.prepare(p);
    const ways = this.ways;
    if (this.active < POISSON_SPLIT_MIN_CATEGORIES || n <= 0) {
      ways.binomials++;
      return multinomial(rng, n, p, out);
    }
    this.sinceBuild++;
    // The fill leaves about 4.25√n single draws: worth it while they cost less than the binomials it saves.
    const sd = Math.sqrt(n);
    const set = n * 2 <= this.active ? null : sd * this.placeCost < POISSON_FILL_GAIN * this.active ? this.tablesFor(n, sd) : undefined;
    if (set === undefined) {
      ways.binomials++;
      return multinomial(rng, n, p, out);
    }
    out.fill(0);
    const next = rng.next;
    // Few records among many categories (or a fill of none): each placed on its own.
    if (set === null) {
      ways.placed++;
      return this.place(next, n, out);
    }
    const { lo, base, len, cdf, guide } = set;
    const groupOf = this.groupOf;
    let total = 0;
    for (let i = 0; i < groupOf.length; i++) {
      const g = groupOf[i]!;
      if (g < 0) continue;
      const u = next();
      const b = base[g]!;
      let j = guide[b + Math.floor(u * len[g]!)]!;
      while (cdf[b + j]! <= u) j++;
      const x = lo[g]! + j;
      out[i] = x;
      total += x;
    }
    if (total <= n) {
      ways.filled++;
      this.place(next, n - total, out);
    } else {
      ways.thinned++;
      this.thin(next, total - n, total, out);
    }
  }

  /** Adds `count` single draws from the shares to `out`. */
  private place(next: () => number, count: number, out: Float64Array): void {
    const alias = this.alias!;
    const categoryOf = this.categoryOf;
    for (let r = 0; r < count; r++) out[categoryOf[alias.drawFrom(next)]!]!++;
  }

  /** Removes `count` of the `total` items in `out`, each uniformly at random among those left. */
  private thin(next: () => number, count: number, total: number, out: Float64Array): void {
    let left = total;
    for (let r = 0; r < count; r++) {
      let k = Math.floor(next() * left);
      let i = 0;
      while (k >= out[i]!) k -= out[i++]!;
      out[i]!--;
      left--;
    }
  }

  /**
   * The tables for a fill that suits n records (standard deviation sd = √n): the last draw's fill, or a kept set's, while it lies in the FILL range
   * below n; otherwise a new fill in the middle of the range, rounded down to a multiple of the power of two ≤ √n, and
   * its tables, built if the budget allows. Null: the fill is 0 (n is a few standard deviations at most: single draws
   * only); undefined: no tables (too large, or not yet paid for): conditional binomials.
   */
  private tablesFor(n: number, sd: number): TableSet | null | undefined {
    const lo = n - this.fillAt.high * sd;
    const hi = n - this.fillAt.low * sd;
    let m = this.fill;
    if (!(m >= lo && m <= hi)) {
      // A kept set in range (the highest), or a new fill.
      m = -1;
      for (const set of this.sets) if (set.m >= lo && set.m <= hi && set.m > m) m = set.m;
      if (m < 0) {
        const step = 2 ** Math.floor(Math.log2(sd));
        m = Math.max(0, Math.floor((n - ((this.fillAt.low + this.fillAt.high) / 2) * sd) / step) * step);
      }
    }
    if (m === 0) return null;
    let set = this.setOf(m);
    if (!set) {
      const entries = 2 * TABLE_REACH * Math.sqrt(m) * this.sqrtShares + (TABLE_REACH + 1) * this.groupShare.length;
      if (entries > MAX_TABLE_ENTRIES) return undefined;
      if (this.buildBudget !== Infinity && entries > this.buildBudget * this.active * this.sinceBuild) return undefined;
      set = this.build(m);
      if (!set) return undefined;
      this.sinceBuild = 0;
      this.tableBuilds++;
      this.tableEntriesBuilt += set.cdf.length;
    }
    this.fill = m;
    return set;
  }

  /** The kept table set for fill m, if any. */
  private setOf(m: number): TableSet | undefined {
    for (const set of this.sets) if (set.m === m) return set;
    return undefined;
  }

  private prepare(p: ArrayLike<number>): void {
    this.shares = p;
    this.sets = [];
    this.fill = 0;
    this.sinceBuild = Infinity;
    const groupOf = new Int32Array(p.length).fill(-1);
    const groups = new Map<number, number>();
    const shares: number[] = [];
    const categories: number[] = [];
    for (let i = 0; i < p.length; i++) {
      const pi = p[i]!;
      if (!(pi > 0)) continue;
      let g = groups.get(pi);
      if (g === undefined) {
        g = shares.length;
        groups.set(pi, g);
        shares.push(pi);
      }
      groupOf[i] = g;
      categories.push(i);
    }
    this.groupOf = groupOf;
    this.groupShare = shares;
    this.sqrtShares = shares.reduce((sum, x) => sum + Math.sqrt(x), 0);
    this.active = categories.length;
    this.categoryOf = Int32Array.from(categories);
    this.alias = categories.length >= POISSON_SPLIT_MIN_CATEGORIES ? new AliasTable(categories.map((i) => p[i]!)) : null;
    this.placeCost = 1 + 0.5 * (this.alias?.partialColumns ?? 0);
  }

  /** The tables for fill m, built and kept, or undefined when they would be too large. */
  private build(m: number): TableSet | undefined {
    const shares = this.groupShare;
    const groups = shares.length;
    const lo = new Int32Array(groups);
    const base = new Int32Array(groups);
    const len = new Int32Array(groups);
    let entries = 0;
    for (let g = 0; g < groups; g++) {
      const mean = m * shares[g]!;
      const reach = TABLE_REACH * Math.sqrt(mean) + TABLE_REACH;
      lo[g] = Math.max(0, Math.floor(mean - reach));
      len[g] = Math.ceil(mean + reach) - lo[g]! + 1;
      base[g] = entries;
      entries += len[g]!;
      if (entries > MAX_TABLE_ENTRIES) return undefined;
    }
    const cdf = new Float64Array(entries);
    const guide = new Int32Array(entries);
    for (let g = 0; g < groups; g++) {
      const mean = m * shares[g]!;
      const b = base[g]!;
      const n = len[g]!;
      // P(X = lo), then P(X = k + 1) = P(X = k)·mean/(k + 1). Below lo and above lo + n − 1 lies less than 1e-30.
      let k = lo[g]!;
      let pk = poissonPmf(mean, k);
      let sum = 0;
      for (let j = 0; j < n; j++, k++) {
        sum += pk;
        cdf[b + j] = sum;
        pk = (pk * mean) / (k + 1);
      }
      cdf[b + n - 1] = 2;
      for (let j = 0, gi = 0; gi < n; gi++) {
        while (cdf[b + j]! <= gi / n) j++;
        guide[b + gi] = j;
      }
    }
    const set: TableSet = { m, lo, base, len, cdf, guide };
    let kept = entries;
    for (const s of this.sets) kept += s.cdf.length;
    while (this.sets.length > 0 && (this.sets.length >= TABLE_SETS || kept > MAX_KEPT_ENTRIES)) kept -= this.sets.shift()!.cdf.length;
    this.sets.push(set);
    return set;
  }
}
