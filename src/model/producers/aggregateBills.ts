// What a KPL aggregate bills, in expectation over its size. Kinesis bills each Kinesis record rounded up on its own
// (PUT payload units of 25 KB, an on-demand stream's data in to 1 KiB: https://aws.amazon.com/kinesis/data-streams/pricing/).
// An aggregate of n user records is one Kinesis record of size S = its format's overhead (magic, MD5, key table, each
// record's fields: kplAggregation.ts) + the n records' data, whose sizes are spread: it bills E[max(1, ⌈S ÷ increment⌉)],
// which rounding its mean size misses by up to about half an increment an aggregate. Worked out once, never per record:
// - RecordSums: the distribution of the sum of n data sizes, per size distribution: exact when every size is the same
//   (a fixed size, a trace's period); otherwise on a lattice up to the aggregate's limit, by convolution for up to
//   EXACT_SUMS records, and by the normal approximation beyond (as recordSize.ts draws a batch's bytes);
// - AggregateBills: the expected increments of an aggregate of n records, per n, for one shard's key mix; and of an
//   aggregate the KPL closed because the next record would not fit (a buffer of m records, as many as fit): the limit
//   less the room left, which for records of spread sizes is distributed as a renewal process's age at the limit,
//   P(room > r) = E[(Y − r)⁺] ÷ E[Y] for Y a record's bytes in it (for lognormal (700 B, 4 KiB) records, 49.58 KiB on
//   average where 1,000,000 records packed in order give 49.58; for records of one size, m of them exactly);
//   perBuffer mixes them over the number of records a buffer holds, for expectedAggregation (kplAggregation.ts).

import { KPL_AGGREGATE_FIXED_OVERHEAD } from "../../aws/limits.js";
import { ON_DEMAND_BILLING_INCREMENT_BYTES, PUT_PAYLOAD_UNIT_BYTES } from "../../aws/prices.js";
import { poissonPmf, poissonReach } from "../../engine/poisson.js";
import { normalCdf } from "../../engine/normal.js";
import type { SizeModel } from "../../workload/recordSize.js";
import { keyEntrySize, recordEntrySize, type AggregateBill, type AggregateIncrements } from "./kplAggregation.js";

/** Sums of up to this many sizes are convolved on the lattice; larger ones take the normal approximation. */
export const EXACT_SUMS = 16;
/** The lattice has a point every LATTICE_STEP bytes (16 a KiB), or a coarser power of two for at most MAX_POINTS up to the cap. */
const LATTICE_STEP = 64;
const MAX_POINTS = 1_024;
/** A size distribution is read at whole bytes up to this many points (coarser for larger limits). */
const FINE_POINTS = 65_536;
/** Lattice mass below this counts as none (a sum surely above the cap). */
const NEGLIGIBLE = 1e-12;

/**
 * The sum of n record sizes drawn from a distribution (restricted to sizes ≤ `upTo`, and to the `cap`: the sums
 * needed are below it). Sizes are whole bytes: P(size = x) = P(size > x − ½) − P(size > x + ½) (a lognormal's draws
 * are rounded; fixed, uniform and a trace's sizes are whole already).
 */
export class RecordSums {
  /** Mean and variance of one size (of those ≤ upTo). */
  readonly mean: number;
  readonly variance: number;
  /** Every size is this one: sums are exact. */
  readonly single: number | undefined;
  /** The sizes' atoms in ascending order, and from each on: their probability and probability × size (for excess). */
  private readonly atoms = new Float64Array(0);
  private readonly tailMass = new Float64Array(0);
  private readonly tailBytes = new Float64Array(0);
  /** The lattice: points 0, step, 2·step, …; the sum's mass at each (a size between two points is shared by both, its mean kept). */
  private readonly step: number;
  /** cdf[n − 1][j]: the lattice mass of the sum of n sizes at points 0 … j. */
  private readonly cdf: Float64Array[] = [];
  /** Sums of this many sizes or more are all above the cap (Infinity when none up to EXACT_SUMS are). */
  private readonly aboveCapFrom: number = Infinity;

  constructor(sizes: Pick<SizeModel, "pOver"> & Partial<Pick<SizeModel, "truncated">>, upTo: number, cap: number) {
    const top = Math.max(1, Math.floor(Math.min(upTo, cap)));
    this.step = Math.max(LATTICE_STEP, 2 ** Math.ceil(Math.log2(cap / MAX_POINTS)));
    const moments = sizes.truncated?.(top);
    if (moments && moments.variance === 0) {
      // A fixed size (a trace's period's): no need to read the distribution.
      this.single = Math.max(1, Math.min(top, Math.round(moments.mean)));
      this.mean = this.single;
      this.variance = 0;
      return;
    }
    // The sizes as atoms: whole bytes, or at `fine` bytes apart when the limit is large.
    const fine = Math.max(1, Math.ceil(top / FINE_POINTS));
    const count = Math.ceil(top / fine);
    const at = new Float64Array(count);
    const mass = new Float64Array(count);
    let above = 1;
    let total = 0;
    for (let i = 1; i <= count; i++) {
      const edge = i === count ? top + 0.5 : (i + 0.5) * fine;
      const next = sizes.pOver(edge);
      at[i - 1] = Math.min(top, i * fine);
      mass[i - 1] = Math.max(0, above - next);
      total += mass[i - 1]!;
      above = next;
    }
    let mean = 0;
    let second = 0;
    let atoms = 0;
    let last = top;
    for (let i = 0; i < count; i++) {
      if (!(mass[i]! > 0)) continue;
      const p = mass[i]! / total;
      mass[i] = p;
      mean += p * at[i]!;
      second += p * at[i]! * at[i]!;
      atoms++;
      last = at[i]!;
    }
    if (!(total > 0) || atoms <= 1) {
      // One size (or none fits: the largest that would).
      this.single = total > 0 ? last : top;
      this.mean = this.single;
      this.variance = 0;
      return;
    }
    this.mean = mean;
    this.variance = Math.max(0, second - mean * mean);
    this.atoms = new Float64Array(atoms);
    this.tailMass = new Float64Array(atoms + 1);
    this.tailBytes = new Float64Array(atoms + 1);
    for (let i = count - 1, k = atoms - 1; i >= 0; i--) {
      if (!(mass[i]! > 0)) continue;
      this.atoms[k] = at[i]!;
      this.tailMass[k] = this.tailMass[k + 1]! + mass[i]!;
      this.tailBytes[k] = this.tailBytes[k + 1]! + mass[i]! * at[i]!;
      k--;
    }
    const points = Math.floor(cap / this.step) + 2;
    const w = this.step;
    const one = new Float64Array(Math.min(points, Math.floor(top / w) + 2));
    for (let i = 0; i < count; i++) {
      const p = mass[i]!;
      if (!(p > 0)) continue;
      const t = at[i]! / w;
      const j = Math.floor(t);
      const f = t - j;
      one[j]! += p * (1 - f);
      if (f > 0) one[j + 1]! += p * f;
    }
    let lo = 0;
    while (lo < one.length && one[lo] === 0) lo++;
    let hi = one.length - 1;
    while (hi > lo && one[hi] === 0) hi--;
    let sum = new Float64Array(points);
    sum.set(one);
    this.cdf.push(cumulative(sum));
    for (let n = 2; n <= EXACT_SUMS; n++) {
      const next = new Float64Array(points);
      for (let i = 0; i < points; i++) {
        const a = sum[i]!;
        if (a === 0) continue;
        const end = Math.min(hi, points - 1 - i);
        for (let k = lo; k <= end; k++) next[i + k]! += a * one[k]!;
      }
      const c = cumulative(next);
      this.cdf.push(c);
      if (c[points - 1]! < NEGLIGIBLE) {
        this.aboveCapFrom = n;
        break;
      }
      sum = next;
    }
  }

  /**
   * P(the sum of n sizes > x), for x below the cap. On the lattice, each point's mass is spread over the two steps
   * around it (a triangle), so that the probability moves smoothly with x.
   */
  over(n: number, x: number): number {
    if (n <= 0) return x < 0 ? 1 : 0;
    if (this.single !== undefined) return n * this.single > x ? 1 : 0;
    if (x < 0) return 1;
    if (n >= this.aboveCapFrom) return 1;
    const c = this.cdf[n - 1];
    if (c) {
      const t = x / this.step;
      const j = Math.floor(t);
      const last = c.length - 1;
      if (j >= last) return Math.max(0, 1 - c[last]!);
      const u = t - j;
      const below = j > 0 ? c[j - 1]! : 0;
      const atJ = c[j]! - below;
      const atNext = c[j + 1]! - c[j]!;
      return Math.max(0, 1 - below - atJ * (1 - ((1 - u) * (1 - u)) / 2) - (atNext * u * u) / 2);
    }
    const sd = Math.sqrt(n * this.variance);
    return 1 - normalCdf((x - n * this.mean) / sd);
  }

  /** E[(size − s)⁺], s ≥ 0: the bytes a size passes s by, on average. */
  excess(s: number): number {
    if (this.single !== undefined) return Math.max(0, this.single - s);
    // The first atom above s.
    let lo = 0;
    let hi = this.atoms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.atoms[mid]! > s) hi = mid;
      else lo = mid + 1;
    }
    return Math.max(0, this.tailBytes[lo]! - s * this.tailMass[lo]!);
  }
}

/** Running sums of a mass function. */
function cumulative(p: Float64Array): Float64Array {
  const c = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) c[i] = s += p[i]!;
  return c;
}

/**
 * What an aggregate of n user records bills on average, for the records of one shard: its size is 20 B (magic, MD5)
 * + distinctKeys(n) key-table entries of keys of `keyBytes` + n records' fields (those of the mean size) + their data
 * (`sums`), and at most `maxSize` (AggregationMaxSize: the KPL closes an aggregate before it passes it). Each n is
 * worked out once, when first asked for (records of one size: their size rounded; of spread sizes: Σ P(size > k·increment)).
 */
export class AggregateBills implements AggregateIncrements {
  private units = new Float64Array(0);
  private kib = new Float64Array(0);
  /** Entries 2 … known − 1 are filled. */
  private known = 2;
  /** Aggregates closed full, per m. */
  private readonly fullBills = new Map<number, AggregateBill>();
  private readonly bill: AggregateBill = { payloadUnits: 0, onDemandIncrements: 0 };
  private readonly keyEntry: number;

  /** The last perBuffer's λ and m, and its answer (a constant rate asks the same each window). */
  private lastLambda = NaN;
  private lastM = NaN;
  private readonly buffer: AggregateBill = { payloadUnits: 0, onDemandIncrements: 0 };

  constructor(
    private readonly sums: RecordSums,
    private readonly o: { maxSize: number; keyBytes: number; distinctKeys: (m: number) => number },
  ) {
    this.keyEntry = keyEntrySize(Math.round(o.keyBytes));
  }

  /**
   * Per buffer of N = min(m, 1 + Poisson(λ)) records: Σ_{n ≥ 2} P(N = n) × of(n), with P(N = n) = P(Poisson(λ) = n − 1)
   * for n < m and P(Poisson(λ) ≥ m − 1) for n = m, a buffer closed full (full(m)). The terms within 12 standard
   * deviations (+12) of the mean, as poissonMinMean sums (beyond them the probabilities are below 1e-30).
   */
  perBuffer(lambda: number, m: number): Readonly<AggregateBill> {
    if (lambda === this.lastLambda && m === this.lastM) return this.buffer;
    let units = 0;
    let increments = 0;
    if (lambda > 0 && m >= 2) {
      const reach = poissonReach(lambda);
      const lo = Math.max(1, Math.floor(lambda - reach));
      const hi = Math.min(m - 2, Math.ceil(lambda + reach));
      let upTo = lo === 1 ? Math.exp(-lambda) : 0;
      if (hi >= lo) {
        if (hi + 1 >= this.known) this.fill(hi + 1);
        const u = this.units;
        const k = this.kib;
        let p = poissonPmf(lambda, lo);
        for (let j = lo; j <= hi; j++) {
          units += p * u[j + 1]!;
          increments += p * k[j + 1]!;
          upTo += p;
          p *= lambda / (j + 1);
        }
      }
      const full = 1 - upTo;
      if (full > 1e-15) {
        const f = this.full(m);
        units += full * f.payloadUnits;
        increments += full * f.onDemandIncrements;
      }
    }
    this.lastLambda = lambda;
    this.lastM = m;
    this.buffer.payloadUnits = units;
    this.buffer.onDemandIncrements = increments;
    return this.buffer;
  }

  of(n: number): Readonly<AggregateBill> {
    if (n >= this.known) this.fill(n);
    this.bill.payloadUnits = this.units[n]!;
    this.bill.onDemandIncrements = this.kib[n]!;
    return this.bill;
  }

  /**
   * An aggregate the KPL closed because the next record would not fit, of m records on average. Records of one size:
   * m of them. Of spread sizes: maxSize less the room left R, where P(R ≥ r) = E[(Y − r)⁺] ÷ E[Y] for Y a record's bytes
   * (its data, fields and key-table share): E[⌈(maxSize − R) ÷ increment⌉] = Σ_{k ≥ 0, k·increment < maxSize}
   * (1 − P(R ≥ maxSize − k·increment)).
   */
  full(m: number): Readonly<AggregateBill> {
    if (this.sums.single !== undefined) return this.of(m);
    let f = this.fullBills.get(m);
    if (f) return f;
    const keys = this.o.distinctKeys(m);
    const share = this.fields(keys) + (this.keyEntry * keys) / m;
    const meanY = this.sums.mean + share;
    const roomAtLeast = (x: number) => (x <= 0 ? 1 : x < share ? (meanY - x) / meanY : this.sums.excess(x - share) / meanY);
    const expected = (increment: number) => {
      let e = 0;
      for (let k = 0; k * increment < this.o.maxSize; k++) e += 1 - roomAtLeast(this.o.maxSize - k * increment);
      return Math.max(1, e);
    };
    f = { payloadUnits: expected(PUT_PAYLOAD_UNIT_BYTES), onDemandIncrements: expected(ON_DEMAND_BILLING_INCREMENT_BYTES) };
    this.fullBills.set(m, f);
    return f;
  }

  /** A user record's fields in the aggregate besides its data (those of the mean size), among `keys` distinct keys. */
  private fields(keys: number): number {
    const d = Math.round(this.sums.mean);
    return recordEntrySize(d, Math.floor(keys / 2)) - d;
  }

  /** An aggregate's bytes besides its records' data, when it holds n: magic and MD5, key table, records' fields. */
  private overhead(n: number): number {
    const keys = this.o.distinctKeys(n);
    return KPL_AGGREGATE_FIXED_OVERHEAD + keys * this.keyEntry + n * this.fields(keys);
  }

  private fill(n: number): void {
    if (n >= this.units.length) {
      const size = Math.max(n + 1, 2 * this.units.length, 16);
      const units = new Float64Array(size);
      const kib = new Float64Array(size);
      units.set(this.units);
      kib.set(this.kib);
      this.units = units;
      this.kib = kib;
    }
    const single = this.sums.single;
    for (let k = this.known; k <= n; k++) {
      const overhead = this.overhead(k);
      if (single !== undefined) {
        const size = Math.min(this.o.maxSize, overhead + k * single);
        this.units[k] = Math.max(1, Math.ceil(size / PUT_PAYLOAD_UNIT_BYTES));
        this.kib[k] = Math.max(1, Math.ceil(size / ON_DEMAND_BILLING_INCREMENT_BYTES));
      } else {
        this.units[k] = this.increments(k, overhead, PUT_PAYLOAD_UNIT_BYTES);
        this.kib[k] = this.increments(k, overhead, ON_DEMAND_BILLING_INCREMENT_BYTES);
      }
    }
    this.known = n + 1;
  }

  /** E[max(1, ⌈min(maxSize, overhead + data) ÷ increment⌉)] = 1 + Σ_{k ≥ 1, k·increment < maxSize} P(overhead + data > k·increment). */
  private increments(n: number, overhead: number, increment: number): number {
    let e = 1;
    for (let k = 1; k * increment < this.o.maxSize; k++) e += this.sums.over(n, k * increment - overhead);
    return e;
  }
}
