// Pipelines of several streams (issue 17): an application reading one stream and writing what it processes to
// the next, against closed forms — latency adds up stage by stage, a throttled downstream stream holds the
// upstream consumer back at the rate the closed form gives, and every stream's accounting balances.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { judge } from "../../src/result/judge.js";
import { scenarioOf } from "./scenarioOf.js";

const fixed = (value: string) => ({ dist: "fixed", value });

describe("a chained pipeline's end-to-end latency is the sum of its stages (steady load, fixed latencies)", () => {
  // raw → app1 (polling every 1 s, GetRecords 20 ms, 50 ms a batch, writes in 30 ms) → enriched → app2
  // (fan-out pushed 70 ms after arrival, 10 ms a batch). A record arrives in raw uniformly within app1's poll
  // cycle of 1 s + 20 ms: it waits half a cycle, then the call (20 ms), then processing (50 ms) and the write
  // (30 ms): app1's end-to-end mean = 510 + 20 + 50 + 30 = 610 ms. The enriched records arrive when app1 hands
  // them over (before its 30 ms acknowledgement), keep their birth time, and app2 processes them 70 + 10 ms
  // later: app2's end-to-end mean = 610 − 30 + 70 + 10 = 660 ms.
  const r = simulate(
    scenarioOf({
      duration: "10m",
      warmup: "1m",
      fidelity: { granularity: "record" },
      streams: [
        { name: "raw", shards: 2 },
        { name: "enriched", shards: 2 },
      ],
      producers: [{ name: "web", client: "sdk", stream: "raw", api: "PutRecord", rate: { shape: "constant", value: "200/s" }, recordSize: { dist: "fixed", size: "200B" }, latency: fixed("20ms") }],
      consumers: [
        {
          name: "app1",
          kind: "kcl",
          kcl: { version: 2 },
          stream: "raw",
          poll: { interval: "1s", latency: fixed("20ms") },
          processing: { perBatch: "50ms" },
          output: { stream: "enriched", latency: fixed("30ms") },
        },
        { name: "app2", kind: "fanout", kcl: { version: 2 }, stream: "enriched", propagation: fixed("70ms"), processing: { perBatch: "10ms" } },
      ],
    }),
  );
  const [app1, app2] = r.consumers;

  it("app1: half a poll cycle + the call + processing + the write = 610 ms", () => {
    expect(app1!.endToEnd.mean / 1_000).toBeGreaterThan(610 * 0.98);
    expect(app1!.endToEnd.mean / 1_000).toBeLessThan(610 * 1.02);
  });

  it("app2 adds its stage to app1's hand-over: 610 − 30 + 70 + 10 = 660 ms, from the birth at the first producer", () => {
    expect(app2!.endToEnd.mean / 1_000).toBeGreaterThan(660 * 0.98);
    expect(app2!.endToEnd.mean / 1_000).toBeLessThan(660 * 1.02);
    // Put → processed at app2 is its own stage alone: 70 + 10 ms.
    expect(app2!.putToProcess.mean / 1_000).toBeCloseTo(80, 0);
  });

  it("nothing is throttled and every stream's accounting balances", () => {
    expect(r.writers[0]!.throttledAttempts).toBe(0);
    for (const s of r.streams) expect(s.accounting.balanced).toBe(true);
    expect(r.streams.map((s) => s.stream.name)).toEqual(["raw", "enriched"]);
  });
});

describe("back pressure from a throttled downstream stream", () => {
  // 1,500 records/s of 100 B into raw (2 shards: room for 2,000/s); the application writes each record it
  // processes to an enriched stream of 1 shard, which takes 1,000 records/s. It cannot process faster than its
  // writes get in, so raw's backlog grows at 1,500 − 1,000 = 500 records/s and the age of its oldest unprocessed record at t × 500/1,500
  // = t/3 (t from the start of the run).
  const pipeline = (enrichedShards: number) =>
    simulate(
      scenarioOf({
        duration: "10m",
        streams: [
          { name: "raw", shards: 2 },
          { name: "enriched", shards: enrichedShards },
        ],
        producers: [{ name: "web", client: "sdk", stream: "raw", rate: { shape: "constant", value: "1500/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "random", length: 8 } }],
        // TRIM_HORIZON: the second worker steals a lease at the start, before any checkpoint; at LATEST the records
        // its previous owner had not processed when it noticed would be skipped (kclLeases.test.ts).
        consumers: [
          { name: "app", kind: "kcl", kcl: { version: 2 }, stream: "raw", workers: 2, initialPosition: "TRIM_HORIZON", poll: { interval: "200ms" }, output: { stream: "enriched", partitionKey: { kind: "random", length: 8 } } },
        ],
      }),
    );
  const throttled = pipeline(1);

  it("the enriched stream runs at its 1,000 records/s and the upstream oldest unprocessed record ages at t/3 (200 s at 10 min)", () => {
    const enriched = throttled.streams[1]!;
    const perSecond = enriched.shards[0]!.incomingRecords / 600;
    expect(perSecond).toBeGreaterThan(960);
    // At most the limit, and the 1,000-record burst the shard starts with, over the 600 s.
    expect(perSecond).toBeLessThanOrEqual(1_000 + 1_000 / 600);
    const age = throttled.consumers[0]!.maxOldestUnprocessedAge / 1e6;
    expect(age).toBeGreaterThan(200 * 0.92);
    expect(age).toBeLessThan(200 * 1.08);
  });

  it("the verdict names the output stream as what holds the consumer back, and the enriched stream as the one that binds", () => {
    const v = judge(throttled);
    expect(v.consumers[0]!.bottleneck).toBe("output stream");
    expect(v.streams[1]!.binding.throttling).toBe(true);
    expect(v.streams[0]!.binding.throttling).toBe(false);
    expect(v.bindingStream).toBe(1);
  });

  it("with 2 enriched shards nothing holds it back: the oldest unprocessed record stays under a few seconds", () => {
    const ok = pipeline(2);
    expect(ok.consumers[0]!.maxOldestUnprocessedAge / 1e6).toBeLessThan(5);
    expect(judge(ok).consumers[0]!.bottleneck).toBe("none");
  });

  it("accounting per stream: what the application wrote and got accepted is exactly what the enriched stream stored", () => {
    const w = throttled.writers[0]!;
    const enriched = throttled.streams[1]!;
    expect(enriched.accounting).toMatchObject({ offered: w.offered, accepted: w.accepted, balanced: true });
    expect(w.offered).toBe(w.accepted + w.awaitingRetry + w.lostRetriesExhausted + w.interrupted);
    // Every record the application processed was offered downstream, one for one — those processed again (a lease
    // changing hands) again; the rest are in writes not finished.
    const c = throttled.consumers[0]!;
    expect(w.offered).toBe(c.accounting.processed + c.reprocessed + w.unfinished);
    expect(throttled.streams[0]!.accounting).toMatchObject({ offered: throttled.producers[0]!.offered, balanced: true });
  });
});

describe("a KPL group writing to several streams", () => {
  it("each stream gets its share of the group's records (within 4 standard deviations)", () => {
    const r = simulate(
      scenarioOf({
        duration: "2m",
        streams: [
          { name: "a", shards: 2 },
          { name: "b", shards: 2 },
        ],
        producers: [
          {
            name: "app",
            client: "kpl",
            instances: 2,
            streams: [
              { name: "a", share: 0.25 },
              { name: "b", share: 0.75 },
            ],
            rate: { shape: "poisson", value: "1000/s" },
            recordSize: { dist: "fixed", size: "100B" },
          },
        ],
      }),
    );
    expect(r.producers.map((p) => [p.name, p.stream, p.group])).toEqual([
      ["app → a", "a", "app"],
      ["app → b", "b", "app"],
    ]);
    const [a, b] = r.producers;
    const n = a!.offered + b!.offered;
    const sd = Math.sqrt((0.25 * 0.75) / n);
    expect(Math.abs(a!.offered / n - 0.25)).toBeLessThan(4 * sd);
    // Each part's records went to its own stream.
    expect(r.streams[0]!.accounting.offered).toBe(a!.offered);
    expect(r.streams[1]!.accounting.offered).toBe(b!.offered);
  });
});

describe("Firehose raises its buffer size while delivery falls behind", () => {
  // 1 MiB/s of Direct PUT into S3 with a 5 MiB / 60 s buffer, and a 10-minute S3 outage: the deliveries that
  // wait behind the failing one (about 600 MiB by its end) make Firehose raise the size in force, doubling up to
  // 128 MiB, the largest S3 hint; it returns to 5 MiB once delivery keeps up.
  const run = (raiseUpTo?: string) =>
    simulate(
      scenarioOf({
        duration: "30m",
        producers: [{ name: "logs", client: "sdk", deliveryStream: "archive", rate: { shape: "constant", value: "1024/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
        firehose: [{ name: "archive", source: "direct-put", buffer: { size: "5MiB", interval: "60s", ...(raiseUpTo ? { raiseUpTo } : {}) }, destination: { kind: "s3" } }],
        faults: [{ at: "5m", kind: "destination-outage", firehose: "archive", for: "10m" }],
      }),
    );
  const MiB = 1_048_576;

  it("the size in force goes from 5 MiB to 128 MiB (5 · 2^k, capped) and objects larger than the hint are written", () => {
    const f = run().firehose[0]!;
    expect(f.buffer.raisedToBytes).toBe(128 * MiB);
    const raised = new Set(f.series.sizeInForceBytes);
    for (const size of raised) expect([5, 10, 20, 40, 80, 128].map((x) => x * MiB)).toContain(size);
    expect(f.objects.bytes.max).toBeGreaterThan(5 * MiB);
    expect(f.objects.bytes.max).toBeLessThanOrEqual(128 * MiB * 1.001);
    // After the outage it returns to the hint: the last 10 minutes deliver at 5 MiB.
    expect(f.series.sizeInForceBytes.slice(-600).every((x) => x === 5 * MiB)).toBe(true);
    expect(f.accounting.balanced).toBe(true);
  });

  it("with raiseUpTo equal to the size hint nothing is raised and no object passes the hint", () => {
    const f = run("5MiB").firehose[0]!;
    expect(f.buffer.raisedToBytes).toBe(5 * MiB);
    expect(f.objects.bytes.max).toBeLessThanOrEqual(5 * MiB * 1.001);
  });
});
