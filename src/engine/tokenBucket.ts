// A token bucket on virtual time: `rate` tokens per second, at most `capacity` tokens held.
// Exact and lazy: the level at any time is computed from the level after the last take and the virtual
// time elapsed since, never by a ticking event. Queries (available, waitFor) change nothing, so answers do
// not depend on how often the bucket was consulted. The level may go negative (a debt that refill repays),
// which models limits such as GetRecords' "one 10 MiB call blocks the next 5 s".

import { MICROS_PER_SECOND, type Micros } from "./time.js";

export class TokenBucket {
  private level: number;
  private updatedAt: Micros;

  constructor(
    readonly rate: number,
    readonly capacity: number,
    options: { initial?: number; at?: Micros } = {},
  ) {
    if (!(rate >= 0) || !(capacity >= 0)) throw new RangeError("token bucket rate and capacity must be ≥ 0");
    this.level = options.initial ?? capacity;
    this.updatedAt = options.at ?? 0;
  }

  /** Tokens available at `now` (may be negative while a debt is being repaid). */
  available(now: Micros): number {
    return this.levelAt(now);
  }

  /** Takes `amount` tokens if that many are available; returns whether it did. */
  tryTake(now: Micros, amount: number): boolean {
    const level = this.levelAt(now);
    if (level < amount) return false;
    this.settle(now, level - amount);
    return true;
  }

  /** Takes `amount` tokens unconditionally (the level may go below zero). */
  take(now: Micros, amount: number): void {
    this.settle(now, this.levelAt(now) - amount);
  }

  /**
   * Microseconds from `now` until `amount` tokens are available (0 if they already are): the first whole
   * microsecond at which tryTake(now + wait, amount) succeeds if nothing is taken in between.
   */
  waitFor(now: Micros, amount: number): Micros {
    const level = this.levelAt(now);
    if (level >= amount) return 0;
    if (amount > this.capacity || this.rate === 0) return Infinity;
    let wait = Math.ceil(((amount - level) / this.rate) * MICROS_PER_SECOND);
    // The quotient can round a hair either way; step to the first microsecond at which levelAt agrees
    // (levelAt is monotone in time, so this ends within a few steps).
    while (this.levelAt(now + wait) < amount) wait++;
    while (wait > 1 && this.levelAt(now + wait - 1) >= amount) wait--;
    return wait;
  }

  private levelAt(now: Micros): number {
    if (now <= this.updatedAt) return this.level;
    const level = this.level + (this.rate * (now - this.updatedAt)) / MICROS_PER_SECOND;
    return level > this.capacity ? this.capacity : level;
  }

  private settle(now: Micros, level: number): void {
    this.level = level;
    if (now > this.updatedAt) this.updatedAt = now;
  }
}

/**
 * `count` token buckets of one rate and capacity, starting full at time 0, kept as arrays: each bucket's level and
 * last update side by side in one Float64Array. The same arithmetic as TokenBucket, number for number; for a bucket
 * per shard, where thousands of TokenBucket objects (each double behind its own pointer) cost a cache miss or two
 * per query.
 */
export class TokenBuckets {
  /** Bucket i's level at s[2i] and the time it was measured at s[2i + 1]. */
  private readonly s: Float64Array;

  constructor(
    readonly count: number,
    readonly rate: number,
    readonly capacity: number,
  ) {
    if (!(rate >= 0) || !(capacity >= 0)) throw new RangeError("token bucket rate and capacity must be ≥ 0");
    this.s = new Float64Array(2 * count);
    for (let i = 0; i < count; i++) this.s[2 * i] = capacity;
  }

  /** Tokens bucket `i` holds at `now` (may be negative while a debt is being repaid). */
  available(i: number, now: Micros): number {
    return this.levelAt(i, now);
  }

  /** Takes `amount` tokens from bucket `i` if that many are available; returns whether it did. */
  tryTake(i: number, now: Micros, amount: number): boolean {
    const level = this.levelAt(i, now);
    if (level < amount) return false;
    this.settle(i, now, level - amount);
    return true;
  }

  /** Takes `amount` tokens from bucket `i` unconditionally (the level may go below zero). */
  take(i: number, now: Micros, amount: number): void {
    this.settle(i, now, this.levelAt(i, now) - amount);
  }

  private levelAt(i: number, now: Micros): number {
    const s = this.s;
    const o = 2 * i;
    const updatedAt = s[o + 1]!;
    if (now <= updatedAt) return s[o]!;
    const level = s[o]! + (this.rate * (now - updatedAt)) / MICROS_PER_SECOND;
    return level > this.capacity ? this.capacity : level;
  }

  private settle(i: number, now: Micros, level: number): void {
    const s = this.s;
    const o = 2 * i;
    s[o] = level;
    if (now > s[o + 1]!) s[o + 1] = now;
  }
}
