// Accounting: every record offered is, at the end of a run, accepted, still in flight, or lost with a reason.
// A run whose accounting does not balance is a bug, and fails loudly.

import type { ProducerModel } from "../model/producers/producer.js";
import type { Accounting } from "./runResult.js";

export class AccountingError extends Error {}

/**
 * A count passed 2^53 − 1 (Number.MAX_SAFE_INTEGER): past it a sum of records is no longer exact, so the accounting
 * cannot be trusted to balance (nor to fail). The run fails with this rather than reporting approximate counts; the
 * resource guard refuses such runs before they start (src/sweep/resources.ts), so this is the backstop.
 */
export class CountOverflowError extends Error {}

/** Checks that each count is within the integers a number holds exactly; throws CountOverflowError naming the first that is not. */
export function exactCounts(what: string, counts: Record<string, number>): void {
  for (const [name, n] of Object.entries(counts)) {
    if (!(Math.abs(n) <= Number.MAX_SAFE_INTEGER)) {
      throw new CountOverflowError(`${what}: ${name} is ${n.toExponential(3)} records, past 2^53 − 1 = ${Number.MAX_SAFE_INTEGER.toLocaleString("en-US")}, where counts stop being exact; shorten the run or lower its rates`);
    }
  }
}

/** The producers' records summed: offered = accepted + in flight + lost, checked. */
export function account(producers: readonly ProducerModel[]): Accounting {
  const a: Accounting = {
    offered: 0,
    accepted: 0,
    inFlight: { buffered: 0, awaitingRetry: 0 },
    lost: { throttledPastRetries: 0, tooLarge: 0, expiredKplTtl: 0, failedThrottled: 0 },
    balanced: false,
  };
  for (const p of producers) {
    a.offered += p.stats.offered;
    a.accepted += p.stats.accepted;
    a.inFlight.buffered += p.stats.buffered;
    a.inFlight.awaitingRetry += p.stats.awaitingRetry;
    a.lost.throttledPastRetries += p.stats.lostRetriesExhausted;
    a.lost.tooLarge += p.stats.lostTooLarge;
    a.lost.expiredKplTtl += p.stats.lostExpired;
    a.lost.failedThrottled += p.stats.lostThrottled;
  }
  // Every other count is at most what was offered; offered, exact, makes them all exact.
  exactCounts("producers", { offered: a.offered });
  const lost = a.lost.throttledPastRetries + a.lost.tooLarge + a.lost.expiredKplTtl + a.lost.failedThrottled;
  a.balanced = a.offered === a.accepted + a.inFlight.buffered + a.inFlight.awaitingRetry + lost;
  if (!a.balanced) {
    throw new AccountingError(
      `accounting does not balance: offered ${a.offered} ≠ accepted ${a.accepted} + in flight ` +
        `${a.inFlight.buffered + a.inFlight.awaitingRetry} + lost ${lost}`,
    );
  }
  return a;
}
