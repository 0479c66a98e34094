// Batch granularity, a producer group that sends fewer requests than one a window: its records wait in their instances'
// buffers and reach the shards as the requests they travel in. One instance writing 6 records/s of 100 KiB with a 2 s
// linger sends a PutRecords request of about 12 records (1.17 MiB) every 2 s, more at once than a shard's 1 MiB byte
// bucket holds. Before, each 100 ms window handed its own 0.6 records to the stream, as if spread evenly over the 2 s:
// no throttling at all, where record granularity throttled 39% of attempts.
import { describe, expect, it } from "vitest";
import type { RunOutputs } from "../../src/run.js";
import { uploadsRun } from "./uploadsRun.js";

const run = (o: { linger: string; rate?: unknown; duration?: string }): RunOutputs =>
  uploadsRun("linger-bursts", { client: "sdk", instances: 1, linger: o.linger }, o);
const producer = (o: RunOutputs) => o.result.producers[0]!;
/** Seconds of the run in which the stream took in any record. */
const busySeconds = (o: RunOutputs) => o.result.series.incomingRecords.filter((n) => n > 0).length;

describe("a 2 s linger at batch granularity: requests reach the shard as bursts", () => {
  const slow = run({ linger: "2s" });
  const quick = run({ linger: "100ms" });

  it("the stream takes records in about one second in two (a request every ~2 s), not in nearly every second", () => {
    // By hand: a request falls due once about 12 records (6/s × 2 s) have gathered, so every 2.05 s or so; its throttled
    // records are retried within a few hundred ms, mostly in the same second or the next. Poisson arrivals at 6/s leave
    // a second empty with probability e^-6 (0.25%): the 100 ms linger's stream is busy in almost every second.
    const seconds = slow.result.series.incomingRecords.length;
    expect(busySeconds(slow) / seconds).toBeGreaterThan(0.4);
    expect(busySeconds(slow) / seconds).toBeLessThan(0.7);
    expect(busySeconds(quick) / seconds).toBeGreaterThan(0.99);
  });

  it("each request's first attempt finds a full bucket holding 10 records of 102,436 B: about a fifth are throttled", () => {
    // By hand: 1,048,576 B ÷ 102,436 B (100 KiB and a 36 B key) = 10.2, so a request of N records throttles N − 10 of them
    // on its first attempt; requests carry 12 and the window's overshoot (12.3 on average): 18.7% of the records, and up
    // to E[max(0, N − 10)] ÷ E[N] = 22.7% for N Poisson with mean 12.3. Retries, a window or more later, mostly fit.
    const p = producer(slow);
    const share = p.throttledAttempts / p.offered;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.26);
    expect(p.requests / 600).toBeGreaterThan(0.9); // one first attempt every ~2 s, and the retries' requests
    // The 100 ms linger offers about 61 KB a window against a 1 MiB bucket: nothing to throttle.
    expect(producer(quick).throttledAttempts).toBe(0);
  });

  it("every record is accepted, lost, or still in its instance's buffer at the end (fewer than a request's worth)", () => {
    const p = producer(slow);
    expect(p.offered).toBe(p.accepted + p.inFlight.buffered + p.inFlight.awaitingRetry + p.lost.throttledPastRetries);
    expect(p.inFlight.buffered).toBeLessThan(20);
    expect(slow.result.accounting.balanced).toBe(true);
  });

  it("records left when the rate falls to nothing are sent once their linger runs out, not held to the end", () => {
    // 6 records/s for 61 s then none: the last ones gathered would never make up a request; their instance sends them
    // 2 s after the first of them, so nothing is buffered at the end of a 2-minute run.
    const o = run({ linger: "2s", duration: "2m", rate: { shape: "step", levels: [{ at: "0s", value: "6/s" }, { at: "61s", value: "0/s" }] } });
    const p = producer(o);
    expect(p.offered).toBeGreaterThan(300);
    expect(p.inFlight.buffered).toBe(0);
    expect(p.offered).toBe(p.accepted + p.inFlight.awaitingRetry + p.lost.throttledPastRetries);
  });
});
