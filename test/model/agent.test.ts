// The Kinesis Agent producer (awslabs/amazon-kinesis-agent): lines joined into records, a size-changing conversion, buffers
// flushed by maxBufferSizeRecords / maxBufferSizeBytes / maxBufferAge, and failed records retried without end.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const agentScenario = (opts: { shards?: number; duration?: string; instances?: number; rate: unknown; line?: string; agent?: Record<string, unknown>; granularity?: "batch" | "record" }) =>
  scenarioOf({
    duration: opts.duration ?? "2m",
    warmup: "0s",
    fidelity: { granularity: opts.granularity ?? "batch" },
    stream: { shards: opts.shards ?? 2 },
    producers: [
      {
        name: "logs",
        client: "agent",
        instances: opts.instances ?? 4,
        rate: opts.rate,
        recordSize: { dist: "fixed", size: opts.line ?? "200B" },
        partitionKey: { kind: "random", length: 36 },
        agent: opts.agent ?? {},
      },
    ],
  });

describe("Kinesis Agent: lines, records and conversion", () => {
  for (const granularity of ["batch", "record"] as const) {
    it(`3 lines of 200 B per record, converted to 1.5 × the size: 3,000 lines/s are 1,000 records/s of 900 B data + 36 B key (${granularity})`, () => {
      const seconds = 120;
      const r = simulate(agentScenario({ granularity, rate: { shape: "constant", value: "3000/s" }, agent: { linesPerRecord: 3, sizeFactor: 1.5, maxBufferAge: "1s" } }));
      const p = r.producers[0]!;
      // Constant arrivals: exactly 1,000 records a second.
      expect(p.offered).toBe(1_000 * seconds);
      const accepted = p.accepted;
      const inStream = r.shards.reduce((a, s) => a + s.incomingBytes, 0);
      // Every record 3 × 200 × 1.5 = 900 bytes of data plus its 36-byte partition key.
      expect(inStream / r.shards.reduce((a, s) => a + s.incomingRecords, 0)).toBe(936);
      expect(p.lostAfterWarmup).toBe(0);
      expect(accepted + p.inFlight.buffered + p.inFlight.awaitingRetry).toBe(p.offered);
    });
  }
});

describe("Kinesis Agent: its buffers decide the PutRecords calls", () => {
  it("slow logs: 20 lines/s over 10 hosts with maxBufferAge 1 s send one PutRecords per host per second", () => {
    const r = simulate(agentScenario({ instances: 10, rate: { shape: "constant", value: "20/s" }, agent: { maxBufferAge: "1s" } }));
    // 2 records per host per second: neither 500 records nor 5 MiB is reached, the 1 s age flushes: 10 calls/s.
    expect(r.producers[0]!.requests / 120).toBeCloseTo(10, 0);
  });

  it("busy logs: 4,000 lines/s over 2 hosts with maxBufferSizeRecords 100 send 40 calls/s", () => {
    const r = simulate(agentScenario({ shards: 8, instances: 2, rate: { shape: "constant", value: "4000/s" }, agent: { maxBufferSizeRecords: 100 } }));
    expect(r.producers[0]!.requests / 120).toBeCloseTo(40, 0);
  });

  it("large lines: 50 KiB records with maxBufferSizeBytes 1 MiB hold 20 records a call", () => {
    // 200 records/s of 50 KiB (+ 36 B key): 1 MiB / 51,236 B → 20 records a call → 10 calls/s.
    const r = simulate(agentScenario({ shards: 16, instances: 1, line: "50KiB", rate: { shape: "constant", value: "200/s" }, agent: { maxBufferSizeBytes: "1MiB" } }));
    expect(r.producers[0]!.requests / 120).toBeCloseTo(10, 0);
  });

  it("the default maxBufferAge of 60 s flushes a slow host's buffer once a minute", () => {
    // 1 record/s on one host: 500 records or 5 MiB would take minutes, so the 60 s age flushes the buffer.
    const r = simulate(agentScenario({ duration: "10m", instances: 1, rate: { shape: "constant", value: "1/s" } }));
    expect(r.producers[0]!.requests).toBe(10);
  });
});

describe("Kinesis Agent: failed records are retried without end", () => {
  it("2,000 records/s for 2 minutes on 1 shard: heavily throttled, nothing lost, the backlog drains once the logs slow down", () => {
    const r = simulate(
      agentScenario({
        shards: 1,
        duration: "12m",
        rate: {
          shape: "step",
          levels: [
            { at: "0s", value: "2000/s" },
            { at: "2m", value: "0/s" },
          ],
        },
        agent: { maxBufferAge: "1s" },
      }),
    );
    const p = r.producers[0]!;
    expect(p.offered).toBeGreaterThan(230_000);
    expect(p.throttledAttempts / p.attempts).toBeGreaterThan(0.3);
    expect(p.retriedRecords).toBeGreaterThan(0);
    // The SDK would give up after its attempts; the agent never does.
    expect(p.lost).toEqual({ throttledPastRetries: 0, tooLarge: 0, expiredKplTtl: 0, failedThrottled: 0 });
    // 240,000 records at 1,000/s take 4 minutes of shard time; backoff caps at 10 s, so by 12 min all are in.
    expect(p.accepted).toBe(p.offered);
    expect(r.accounting.balanced).toBe(true);
  });
});
