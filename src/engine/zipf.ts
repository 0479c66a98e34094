// Zipf's law over K ranked items: P(rank i) = i^-s / H(K, s), i = 1..K. Drawing uses an alias table,
// so each draw is O(1) after an O(K) build.

import { AliasTable } from "./alias.js";

/** Probabilities of ranks 1..K (index 0 holds rank 1). */
export function zipfProbabilities(k: number, exponent: number): Float64Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`Zipf needs K ≥ 1 items, got ${k}`);
  if (!(exponent >= 0) || !Number.isFinite(exponent)) throw new RangeError(`Zipf exponent must be ≥ 0, got ${exponent}`);
  const p = new Float64Array(k);
  let total = 0;
  // Sum smallest terms first for accuracy.
  for (let i = k; i >= 1; i--) {
    const w = Math.pow(i, -exponent);
    p[i - 1] = w;
  }
  for (let i = k - 1; i >= 0; i--) total += p[i]!;
  for (let i = 0; i < k; i++) p[i] = p[i]! / total;
  return p;
}

export class ZipfSampler {
  private readonly table: AliasTable;
  readonly probabilities: Float64Array;

  constructor(readonly k: number, readonly exponent: number) {
    this.probabilities = zipfProbabilities(k, exponent);
    this.table = new AliasTable(this.probabilities);
  }

  /** A 0-based rank index (0 is the most popular item) from one uniform in [0, 1). */
  draw(u: number): number {
    return this.table.draw(u);
  }
}
