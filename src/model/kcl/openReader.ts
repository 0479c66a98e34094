// The reader a ReaderPlan asks for, reading into a ShardReaders' sessions and handing what it reads to `delivery`:
// enhanced fan-out subscriptions (with `propagation`), else the polling fetcher (with `poll`). One place for a KCL
// application, a stream processor and a Lambda event source mapping, each with its own settings.

import { FanOutSubscriptions } from "./fanOut.js";
import { PollingFetcher } from "./pollingFetcher.js";
import type { Delivery, Reader } from "./reader.js";
import type { ReaderPlan, ShardReaders } from "./state.js";

export function openReader(s: ShardReaders, delivery: Delivery, plan: ReaderPlan): { reader: Reader; fanOut: FanOutSubscriptions | null } {
  if (plan.propagation) {
    const fanOut = new FanOutSubscriptions(s, delivery, plan.propagation);
    return { reader: fanOut, fanOut };
  }
  if (!plan.poll) throw new Error("openReader: a reader polls or fans out");
  return { reader: new PollingFetcher(s, delivery, plan.poll), fanOut: null };
}
