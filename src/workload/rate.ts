// Rate shapes: λ(t) in records per second, with the exact cumulative count Λ(t) = ∫₀ᵗ λ, so the number of
// records offered in any window is Λ(b) − Λ(a) (even arrivals: the whole records crossed; Poisson arrivals:
// a Poisson draw with that mean). Computing from Λ, never by accumulating per-window fractions, keeps long
// runs free of drift. A trace rate (traceRate.ts) replays a trace of real traffic, period by period.

import { MICROS_PER_SECOND, type Micros } from "../engine/time.js";
import type { RandomStream } from "../engine/random.js";
import type { RateShape } from "../spec/index.js";
import type { Trace } from "./trace.js";
import { tracePeakRate, traceRate, traceRunMeanRate } from "./traceRate.js";

export interface RateModel {
  readonly arrivals: "even" | "poisson";
  /** Records per second at time t. */
  rateAt(t: Micros): number;
  /** Expected records offered in [0, t). */
  cumulative(t: Micros): number;
  /** Mean rate over the run, records/s (for sizing estimates). */
  meanRate(duration: Micros): number;
  /** Largest rate at any time in [0, duration). */
  peakRate(duration: Micros): number;
  /**
   * The earliest whole µs at which cumulative reaches c, for rates that are not smooth inside a window (a
   * trace's period boundaries and bursts): arrivalTimes then places records by inverting Λ exactly. Absent
   * for the closed-form shapes, whose arrival times are placed within the window as before.
   */
  timeAt?(c: number): Micros;
}

const sec = (t: Micros) => t / MICROS_PER_SECOND;

/**
 * The rate model of a shape over a run of `duration`. `shape: trace` needs the parsed trace (see
 * scenario/traces.ts resolveTraces) and, for `within: bursty`, the producer's seeded stream (burst offsets).
 */
export function rateModel(shape: RateShape, duration: Micros, trace?: Trace, rng?: RandomStream): RateModel {
  if (shape.shape === "trace") {
    if (!trace) throw new Error(`rateModel: shape trace (${shape.file}) needs its parsed Trace (resolveTraces)`);
    const m = traceRate(shape, trace, rng);
    return {
      arrivals: shape.within === "even" ? "even" : "poisson",
      rateAt: m.rateAt,
      cumulative: m.cumulative,
      meanRate: (d) => m.cumulative(d) / sec(d),
      peakRate: m.peakRate,
      timeAt: m.timeAt,
    };
  }
  const base = buildRate(shape, duration);
  return {
    arrivals: shape.arrivals,
    rateAt: base.rateAt,
    cumulative: base.cumulative,
    meanRate: (d) => base.cumulative(d) / sec(d),
    peakRate: base.peakRate,
  };
}

/**
 * A rate shape's mean and peak for sizing, without simulating anything. The peak is the largest rate in
 * [0, duration). The mean is over the same run, what the simulated run offers (a trace: the run's periods, looped
 * when it repeats, nothing after its end when it does not), except a diurnal's: its `mean` over whole periods,
 * whatever part of a period the run covers.
 */
export function rateSummary(shape: RateShape, duration: Micros, trace?: Trace): { mean: number; peak: number } {
  if (shape.shape === "trace") {
    if (!trace) throw new Error(`rateSummary: shape trace (${shape.file}) needs its parsed Trace (resolveTraces)`);
    return { mean: traceRunMeanRate(shape, trace, duration), peak: tracePeakRate(shape, trace, duration) };
  }
  const base = buildRate(shape, duration);
  return { mean: shape.shape === "diurnal" ? shape.mean : base.cumulative(duration) / sec(duration), peak: base.peakRate(duration) };
}

interface Base {
  rateAt(t: Micros): number;
  cumulative(t: Micros): number;
  peakRate(duration: Micros): number;
}

function piecewise(times: number[], values: number[]): Base {
  // Rate values[i] on [times[i], times[i+1]); times[0] = 0.
  const cum: number[] = [0];
  for (let i = 1; i < times.length; i++) cum.push(cum[i - 1]! + values[i - 1]! * sec(times[i]! - times[i - 1]!));
  const find = (t: Micros) => {
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    rateAt: (t) => values[find(t)]!,
    cumulative: (t) => {
      const i = find(t);
      return cum[i]! + values[i]! * sec(t - times[i]!);
    },
    peakRate: (d) => {
      let peak = 0;
      for (let i = 0; i < times.length && times[i]! < d; i++) peak = Math.max(peak, values[i]!);
      return peak;
    },
  };
}

function buildRate(shape: Exclude<RateShape, { shape: "trace" }>, duration: Micros): Base {
  switch (shape.shape) {
    case "constant":
    case "poisson": {
      const v = shape.value;
      return { rateAt: () => v, cumulative: (t) => v * sec(t), peakRate: () => v };
    }
    case "step":
      return piecewise(
        shape.levels.map((l) => l.at),
        shape.levels.map((l) => l.value),
      );
    case "ramp": {
      const { from, to, start } = shape;
      const end = shape.end ?? duration;
      const slope = (to - from) / sec(end - start); // records/s per s
      const rampTotal = ((from + to) / 2) * sec(end - start);
      return {
        rateAt: (t) => (t < start ? from : t >= end ? to : from + slope * sec(t - start)),
        cumulative: (t) => {
          if (t <= start) return from * sec(t);
          if (t >= end) return from * sec(start) + rampTotal + to * sec(t - end);
          const x = sec(t - start);
          return from * sec(start) + from * x + (slope * x * x) / 2;
        },
        // The ramp's rate is monotone: its largest in [0, d) is at one end (the rate at d, or `to` once the ramp is over).
        peakRate: (d) => Math.max(from, d > start ? (d >= end ? to : from + slope * sec(d - start)) : from),
      };
    }
    case "diurnal": {
      const { mean, peak, period } = shape;
      const peakAt = shape.peakAt ?? Math.round(duration / 2);
      const amp = peak - mean;
      const w = (2 * Math.PI) / sec(period);
      const phase0 = Math.sin(-w * sec(peakAt));
      return {
        rateAt: (t) => mean + amp * Math.cos(w * sec(t - peakAt)),
        cumulative: (t) => mean * sec(t) + (amp / w) * (Math.sin(w * sec(t - peakAt)) - phase0),
        // The peak when the run reaches one of its instants (peakAt + k·period); otherwise the rate is highest at one end
        // of the run (a cosine has no other local maximum), the end taken as the limit of [0, d).
        peakRate: (d) => {
          const first = ((peakAt % period) + period) % period; // the first peak instant at or after 0 (µs, whole)
          if (first < d) return peak;
          return Math.max(mean + amp * Math.cos(w * sec(-peakAt)), mean + amp * Math.cos(w * sec(d - peakAt)));
        },
      };
    }
    case "spikes": {
      const { base } = shape;
      const spikes = shape.spikes.map((s) => ({ start: s.at, end: s.at + s.for, extra: s.value - base }));
      return {
        rateAt: (t) => {
          let r = base;
          for (const s of spikes) if (t >= s.start && t < s.end) r += s.extra;
          return Math.max(0, r);
        },
        cumulative: (t) => {
          let c = base * sec(t);
          for (const s of spikes) {
            const overlap = Math.min(t, s.end) - s.start;
            if (overlap > 0) c += s.extra * sec(overlap);
          }
          return c;
        },
        // Overlapping spikes add up; the peak is at the start of some spike (or the base rate).
        peakRate: (d) => {
          let peak = base;
          for (const s of spikes) if (s.start < d) peak = Math.max(peak, spikes.reduce((r, o) => (s.start >= o.start && s.start < o.end ? r + o.extra : r), base));
          return Math.max(0, peak);
        },
      };
    }
  }
}

/** Records offered in [a, b): whole records crossed (even) or a Poisson draw (poisson). */
export function arrivalsIn(model: RateModel, a: Micros, b: Micros, rng: RandomStream): number {
  const lo = model.cumulative(a);
  const hi = model.cumulative(b);
  if (model.arrivals === "even") return Math.max(0, Math.floor(hi + 1e-9) - Math.floor(lo + 1e-9));
  const mean = hi - lo;
  return mean > 0 ? rng.poisson(mean) : 0;
}

/**
 * Birth times of `n` records offered in [a, b), ascending. Even arrivals: where Λ crosses each whole number
 * (linear within the window); Poisson: uniform order statistics (exact for a rate constant within the window).
 * A model with timeAt (a trace) is inverted exactly instead: no record lands where its rate is 0 (outside a burst).
 */
export function arrivalTimes(model: RateModel, a: Micros, b: Micros, n: number, rng: RandomStream): Micros[] {
  const out: Micros[] = new Array<Micros>(n);
  if (n === 0) return out;
  const timeAt = model.timeAt;
  if (timeAt) {
    // Invert Λ: even arrivals where it crosses each whole number, Poisson ones at uniform points of [Λ(a), Λ(b)).
    const lo = model.cumulative(a);
    const hi = model.cumulative(b);
    const inside = (t: Micros) => Math.min(b - 1, Math.max(a, t));
    if (model.arrivals === "even") {
      const first = Math.floor(lo + 1e-9) + 1;
      for (let k = 0; k < n; k++) out[k] = inside(timeAt(first + k));
      return out;
    }
    for (let k = 0; k < n; k++) out[k] = inside(timeAt(lo + rng.uniform() * (hi - lo)));
    out.sort((x, y) => x - y);
    return out;
  }
  if (model.arrivals === "even") {
    const lo = model.cumulative(a);
    const hi = model.cumulative(b);
    const first = Math.floor(lo + 1e-9) + 1;
    for (let k = 0; k < n; k++) {
      const frac = hi > lo ? (first + k - lo) / (hi - lo) : 0;
      out[k] = Math.min(b - 1, a + Math.max(0, Math.floor(frac * (b - a))));
    }
    return out;
  }
  for (let k = 0; k < n; k++) out[k] = a + Math.floor(rng.uniform() * (b - a));
  out.sort((x, y) => x - y);
  return out;
}
