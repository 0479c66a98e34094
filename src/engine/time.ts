// Virtual time: an integer number of microseconds since the start of the run (a plain number; 2^53 µs is 285 years).
// Durations are converted to microseconds once, when a scenario is parsed; seconds appear only in reports.

export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

/** Whole microseconds from (possibly fractional) seconds, rounded to the nearest microsecond. */
export function fromSeconds(seconds: number): Micros {
  return Math.round(seconds * MICROS_PER_SECOND);
}

/** Whole microseconds from milliseconds. */
export function fromMillis(ms: number): Micros {
  return Math.round(ms * MICROS_PER_MS);
}

/** Seconds as a float, for reports and rate arithmetic (never for advancing time). */
export function toSeconds(t: Micros): number {
  return t / MICROS_PER_SECOND;
}

export function assertTime(t: number, what: string): void {
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new RangeError(`${what} must be a non-negative whole number of microseconds, got ${t}`);
  }
}
