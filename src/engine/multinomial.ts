// Splits n records over categories (shards) with given probabilities: a multinomial draw by conditional
// binomials, O(categories) draws, each O(1).

import type { RandomStream } from "./random.js";

/** Fills `out` with a multinomial(n, p) draw; `p` sums to 1 (zeros allowed). */
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
