// Accounting: every record offered is, at the end of a run, accepted, still in flight, or lost with a reason.
// A run whose accounting does not balance is a bug, and fails loudly.

import type { ProducerModel } from "../model/producers/producer.js";
import type { Accounting } from "./runResult.js";

export class AccountingError extends Error {}

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
  const lost = a.lost.throttledPastRetries + a.lost.tooLarge + a.lost.expiredKplTtl + a.lost.failedThrottled;
  a.balanced = a.offered === a.accepted + a.inFlight.buffered + a.inFlight.awaitingRetry + lost;
  if (!a.balanced) {
    throw new AccountingError(
      `accounting does not balance: offered ${a.offered} ≠ accepted ${a.accepted} + in flight ` +
        `${a.inFlight.buffered + a.inFlight.awaitingRetry} + lost ${a.lost.throttledPastRetries + a.lost.tooLarge}`,
    );
  }
  return a;
}
