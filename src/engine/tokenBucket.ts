// A token bucket on virtual time: `rate` tokens per second, at most `capacity` tokens held.
// Exact and lazy: tokens are refilled from the elapsed virtual time when the bucket is consulted,
// never by a ticking event. The level may go negative (a debt that refill repays), which models
// limits such as GetRecords' "one 10 MiB call blocks the next 5 s".

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
    this.refill(now);
    return this.level;
  }

  /** Takes `amount` tokens if that many are available; returns whether it did. */
  tryTake(now: Micros, amount: number): boolean {
    this.refill(now);
    if (this.level < amount) return false;
    this.level -= amount;
    return true;
  }

  /** Takes `amount` tokens unconditionally (the level may go below zero). */
  take(now: Micros, amount: number): void {
    this.refill(now);
    this.level -= amount;
  }

  /** Microseconds from `now` until `amount` tokens are available (0 if they already are). */
  waitFor(now: Micros, amount: number): Micros {
    this.refill(now);
    if (this.level >= amount) return 0;
    if (amount > this.capacity || this.rate === 0) return Infinity;
    return Math.ceil(((amount - this.level) / this.rate) * MICROS_PER_SECOND);
  }

  private refill(now: Micros): void {
    if (now > this.updatedAt) {
      const level = this.level + (this.rate * (now - this.updatedAt)) / MICROS_PER_SECOND;
      this.level = level > this.capacity ? this.capacity : level;
      this.updatedAt = now;
    }
  }
}
