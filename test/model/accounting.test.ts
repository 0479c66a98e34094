// Nothing is lost silently: for any scenario, offered = accepted + in flight + lost (by reason), what the
// shards stored equals what the producers saw accepted, and for every consumer accepted = processed + unread +
// expired unread + skipped. simulate() throws when either fails; this property
// test drives it with random small scenarios at both granularities.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const rate = fc.oneof(
  fc.record({ shape: fc.constant("constant"), value: fc.integer({ min: 1, max: 4000 }).map((v) => `${v}/s`) }),
  fc.record({ shape: fc.constant("poisson"), value: fc.integer({ min: 1, max: 4000 }).map((v) => `${v}/s`) }),
  fc.record({
    shape: fc.constant("spikes"),
    base: fc.integer({ min: 0, max: 1000 }).map((v) => `${v}/s`),
    spikes: fc.constant([{ at: "2s", for: "1s", value: "5000/s" }]),
  }),
);

const recordSize = fc.oneof(
  // Fixed records fit a 1 MiB stream with a 36 B key (validation refuses records that all exceed it, issue 11);
  // the uniform's tail, up to 2,000,000 B, keeps records lost as too large in the accounting.
  fc.record({ dist: fc.constant("fixed"), size: fc.integer({ min: 1, max: 1_048_540 }).map((v) => `${v}B`) }),
  fc.record({ dist: fc.constant("uniform"), min: fc.constant("10B"), max: fc.integer({ min: 10, max: 2_000_000 }).map((v) => `${v}B`) }),
  fc.record({ dist: fc.constant("lognormal"), median: fc.constant("2KiB"), p99: fc.constantFrom("4KiB", "900KiB") }),
);

const producer = (name: string) =>
  fc.record({
    name: fc.constant(name),
    client: fc.constant("sdk"),
    instances: fc.integer({ min: 1, max: 5 }),
    rate,
    recordSize,
    api: fc.constantFrom("PutRecords", "PutRecord"),
    linger: fc.constantFrom("0s", "50ms", "300ms"),
    retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 5 }) }),
  });

const consumer = (name: string) =>
  fc.record({
    name: fc.constant(name),
    kind: fc.constantFrom("kcl", "fanout"),
    workers: fc.integer({ min: 1, max: 3 }),
    initialPosition: fc.constantFrom("LATEST", "TRIM_HORIZON"),
    processing: fc.record({ perRecord: fc.constantFrom("0ms", "0.5ms", "5ms"), concurrency: fc.constantFrom(1, 4) }),
    checkpoint: fc.constantFrom({}, { every: "2s" }, { records: 100 }),
    leaseTable: fc.constantFrom({ capacity: "onDemand" }, { capacity: "provisioned", read: 1, write: 1, burst: "1s" }),
  });

describe("accounting", () => {
  it("balances for random scenarios at both granularities (offered = accepted + in flight + lost; stored = accepted)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 3, max: 8 }),
        fc.constantFrom("batch", "record"),
        fc.array(producer("a"), { minLength: 1, maxLength: 1 }),
        fc.option(producer("b"), { nil: undefined }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(consumer("c"), { maxLength: 1 }),
        fc.boolean(),
        (shards, seconds, granularity, [a], b, seed, consumers, crash) => {
          const sc = scenarioOf({
            seed,
            duration: `${seconds}s`,
            warmup: "1s",
            fidelity: { granularity },
            stream: { shards },
            producers: b ? [a, b] : [a],
            consumers,
            faults: crash && consumers.length > 0 ? [{ at: "2s", kind: "worker-crash", consumer: "c" }] : [],
          });
          const r = simulate(sc);
          const x = r.accounting;
          expect(x.balanced).toBe(true);
          expect(x.offered).toBe(x.accepted + x.inFlight.buffered + x.inFlight.awaitingRetry + x.lost.throttledPastRetries + x.lost.tooLarge);
          expect(r.shards.reduce((s, y) => s + y.storedRecords, 0)).toBe(x.accepted);
          for (const v of [x.accepted, x.inFlight.buffered, x.inFlight.awaitingRetry, x.lost.throttledPastRetries, x.lost.tooLarge]) {
            expect(v).toBeGreaterThanOrEqual(0);
          }
          for (const c of r.consumers) {
            const ca = c.accounting;
            expect(ca.accepted).toBe(x.accepted);
            expect(ca.processed + ca.unread + ca.expiredUnread + ca.skipped).toBe(ca.accepted);
            for (const v of [ca.processed, ca.unread, ca.expiredUnread, ca.skipped, c.reprocessed]) expect(v).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 60, seed: 20261126 },
    );
  });
});
