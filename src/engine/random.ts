// Seeded random streams. Every component forks its own named stream from the run's root stream, and a
// child depends only on the root seed and its name (the path of names), never on what other streams drew.
// So adding a consumer does not change a producer's draws, and two scenarios that differ only in
// configuration see the same traffic (common random numbers). Generator: seedrandom's Alea.

import seedrandom from "seedrandom";
import { binomial } from "./binomial.js";
import { poisson } from "./poisson.js";

/** Φ⁻¹(0.99): the standard normal's 99th percentile. */
export const Z99 = 2.3263478740408408;

export class RandomStream {
  private readonly prng: seedrandom.PRNG;
  private spareNormal: number | undefined;
  /** Uniform in [0, 1) with 32 bits of resolution; bound so distributions can take it as a function. */
  readonly next: () => number;

  constructor(readonly path: string) {
    this.prng = seedrandom.alea(path);
    const prng = this.prng;
    this.next = () => prng();
  }

  /** The root stream of a run. */
  static root(seed: number | string): RandomStream {
    return new RandomStream(`shardcast/${seed}`);
  }

  /** A child stream that depends only on this stream's path and `name`. */
  fork(name: string): RandomStream {
    return new RandomStream(`${this.path}/${name}`);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.prng();
  }

  /** Uniform in [lo, hi). */
  uniformRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  /** Uniform whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.prng()) / rate;
  }

  /** Standard normal by Marsaglia's polar method (the second variate of each pair is kept for the next call). */
  standardNormal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.prng() - 1;
      v = 2 * this.prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  normal(mean: number, sd: number): number {
    return mean + sd * this.standardNormal();
  }

  /** Lognormal with parameters of the underlying normal: exp(N(mu, sigma²)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.standardNormal());
  }

  poisson(mean: number): number {
    return poisson(this.next, mean);
  }

  binomial(n: number, p: number): number {
    return binomial(this.next, n, p);
  }
}

/** Lognormal parameters from a median and a 99th percentile: mu = ln(median), sigma = ln(p99/median)/Φ⁻¹(0.99). */
export function lognormalFromMedianP99(median: number, p99: number): { mu: number; sigma: number } {
  if (!(median > 0) || !(p99 >= median)) {
    throw new RangeError(`lognormal needs 0 < median ≤ p99, got median ${median} and p99 ${p99}`);
  }
  return { mu: Math.log(median), sigma: Math.log(p99 / median) / Z99 };
}
