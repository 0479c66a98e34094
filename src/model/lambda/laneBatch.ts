// The batch a lane's bound is counted at (LambdaConsumer.laneThroughput, src/result/lambdaRemedy.ts). A lane with a
// backlog takes full batches (BatchSize records), so its bound is a full batch's user records ÷ that batch's mean
// duration (no cold start): perInvocation + its user records × perRecord + its sink write, if any
// (src/model/sinks/batchWrite.ts). But a batch whose invocation outlasts the function's timeout never finishes: the
// mapping retries it whole unless BisectBatchOnFunctionError is set ("If your function returns an error, Lambda retries
// the batch until processing succeeds or the data expires", https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html;
// eventSourceMapping.ts failed()), and bisection's halves are smaller batches. So when a full batch's mean duration is
// over the timeout, the most a lane can finish a second is that of the batch, of at most BatchSize records, whose mean
// duration is within it and which processes the most records a second.

import { writeUsOf, type WriteTime } from "../sinks/batchWrite.js";

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

/**
 * The batch, of at most `batchSize` records, a lane's bound is counted at, and the user records a second it processes:
 * `batchSize` when its mean duration is within the timeout; else, of the batches whose mean duration is, the one that
 * processes the most a second (the larger on a tie); `records` 0 and 0 a second when not even one record's is.
 */
export function laneBatchWithin(s: LaneTimes, batchSize: number): { records: number; perSecond: number } {
  const rate = (b: number) => batchRate(s, b);
  const timeout = s.timeoutUs ?? Infinity;
  if (batchMeanUs(s, batchSize) <= timeout) return { records: batchSize, perSecond: rate(batchSize) };
  let best = { records: 0, perSecond: 0 };
  for (let b = 1; b < batchSize && batchMeanUs(s, b) <= timeout; b++) {
    const r = rate(b);
    if (r >= best.perSecond) best = { records: b, perSecond: r };
  }
  return best;
}
