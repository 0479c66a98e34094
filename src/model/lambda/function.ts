// A Lambda function as an event source mapping invokes it: a concurrency limit (reserved concurrency, else the
// account's), execution environments that stay warm while used and start cold otherwise, an invocation's duration
// (perInvocation + records × perRecord, lognormal with the given variability, plus the init of a cold start), the
// timeout, and errors (a share of invocations, poison records, and `function-errors` bursts). It measures what
// CloudWatch shows of a function: Invocations, Errors, Throttles, Duration and ConcurrentExecutions.

import type { RandomStream } from "../../engine/random.js";
import { MICROS_PER_MS, type Micros } from "../../engine/time.js";
import { normalCdf } from "../../engine/normal.js";
import { LatencyHistogram } from "../../metrics/latency.js";
import { SeriesBank } from "../../metrics/series.js";
import { countsFrom, valuesOf, type Counts } from "../../metrics/warmup.js";
import { LAMBDA_BILLED_DURATION_STEP_MS } from "../../aws/limits.js";
import type { LambdaFunctionSpec } from "../../spec/index.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";

/**
 * CloudWatch's Lambda metrics after warmup, and the billed duration (µs, each invocation rounded up to 1 ms). `timeouts`:
 * those of the errors that were the function running out of time (CloudWatch counts them among Errors, with no metric of
 * their own). `timeoutsWriting`: those of the timeouts that cut the invocation while it wrote its batch to a sink (endWrite),
 * its own work done: the sink's time, not the function's, ran it out.
 */
export interface FunctionStats {
  invocations: number;
  errors: number;
  timeouts: number;
  timeoutsWriting: number;
  throttles: number;
  coldStarts: number;
  billedDuration: number;
}

/** Rows of LambdaFunction.series: invocations, errors, throttles per step; the most concurrent executions in a step. */
export const FUNCTION_SERIES = { invocations: 0, errors: 1, throttles: 2, concurrent: 3 } as const;

/** An error window of the scenario (`function-errors` faults): [from, to) with the share of invocations that fail. */
export interface ErrorBurst {
  from: Micros;
  to: Micros;
  share: number;
}

/** What makes every invocation of a function fail: its own `errors.share` 1, or a `function-errors` burst of share 1 (from when). */
export type FailingCause = { kind: "errors.share" } | { kind: "function-errors"; fromUs: Micros };

/** An invocation's outcome: how long it ran and whether it failed (why). */
export interface Invocation {
  duration: Micros;
  error: "function" | "timeout" | null;
}

/**
 * A chance of an invocation ending in time below which a batch is said to time out on every try (timesOutWith): a run of
 * a year retrying once a second tries about 3 × 10^7 times, so such a batch would succeed in fewer than 1 in 30 years.
 */
export const PRACTICALLY_NEVER = 1e-9;

export class LambdaFunction {
  readonly counts: Counts<keyof FunctionStats>;
  /** Duration of each invocation (µs), started after warmup. */
  readonly duration: LatencyHistogram;
  readonly series: SeriesBank;
  /** The most invocations running at once after warmup. */
  maxConcurrent = 0;
  readonly limit: number;
  private running = 0;
  /** Idle warm environments: when each became idle, most recent last. */
  private readonly idle: Micros[] = [];
  private readonly sigma: number;
  private readonly init: LatencySampler;

  constructor(
    readonly spec: LambdaFunctionSpec,
    private readonly rng: RandomStream,
    private readonly bursts: readonly ErrorBurst[],
    private readonly warmup: Micros,
    duration: Micros,
    resolution: Micros,
  ) {
    this.counts = countsFrom<keyof FunctionStats>(warmup, ["invocations", "errors", "timeouts", "timeoutsWriting", "throttles", "coldStarts", "billedDuration"]);
    this.duration = new LatencyHistogram(warmup);
    this.series = new SeriesBank(4, duration, resolution);
    this.limit = spec.concurrency.reserved ?? spec.concurrency.account;
    const cv = spec.duration.variability;
    this.sigma = Math.sqrt(Math.log(1 + cv * cv));
    this.init = latencySampler(spec.coldStart.init);
  }

  get stats(): FunctionStats {
    return valuesOf(this.counts);
  }

  /** Share of invocations started at `t` that fail: the function's own share, or a burst's if higher. */
  errorShareAt(t: Micros): number {
    let share = this.spec.errors.share;
    for (const b of this.bursts) if (t >= b.from && t < b.to && b.share > share) share = b.share;
    return share;
  }

  /**
   * What makes every invocation started at `t` fail (null: not every one fails): the function's own `errors.share` 1,
   * or else the first `function-errors` burst of share 1 in force then (`fromUs`: when it began). errorShareAt(t) is 1
   * exactly when this is not null.
   */
  failingAt(t: Micros): FailingCause | null {
    if (this.spec.errors.share >= 1) return { kind: "errors.share" };
    const b = this.bursts.find((x) => x.share >= 1 && t >= x.from && t < x.to);
    return b ? { kind: "function-errors", fromUs: b.from } : null;
  }

  /**
   * The mean duration of a warm invocation with `records` records (µs): perInvocation + records × perRecord, rounded to
   * the µs as invoke rounds it (a cold start's init only adds). With no variability, every warm invocation runs this long.
   */
  meanDuration(records: number): Micros {
    const p = this.spec.duration;
    return Math.round(p.perInvocation + records * p.perRecord);
  }

  /**
   * The chance that an invocation with `records` records ends within the function's timeout, `afterUs` of it spent after
   * its compute (its sink write): with no variability 1 or 0; with it, the lognormal around meanDuration (invoke: mean ×
   * exp(σZ − σ²/2)) at or under the timeout less afterUs, Φ((ln((timeout − afterUs) ÷ mean) + σ²/2) ÷ σ). A cold start's
   * init only adds, so this is the most it can be.
   */
  successChance(records: number, afterUs = 0): number {
    const mean = this.meanDuration(records);
    const left = this.spec.timeout - afterUs;
    if (left < 0) return 0;
    if (this.sigma === 0) return mean <= left ? 1 : 0;
    if (mean <= 0) return 1;
    if (left === 0) return 0;
    return normalCdf((Math.log(left / mean) + (this.sigma * this.sigma) / 2) / this.sigma);
  }

  /** Duration variability (the lognormal's coefficient of variation; 0: every warm invocation lasts meanDuration). */
  get variability(): number {
    return this.spec.duration.variability;
  }

  /**
   * Whether every invocation with `records` records times out, as near as can be said, `afterUs` of it spent after its
   * compute (the least its sink write takes, 0 without one): with no variability its duration is above the timeout; with
   * it, the chance that one ends in time is below PRACTICALLY_NEVER (a mean ten times the timeout with variability 0.3:
   * about 10^−14). A timeout is a function error ("The runtime returns errors for issues
   * such as timeouts", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), and a stream's event
   * source mapping retries the batch as for any error: "Repeated errors block processing of the affected shard until the
   * error is resolved or the items expire" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html).
   */
  timesOutWith(records: number, afterUs = 0): boolean {
    return this.successChance(records, afterUs) < PRACTICALLY_NEVER;
  }

  /**
   * Invokes the function with a batch of `records` at `t`: null when the concurrency limit throttles it
   * (TooManyRequestsException); else the invocation, its handler computing until `t + duration` (capped at the timeout).
   * `poisoned`: the batch holds a record the function cannot process. Without `writes`, or when it fails, the invocation
   * ends then (call `end`). With `writes` its handler goes on to write the batch to a sink before it returns: it ends
   * when the write is done or the timeout cuts it (call `endWrite`), and its Duration, billed duration and error are
   * counted then.
   */
  invoke(t: Micros, records: number, poisoned: boolean, writes = false): Invocation | null {
    const bucket = this.series.bucketOf(t);
    if (this.running >= this.limit) {
      this.counts.throttles.add(t);
      this.series.add(FUNCTION_SERIES.throttles, t, 1);
      return null;
    }
    this.running++;
    if (t >= this.warmup && this.running > this.maxConcurrent) this.maxConcurrent = this.running;
    const row = this.series.row(FUNCTION_SERIES.concurrent);
    if (this.running > row[bucket]!) row[bucket] = this.running;
    this.counts.invocations.add(t);
    this.series.add(FUNCTION_SERIES.invocations, t, 1);
    // A warm environment idle for less than the idle time serves it; else a new one starts (a cold start).
    while (this.idle.length > 0 && t - this.idle[0]! >= this.spec.coldStart.idle) this.idle.shift();
    let d = 0;
    if (this.idle.length > 0) this.idle.pop();
    else {
      this.counts.coldStarts.add(t);
      d += this.init(this.rng);
    }
    const p = this.spec.duration;
    let run = p.perInvocation + records * p.perRecord;
    if (this.sigma > 0 && run > 0) run *= Math.exp(this.sigma * this.rng.standardNormal() - (this.sigma * this.sigma) / 2);
    d += Math.round(run);
    const share = this.errorShareAt(t);
    let error: Invocation["error"] = poisoned || (share > 0 && this.rng.uniform() < share) ? "function" : null;
    if (d > this.spec.timeout) {
      d = this.spec.timeout;
      error = "timeout";
    }
    if (!writes || error) this.settle(t, d, error);
    return { duration: d, error };
  }

  /** An invocation ended at `t`: its environment is idle (warm) from then. */
  end(t: Micros): void {
    this.running--;
    this.idle.push(t);
  }

  /**
   * An invocation begun at `start` that wrote its batch (invoke with `writes`) ended at `t`: its write was done, or the
   * timeout cut it (`timedOut`: a timeout error). Its Duration runs from `start` to `t`, the write included.
   */
  endWrite(start: Micros, t: Micros, timedOut: boolean): void {
    this.settle(start, t - start, timedOut ? "timeout" : null);
    if (timedOut) this.counts.timeoutsWriting.add(start);
    this.end(t);
  }

  /**
   * At the end of the run, an invocation begun at `start` still writing its batch: counted with the time it has run
   * (its Duration so far; it holds its environment to the end).
   */
  runningAtEnd(start: Micros, end: Micros): void {
    this.settle(start, end - start, null);
  }

  /** An invocation begun at `t` that ran `d` µs: its Duration, billed duration and error, counted by its start (after warmup or not). */
  private settle(t: Micros, d: Micros, error: Invocation["error"]): void {
    this.duration.recordAt(t, d, 1);
    const step = LAMBDA_BILLED_DURATION_STEP_MS * MICROS_PER_MS;
    this.counts.billedDuration.add(t, Math.ceil(d / step) * step);
    if (error === "timeout") this.counts.timeouts.add(t);
    if (error) {
      this.counts.errors.add(t);
      this.series.add(FUNCTION_SERIES.errors, t, 1);
    }
  }
}
