// The batch a lane's bound is counted at (LambdaConsumer.laneThroughput, src/result/lambdaRemedy.ts). A lane with a
// backlog takes full batches (BatchSize records): perInvocation + its user records × perRecord of compute, lognormal with
// the function's variability, then its sink write, if any (src/model/sinks/batchWrite.ts). A try whose compute and write
// outlast the function's timeout is cut there, and the mapping tries the batch again whole unless
// BisectBatchOnFunctionError is set ("If your function returns an error, Lambda retries the batch until processing
// succeeds or the data expires", https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html; eventSourceMapping.ts
// failed()), after the retry delay, until MaximumRetryAttempts; bisection's halves are tried in turn. So a lane
// processes, a second, a batch's user records × the chance a try ends in time ÷ the mean lane time a try takes (each
// try independent: the timeout's time for those it cuts, their retry delays besides; timedTry.ts), not ÷ the mean
// duration (helper-116: batches of 1,000 at 2.02 s with variability 0.3 and an S3 put of median 300 ms, p99 2 s, against
// a 3 s timeout read "at most 1,640 records/s" on 4 shards, and the run processed 1,324). With no variability and a
// constant write, that is the user records ÷ the mean duration, as before. When a full batch's mean duration is over the
// timeout, the most a lane can finish a second is counted at the batch, of at most BatchSize records, whose mean
// duration is within it and which processes the most records a second.

import { writeUsOf, type WriteTime } from "../sinks/batchWrite.js";
import { latencyMean } from "../latencySampler.js";
import { constantLatency, sigmaOf, spreadOf, spreadOfSum, tryWithin, type Spread, type TryOutcome } from "./timedTry.js";

/** What a lane's batch takes: the function's duration settings, the user records a batch record holds, its sink write, the timeout (µs). */
export interface LaneTimes {
  perInvocationUs: number;
  perRecordUs: number;
  /** User records in each record a batch counts (a KPL aggregate holds several); 1 without aggregation. */
  usersPerRecord?: number;
  /** With a sink: the write's mean time as a function of the batch's user records. */
  write?: WriteTime | null;
  /** The function's timeout (µs); without, no batch times out. */
  timeoutUs?: number;
  /** The function's duration variability (the lognormal's coefficient of variation); without, 0. */
  variability?: number;
  /** The mapping's wait before a failed try is tried again (µs); without, 0. */
  retryDelayUs?: number;
  /** MaximumRetryAttempts (−1, or without: no limit). */
  maximumRetryAttempts?: number;
  /** BisectBatchOnFunctionError: a failed batch is split in halves, tried in turn. */
  bisect?: boolean;
}

/** The mean duration (µs, no cold start) of an invocation with a batch of `b` records: its compute and its sink write. */
export function batchMeanUs(s: LaneTimes, b: number): number {
  const users = b * (s.usersPerRecord ?? 1);
  return s.perInvocationUs + users * s.perRecordUs + (s.write ? writeUsOf(s.write, users) : 0);
}

/** The user records a second a lane processes at batch size `b`: b's user records ÷ batchMeanUs. */
export function batchRate(s: LaneTimes, b: number): number {
  const us = batchMeanUs(s, b);
  return us > 0 ? (b * (s.usersPerRecord ?? 1)) / (us / 1e6) : Infinity;
}

/** A lane's records and time for a batch: what it processes of it on average, and the lane time it takes (µs). */
interface Cycle {
  users: number;
  us: number;
}

/**
 * What a lane processes and spends on average per batch, tries the timeout cuts included (timedTry.ts), for batches of
 * any size: `tryOf(b)` is one try of a batch of b records, `cycle(b)` the batch through its tries. Each try is
 * independent (the compute and the write drawn anew), ends in time with p and holds the lane t on average:
 * - tried again whole, up to R retries (R + 1 tries; none: without limit): N tries, P(N = n) = q^(n−1) p, stopped at R + 1;
 *   its users are processed with 1 − q^(R+1), the tries take E[N] t (Wald), E[N] = (1 − q^(R+1)) ÷ p, and every failed
 *   try but a last one given up waits the retry delay: E[N] − (1 − q^(R+1)) − q^(R+1) of them. Without a limit: u and
 *   (t + q × delay) ÷ p.
 * - bisected (more than one record): t, and with q the delay and both halves' cycles (bisection's halves keep the
 *   parent's retries, so only single records use them).
 */
export function laneCycles(s: LaneTimes): { tryOf: (b: number) => TryOutcome; cycle: (b: number) => Cycle } {
  const timeout = s.timeoutUs ?? Infinity;
  const sigma = sigmaOf(s.variability ?? 0);
  const u = s.usersPerRecord ?? 1;
  const w = s.write ?? null;
  const spreadLatency = w?.spread && timeout < Infinity && !constantLatency(w.spread.latency) ? w.spread : null;
  let one: Spread | null = null;
  const powers: Spread[] = [];
  const sums = new Map<number, Spread>();
  const spreadOfDraws = (k: number): Spread => {
    one ??= spreadOf(spreadLatency!.latency, timeout);
    let x = sums.get(k);
    if (!x) sums.set(k, (x = spreadOfSum(one, k, powers)));
    return x;
  };
  const tries = new Map<number, TryOutcome>();
  const tryOf = (b: number): TryOutcome => {
    let x = tries.get(b);
    if (x) return x;
    const users = b * u;
    const compute = { meanUs: s.perInvocationUs + users * s.perRecordUs, sigma };
    const writeUs = w && users > 0 ? writeUsOf(w, users) : 0;
    if (timeout === Infinity) x = { doneChance: 1, meanUs: compute.meanUs + writeUs };
    else if (!spreadLatency || users <= 0) x = tryWithin(compute, writeUs, null, timeout);
    else {
      const draws = spreadLatency.per === "write" ? 1 : Math.ceil(users / w!.recordsPerRequest);
      const constUs = Math.max(0, writeUs - draws * latencyMean(spreadLatency.latency));
      x = tryWithin(compute, constUs, spreadOfDraws(draws), timeout);
    }
    tries.set(b, x);
    return x;
  };
  const delay = s.retryDelayUs ?? 0;
  const retries = s.maximumRetryAttempts ?? -1;
  const cycles = new Map<number, Cycle>();
  const cycle = (b: number): Cycle => {
    let c = cycles.get(b);
    if (c) return c;
    const { doneChance: p, meanUs: t } = tryOf(b);
    const q = 1 - p;
    if (s.bisect && b > 1 && q > 0) {
      const a = cycle(Math.floor(b / 2));
      const rest = cycle(b - Math.floor(b / 2));
      c = { users: p * b * u + q * (a.users + rest.users), us: t + q * (delay + a.us + rest.us) };
    } else if (retries < 0) c = p > 0 ? { users: b * u, us: (t + q * delay) / p } : { users: 0, us: Infinity };
    else {
      // Up to retries + 1 tries, each done with p: done at last with 1 − q^n, tried (1 − q^n) ÷ p times on average, with
      // a retry delay between tries. 1 − q^n as −expm1(n·log1p(−p)): with p under 1e-16, q is 1 in floating point, and
      // (1 − q^n) ÷ p read 0 tries and a lane time of minus one retry delay (a batch of 1,000 aggregates of 71.5 user
      // records at 0.5 ms each, 36 s against a 3 s timeout: p = 5.4e-17); it tends to n tries.
      const n = retries + 1;
      const done = p >= 1 ? 1 : -Math.expm1(n * Math.log1p(-p));
      const tried = p > 0 ? done / p : n;
      c = { users: b * u * done, us: tried * t + delay * (tried - 1) };
    }
    cycles.set(b, c);
    return c;
  };
  return { tryOf, cycle };
}

/**
 * The batch, of at most `batchSize` records, a lane's bound is counted at, and the user records a second it processes,
 * its tries the timeout cuts counted (laneCycles: with no variability and a constant write, its user records ÷ its mean
 * duration):
 * - `batchSize` when its mean duration is within the timeout;
 * - `batchSize` too with BisectBatchOnFunctionError, whatever its duration: the lane takes full batches, and one the
 *   timeout cuts is split in halves tried in turn, down to single records ("If the function returns an error, split the
 *   batch in two and retry", https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html), each full
 *   batch's cut tries and halves counted (laneCycles); helper-124: 100 records of 5.01 s against 3 s, halves of 2.51 s,
 *   was counted at the best batch within the timeout, 59 ÷ 2.96 s = 19.9 a second, where a lane does 100 ÷ (3 s + 1 s +
 *   2 × 2.51 s) = 11.09;
 * - else (a full batch's mean duration over the timeout, retried whole), the batch that processes the most a second,
 *   its cut tries counted (the larger on a tie); `records` 0 and 0 a second when none finishes. With no variability and
 *   a constant write that is, as before, the one of those whose mean duration is within the timeout that processes the
 *   most by its mean; with variability a batch whose mean is within it may have so many tries cut that a smaller one
 *   does more (helper-124).
 */
export function laneBatchWithin(s: LaneTimes, batchSize: number): { records: number; perSecond: number } {
  const timeout = s.timeoutUs ?? Infinity;
  const { cycle } = laneCycles(s);
  const through = (b: number) => {
    const c = cycle(b);
    return c.us > 0 ? c.users / (c.us / 1e6) : Infinity;
  };
  if (batchMeanUs(s, batchSize) <= timeout || s.bisect) return { records: batchSize, perSecond: through(batchSize) };
  const best = bestBatch(through, 1, batchSize, toothOf(s));
  return best.perSecond > 0 ? best : { records: 0, perSecond: 0 };
}

/**
 * The records after which the steps of a lane's rate repeat as a batch grows (a sink's request holds recordsPerRequest
 * user records R: the rate drops each time a batch takes one more request); 1 without. A batch record of u user records:
 * a batch of b takes ⌈b u ÷ R⌉ requests, whose pattern repeats every R ÷ gcd(R, u) records — R ÷ u when u divides R,
 * but 16 with u = 5 and R = 16 (steps at 4, 7, 10, 13 and 16 records: the peaks differ by what the last request leaves
 * empty, the best where 5 requests are full), not ⌈16 ÷ 5⌉ = 4. With u not a whole number (a mean over aggregates), R.
 */
export function toothOf(s: LaneTimes): number {
  const w = s.write;
  const byRequest = w && (w.perRequestUs > 0 || w.spread?.per === "request");
  if (!byRequest) return 1;
  const r = Math.max(1, Math.round(w.recordsPerRequest));
  const u = s.usersPerRecord ?? 1;
  if (!Number.isInteger(u) || u < 1) return Math.max(r, Math.ceil(r / Math.max(u, 1e-9)));
  let a = r;
  let b = u;
  while (b > 0) [a, b] = [b, a % b];
  return r / a;
}

/**
 * Of batches of `lo` to `hi` records, the one at which `rate` is highest (the larger on a tie). The rate rises as a
 * batch shares its invocation's fixed time, then falls as the timeout cuts more of its tries (or stops at 0 past the
 * batch whose mean duration is the timeout, with no variability), with a step down each time a sink write takes one
 * more request (`tooth` records apart): every batch when that is cheap (at most 2,048 of them), else a ternary search of
 * the envelope and every batch within two steps of its best. The envelope is the best of each window of two steps (a
 * window every step): each holds a whole step, its peak included, so the windows' bests rise and fall as the steps'
 * peaks do, where single batches, compared at different places in their steps, do not (no variability, a write of
 * 20 ms a request of 25 records, 200 ms + 0.3 ms a record, 3 s: the search of single batches settled on 2,475,
 * 846.88 a second, two steps short of 2,525, 848.03).
 */
export function bestBatch(rate: (b: number) => number, lo: number, hi: number, tooth = 1): { records: number; perSecond: number } {
  let best = { records: 0, perSecond: -Infinity };
  const look = (from: number, to: number) => {
    for (let b = Math.max(lo, from); b <= Math.min(hi, to); b++) {
      const r = rate(b);
      if (r >= best.perSecond) best = { records: b, perSecond: r };
    }
  };
  if (hi < lo) return { records: 0, perSecond: 0 };
  if (hi - lo < 2_048) {
    look(lo, hi);
    return best;
  }
  // Window k: batches lo + k × tooth to lo + (k + 2) × tooth − 1.
  const windows = new Map<number, number>();
  const windowBest = (k: number): number => {
    let m = windows.get(k);
    if (m !== undefined) return m;
    m = -Infinity;
    const from = lo + k * tooth;
    for (let b = from; b < from + 2 * tooth && b <= hi; b++) m = Math.max(m, rate(b));
    windows.set(k, m);
    return m;
  };
  let a = 0;
  let z = Math.floor((hi - lo) / tooth);
  while (z - a > 2) {
    const m1 = a + Math.floor((z - a) / 3);
    const m2 = z - Math.floor((z - a) / 3);
    if (windowBest(m1) < windowBest(m2)) a = m1 + 1;
    else z = m2 - 1;
  }
  look(lo + (a - 2) * tooth, lo + (z + 4) * tooth - 1);
  return best;
}
