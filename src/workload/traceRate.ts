// The `shape: trace` rate: λ(t) from each period's records × scale / period, with the exact cumulative
// Λ(t) = scale × (records of the periods before t + the part of t's period already offered). At period
// boundaries Λ is scale × a sum of the trace's counts, so counts over any run of whole periods are exact.
//
// How a period's records spread inside it (`within`):
// - even, poisson: at the period's mean rate over the whole period (Λ linear inside it).
// - bursty: all within one burst of length period/peakToMean (whole µs, rounded down) at peakToMean × the
//   mean rate, starting at an offset in [0, period − burst] drawn once per period k as the first uniform of
//   `rng.fork("burst:k")`: it depends only on the stream's path and k, not on what the caller drew or in
//   which order it asked, and the caller's own stream is not advanced. Λ includes the burst placement.
// After the trace's last period the rate is 0, unless `repeat` replays it (period k is trace period k mod n,
// with a fresh burst offset).

import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";
import type { RandomStream } from "../engine/random.js";
import type { Trace } from "./trace.js";

export interface TraceRateShape {
  scale: number;
  within: "even" | "poisson" | "bursty";
  peakToMean: number;
  repeat: boolean;
}

export interface TraceRate {
  rateAt(t: Micros): number;
  cumulative(t: Micros): number;
  peakRate(duration: Micros): number;
  /** The whole µs in which Λ reaches c (inside the period, and burst, where it does). */
  timeAt(c: number): Micros;
}

/** Length of the part of a period where records arrive, µs: the burst (bursty), or the whole period. */
function arrivalWindow(shape: TraceRateShape, trace: Trace): Micros {
  return shape.within === "bursty" ? Math.max(1, Math.floor(trace.periodUs / shape.peakToMean)) : trace.periodUs;
}

/** The largest rate in [0, duration): the busiest period's records × scale over its arrival window (no random draw needed). */
export function tracePeakRate(shape: TraceRateShape, trace: Trace, duration: Micros): number {
  const periods = duration > 0 ? Math.min(Math.ceil(duration / trace.periodUs), trace.records.length) : 0;
  let peak = 0;
  for (let j = 0; j < periods; j++) peak = Math.max(peak, trace.records[j]!);
  return (shape.scale * peak) / (arrivalWindow(shape, trace) / MICROS_PER_SECOND);
}

/**
 * Records (× scale) the trace offers in [0, duration): the run's periods, looping when it repeats and nothing after
 * its end when it does not. A period the run ends inside counts at its mean rate for the part the run covers (with
 * `within: bursty` the exact part depends on where the period's burst falls, drawn by the producer's stream).
 */
export function traceRunRecords(shape: TraceRateShape, trace: Trace, duration: Micros): number {
  if (duration <= 0) return 0;
  const P = trace.periodUs;
  const r = trace.records;
  const n = r.length;
  const total = r.reduce((a, b) => a + b, 0);
  const m = Math.floor(duration / P); // whole periods of the run
  const upTo = (k: number) => r.slice(0, k).reduce((a, b) => a + b, 0);
  const whole = shape.repeat ? Math.floor(m / n) * total + upTo(m % n) : upTo(Math.min(m, n));
  const rest = duration - m * P;
  const part = rest > 0 && (shape.repeat || m < n) ? (r[m % n]! * rest) / P : 0;
  return shape.scale * (whole + part);
}

/** The mean rate the trace offers over a run of `duration`, records/s: traceRunRecords over the run's length. */
export function traceRunMeanRate(shape: TraceRateShape, trace: Trace, duration: Micros): number {
  return duration > 0 ? traceRunRecords(shape, trace, duration) / (duration / MICROS_PER_SECOND) : 0;
}

export function traceRate(shape: TraceRateShape, trace: Trace, rng?: RandomStream): TraceRate {
  const P = trace.periodUs;
  const r = trace.records;
  const n = r.length;
  if (!Number.isSafeInteger(P) || P <= 0) throw new RangeError(`a trace's period must be a whole number of µs > 0, got ${P}`);
  if (n === 0) throw new RangeError("a trace needs at least one period");
  const s = shape.scale;
  const repeat = shape.repeat;
  const bursty = shape.within === "bursty";
  if (bursty && !rng) throw new Error("rateModel: a bursty trace rate needs the producer's RandomStream (for the burst offsets)");
  /** Length of the part of a period where records arrive: the burst, or the whole period. */
  const w = arrivalWindow(shape, trace);
  const wSec = w / MICROS_PER_SECOND;

  // prefix[j] = records of trace periods 0..j-1 (whole counts add exactly up to 2^53).
  const prefix = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) prefix[j + 1] = prefix[j]! + r[j]!;
  const total = prefix[n]!;

  let cachedPeriod = -1;
  let cachedOffset = 0;
  /** Start of period k's burst, from the period's start. */
  const offset = (k: number): Micros => {
    if (!bursty) return 0;
    if (k !== cachedPeriod) {
      cachedPeriod = k;
      cachedOffset = Math.floor(rng!.fork(`burst:${k}`).uniform() * (P - w + 1));
    }
    return cachedOffset;
  };
  /** Records offered before run period k, unscaled. */
  const before = (k: number) => (repeat ? Math.floor(k / n) * total + prefix[k % n]! : prefix[Math.min(k, n)]!);
  const active = (k: number) => repeat || k < n;

  const cumulative = (t: Micros): number => {
    if (t <= 0) return 0;
    const k = Math.floor(t / P);
    if (!active(k)) return s * total;
    const into = t - k * P;
    const o = offset(k);
    const frac = into <= o ? 0 : into >= o + w ? 1 : (into - o) / w;
    return s * (before(k) + r[k % n]! * frac);
  };

  return {
    rateAt: (t) => {
      if (t < 0) return 0;
      const k = Math.floor(t / P);
      if (!active(k)) return 0;
      const into = t - k * P;
      const o = offset(k);
      return into >= o && into < o + w ? (s * r[k % n]!) / wSec : 0;
    },
    cumulative,
    peakRate: (d) => tracePeakRate(shape, trace, d),
    timeAt: (c) => {
      if (!(c > 0) || total === 0) return 0;
      // The run period k with s·before(k) < c ≤ s·before(k+1), comparing the same products cumulative gives
      // at period boundaries: the crossing of a boundary count belongs to the period that ends there.
      let loop = 0;
      if (repeat) {
        loop = Math.max(0, Math.floor(c / s / total));
        while (loop > 0 && s * (loop * total) >= c) loop--;
        while (s * ((loop + 1) * total) < c) loop++;
      } else if (s * total < c) {
        return n * P;
      }
      const base = loop * total;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (s * (base + prefix[mid]!) < c) lo = mid;
        else hi = mid - 1;
      }
      const k = loop * n + lo;
      const frac = r[lo]! > 0 ? Math.min(1, Math.max(0, (c - s * (base + prefix[lo]!)) / (s * r[lo]!))) : 0;
      return k * P + offset(k) + Math.min(w - 1, Math.floor(frac * w));
    },
  };
}
