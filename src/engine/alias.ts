// Walker's alias method (Vose's O(K) construction): after building from K weights, each draw is O(1):
// one uniform picks a column and compares against its threshold. ("A linear algorithm for generating
// random numbers with a given distribution", Vose, IEEE TSE 17(9), 1991.)

/** 1 − 2⁻³²: the largest 32-bit uniform in [0, 1). */
const KEEPS_ALL = 1 - 2 ** -32;

export class AliasTable {
  private readonly threshold: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const k = weights.length;
    if (k === 0) throw new RangeError("alias table needs at least one weight");
    let total = 0;
    for (let i = 0; i < k; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} must be finite and ≥ 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError("alias table weights must not all be zero");
    this.size = k;
    this.threshold = new Float64Array(k);
    this.alias = new Int32Array(k);
    const scaled = new Float64Array(k);
    const small = new Int32Array(k);
    const large = new Int32Array(k);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < k; i++) {
      scaled[i] = (weights[i]! * k) / total;
      if (scaled[i]! < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[--nl]!;
      this.threshold[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    // Whatever is left is 1 up to rounding.
    while (nl > 0) {
      const l = large[--nl]!;
      this.threshold[l] = 1;
      this.alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns]!;
      this.threshold[s] = 1;
      this.alias[s] = s;
    }
  }

  /** The share of columns whose threshold is below KEEPS_ALL: drawFrom takes a second uniform for them. */
  get partialColumns(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (!(this.threshold[i]! > KEEPS_ALL)) n++;
    return n / this.size;
  }

  /**
   * Draws an index from two uniforms of `next` (32-bit, as RandomStream.next): one picks the column, the other
   * compares against its threshold, so each weight is met to the uniforms' resolution whatever the size (one uniform
   * split in two leaves the comparison 32 − log2(size) bits). A column that keeps its whole mass (a threshold above
   * 1 − 2⁻³², which every 32-bit uniform is below) takes no second uniform: equal weights take one.
   */
  drawFrom(next: () => number): number {
    const i = Math.floor(next() * this.size);
    const t = this.threshold[i]!;
    return t > KEEPS_ALL || next() < t ? i : this.alias[i]!;
  }

  /** Draws an index in [0, size) with probability proportional to its weight, from one uniform in [0, 1). */
  draw(u: number): number {
    const x = u * this.size;
    const i = Math.floor(x);
    return x - i < this.threshold[i]! ? i : this.alias[i]!;
  }
}
