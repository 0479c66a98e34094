// Connector sinks (issue 13): a KCL application emitting what it processes to DynamoDB, S3, Redshift or OpenSearch
// with the Kinesis Connector Library's buffering, against the library's documented defaults, DynamoDB's write-unit
// rule and closed forms of the emitters' timing; a sink too small for the traffic is the one cause the verdict names.
import { describe, expect, it } from "vitest";
import { simulateScenario as simulate } from "../../src/run.js";
import { judge } from "../../src/result/judge.js";
import { monthlyCost } from "../../src/result/cost.js";
import { PRICE } from "../../src/aws/prices.js";
import { DynamoTable } from "../../src/model/dynamodb/table.js";
import { writeUnitsPerItem } from "../../src/model/sinks/emitters.js";
import { ConsumerSchema, KclConsumerSchema, ScenarioSchema } from "../../src/spec/index.js";
import { scenarioOf } from "./scenarioOf.js";

const fixed = (value: string) => ({ dist: "fixed", value });

/**
 * One KCL application on a stream of `shards` shards fed at a constant rate with fixed-size records. KCL 2.x: its
 * lease taker gives the lease out at the start, where a 3.x application processes nothing until its leader's first
 * assignment (20 to 30 s in), which the closed forms below do not count.
 */
function kclWith(sink: Record<string, unknown>, opts: { shards?: number; rate?: string; size?: string; duration?: string; warmup?: string; consumer?: Record<string, unknown>; faults?: unknown[] } = {}) {
  return scenarioOf({
    duration: opts.duration ?? "10m",
    warmup: opts.warmup ?? "1m",
    stream: { shards: opts.shards ?? 1 },
    producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: opts.rate ?? "500/s" }, recordSize: { dist: "fixed", size: opts.size ?? "200B" } }],
    consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", sink, ...opts.consumer }],
    ...(opts.faults ? { faults: opts.faults } : {}),
  });
}

const statSeconds = (r: { durationUs: number; warmupUs: number }) => (r.durationUs - r.warmupUs) / 1e6;

describe("the sink: field", () => {
  const parse = (sink: unknown) => KclConsumerSchema.parse({ name: "app", kind: "kcl", sink });

  it("defaults to the Kinesis Connector Library's KinesisConnectorConfiguration: flush at 1,000 records or 1024 × 1024 B, no age limit, 3 tries 10 s apart; DynamoDBEmitter's 16 items a request", () => {
    const s = parse({ kind: "dynamodb", table: { capacity: "provisioned", write: 100 } }).sink!;
    expect(s.buffer).toEqual({ records: 1000, bytes: 1_048_576 });
    expect(s.retry).toEqual({ limit: 3, backoff: 10_000_000 });
    expect(s.kind === "dynamodb" && s.itemsPerRequest).toBe(16);
    expect(s.checkpoint).toBe("after-flush");
  });

  it("takes the Firehose destination's settings for S3, Redshift and OpenSearch", () => {
    const s = parse({ kind: "redshift", copy: { fixed: "2s" } }).sink!;
    expect(s.kind === "redshift" && s.copy).toEqual({ fixed: 2_000_000, perMiB: 500_000 });
  });

  it("refuses more than BatchWriteItem's 25 items a request, naming the field and the range", () => {
    const r = ConsumerSchema.safeParse({ name: "app", kind: "kcl", sink: { kind: "dynamodb", table: { capacity: "onDemand" }, itemsPerRequest: 26 } });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path).toEqual(["sink", "itemsPerRequest"]);
    expect(issue.message).toMatch(/25/);
  });

  it("refuses a consumer with both an output stream and a sink", () => {
    const r = ScenarioSchema.safeParse({
      name: "x",
      duration: "1m",
      streams: [
        { name: "a", shards: 1 },
        { name: "b", shards: 1 },
      ],
      producers: [{ name: "p", client: "sdk", stream: "a", rate: { shape: "constant", value: "1/s" }, recordSize: { dist: "fixed", size: "1KiB" } }],
      consumers: [{ name: "app", kind: "kcl", stream: "a", output: { stream: "b" }, sink: { kind: "s3" } }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain("consumers.0.sink");
  });
});

describe("DynamoDB write units (1 WCU per KB or part of it) and BatchWriteItem against the table's capacity", () => {
  it("an item of 1 KB (1,024 B) takes 1 unit, 1,025 B 2, 100 B 1, 400 KB 400", () => {
    expect([writeUnitsPerItem(1_024), writeUnitsPerItem(1_025), writeUnitsPerItem(100), writeUnitsPerItem(400 * 1_024)]).toEqual([1, 2, 1, 400]);
  });

  it("a provisioned 100-WCU table with 1 s of burst writes 25 of 25 three-unit items, then 8 of the next 25 (25 units left: ⌊25/3⌋); the rest come back unprocessed", () => {
    const t = new DynamoTable({ capacity: "provisioned", read: 1, write: 100, burst: 1_000_000 }, 10_000_000, 1_000_000, 0);
    expect(t.writeItems(0, 25, 3)).toBe(25);
    expect(t.writeItems(0, 25, 3)).toBe(8);
    expect(t.throttledWrites).toBe(1);
    expect(t.writeUnits).toBe(99);
    // Half a second later 50 units have come back to the 1 left: ⌊51/3⌋ = 17.
    expect(t.writeItems(500_000, 25, 3)).toBe(17);
  });

  it("an on-demand table starts at twice a new table's 2,000 WRU a second: 4,000 one-unit items, then none until the next second", () => {
    const t = new DynamoTable({ capacity: "onDemand" }, 10_000_000, 1_000_000, 0);
    let written = 0;
    for (let i = 0; i < 200; i++) written += t.writeItems(0, 25, 1);
    expect(written).toBe(4_000);
    expect(t.writeItems(999_999, 25, 1)).toBe(0);
    expect(t.writeItems(1_000_000, 25, 1)).toBe(25);
  });
});

describe("a DynamoDB sink with room to spare: the record processors wait rate × latency ÷ items per request of their time", () => {
  // 500 records/s on one shard, 200 B records stored 6 × larger (1,200 B: 2 WCU an item), BatchWriteItem of 10 items
  // taking exactly 10 ms: each record costs 1 ms of its processor's time, so the processor waits 500 × 1 ms = 50% of
  // it (a flush's last request may be short of 10 items; flushes straddle the warmup's end: within 3%).
  const r = simulate(
    kclWith({ kind: "dynamodb", table: { capacity: "provisioned", write: 2000 }, itemsPerRequest: 10, requestLatency: fixed("10ms"), buffer: { records: 100 }, sizeFactor: 6 }),
  );
  const sk = r.sinks[0]!;
  const seconds = statSeconds(r);

  it("writes what arrives, 500 items/s at 2 WCU each (1,200 B rounded up to whole KB): 1,000 WCU/s", () => {
    expect(sk.afterWarmup.written / seconds).toBeGreaterThan(500 * 0.98);
    expect(sk.afterWarmup.written / seconds).toBeLessThan(500 * 1.02);
    expect(sk.table!.unitsPerItem).toBe(2);
    // Units count when a request is sent, items when the flush is done: within a flush of each other at the warmup's end.
    expect(sk.table!.writeUnits / (2 * sk.afterWarmup.written)).toBeCloseTo(1, 2);
    expect(sk.afterWarmup.throttledItems).toBe(0);
  });

  it("the processors wait 50% of their time (within 3%), and the table runs at 1,000 of 2,000 WCU", () => {
    expect(sk.afterWarmup.waitShare).toBeGreaterThan(0.5 * 0.97);
    expect(sk.afterWarmup.waitShare).toBeLessThan(0.5 * 1.03);
    expect(sk.afterWarmup.utilisation!).toBeGreaterThan(0.49);
    expect(sk.afterWarmup.utilisation!).toBeLessThan(0.51);
  });

  it("checkpoints after each flush, and the consumer keeps up", () => {
    const c = r.consumers[0]!;
    expect(Math.abs(c.leases!.checkpoints - sk.afterWarmup.flushes)).toBeLessThanOrEqual(1);
    expect(judge(r).consumers[0]!.bottleneck).toBe("none");
    expect(sk.accounting.balanced).toBe(true);
  });
});

describe("a sink table too small for the traffic is the one thing that holds the consumer back", () => {
  // 800 records/s over 2 shards, 1-unit items, a table of 300 WCU with 1 s of burst: the table writes 300 items a
  // second and the rest come back unprocessed, tried again 1 s later. Everything else has room: one poller, 5 %
  // of a shard's reads, an on-demand lease table, no retention problem in 10 minutes.
  const sink = { kind: "dynamodb", table: { capacity: "provisioned", write: 300, burst: "1s" }, retry: { limit: 1_000_000, backoff: "1s" } };
  const small = simulate(kclWith(sink, { shards: 2, rate: "800/s" }));
  const roomy = simulate(kclWith({ ...sink, table: { capacity: "provisioned", write: 2000, burst: "1s" } }, { shards: 2, rate: "800/s" }));
  const sk = small.sinks[0]!;

  it("the sink writes at the table's 300 WCU (within 2%), not at the 800 records/s that arrive", () => {
    const rate = sk.afterWarmup.written / statSeconds(small);
    expect(rate).toBeGreaterThan(300 * 0.98);
    expect(rate).toBeLessThan(300 * 1.02);
    expect(sk.afterWarmup.throttledItems).toBeGreaterThan(0);
  });

  it("the record processors wait on it: no next batch, so the backlog grows in the shard and the iterator age passes a minute", () => {
    const c = small.consumers[0]!;
    expect(sk.afterWarmup.waitShare).toBeGreaterThan(0.9);
    expect(c.maxIteratorAge).toBeGreaterThan(60e6);
    expect(c.accounting.unread).toBeGreaterThan(0.3 * 800 * 600);
  });

  it("a flush still being written at the end counts as waiting up to the end (the last step of the wait series is nearly whole)", () => {
    // 300 items/s written of 1,000-record flushes: a flush takes over 3 s, so one is always under way at the end; its
    // processor waits for it then as before. Counted only when a flush was done, the last steps came out near 0.
    const w = sk.series.waitShare;
    expect(w[w.length - 1]!).toBeGreaterThan(0.9);
  });

  it("the verdict names the sink; the same consumer with a table of 2,000 WCU keeps up", () => {
    expect(judge(small).consumers[0]!.bottleneck).toBe("sink");
    expect(judge(roomy).consumers[0]!.bottleneck).toBe("none");
    expect(roomy.consumers[0]!.maxIteratorAge).toBeLessThan(5e6);
  });

  it("nothing is lost: every record offered to the sink is written, buffered or being written", () => {
    const a = sk.accounting;
    expect(a.balanced).toBe(true);
    expect(a.lost).toEqual({ retriesExhausted: 0, gaveUp: 0, expired: 0 });
    expect(a.offered).toBe(a.written + a.buffered + a.writing + a.interrupted);
  });
});

describe("the Connector's emit gives up after its tries: what is left goes to IEmitter.fail() and is lost, counted", () => {
  const r = simulate(kclWith({ kind: "dynamodb", table: { capacity: "provisioned", write: 100, burst: "1s" }, retry: { limit: 2, backoff: "1s" } }, { rate: "400/s", duration: "5m" }));
  const sk = r.sinks[0]!;

  it("records are lost past the retry limit, the accounting balances, and the loss is named", () => {
    expect(sk.accounting.lost.retriesExhausted).toBeGreaterThan(0);
    expect(sk.accounting.balanced).toBe(true);
    const v = judge(r);
    expect(v.consumers[0]!.bottleneck).toBe("sink");
    expect(v.recordsLostPercent).toBeGreaterThan(0);
  });
});

describe("flush triggers", () => {
  it("a buffer that never fills flushes on its age: 5 minutes ÷ 5 s ≈ 60 flushes", () => {
    const r = simulate(kclWith({ kind: "s3", putLatency: fixed("100ms"), buffer: { records: 1_000_000, bytes: "1GiB", age: "5s" } }, { rate: "100/s", duration: "5m", warmup: "0s" }));
    const f = r.sinks[0]!.flushes;
    expect(f.records + f.bytes).toBe(0);
    // Each age counts from the end of the previous flush (100 ms later): 300 ÷ 5.1 ≈ 59.
    expect(f.age).toBeGreaterThanOrEqual(57);
    expect(f.age).toBeLessThanOrEqual(60);
  });

  it("a worker crash drops what its record processors had buffered (interrupted, not lost): the new owner processes it again", () => {
    const r = simulate(
      kclWith(
        { kind: "s3", putLatency: fixed("100ms"), buffer: { records: 1_000_000, bytes: "1GiB", age: "20s" } },
        { shards: 2, rate: "400/s", duration: "5m", warmup: "0s", consumer: { workers: 2, checkpoint: {} }, faults: [{ at: "2m", kind: "worker-crash", consumer: "app", workers: 1 }] },
      ),
    );
    const sk = r.sinks[0]!;
    expect(sk.accounting.interrupted).toBeGreaterThan(0);
    expect(sk.accounting.balanced).toBe(true);
    expect(r.consumers[0]!.reprocessed).toBeGreaterThan(0);
  });
});

describe("a record processor stopped mid-flush settles its flush at the stop", () => {
  // 1 shard of 100 records/s of 200 B (1 WCU an item) into a 1-WCU table (300 units of burst), flushes of 100 records:
  // past the burst each flush gets a unit or two a try and waits 10 s between tries (3 in all), so the only worker is
  // waiting on a flush when it crashes at 30 s. The crash ends that flush there: what the table took is written, the rest
  // interrupted (never checkpointed: the lease's next owner writes it again), nothing "being written" after. Before, the
  // flush stayed "being written" (150 records at 31 s) until its backoff ran out, its dead processor counted waiting.
  const crashAt30 = (duration: string) =>
    simulate(
      scenarioOf({
        duration,
        warmup: "0s",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", workers: 1, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 1 }, requestLatency: fixed("10ms"), buffer: { records: 100 } } }],
        faults: [{ at: "30s", kind: "worker-crash", consumer: "app", workers: 1 }],
      }),
    ).sinks[0]!;

  it("a second after the crash: nothing being written, the flush's unwritten records interrupted, the accounting balanced", () => {
    const a = crashAt30("31s").accounting;
    expect(a.balanced).toBe(true);
    expect(a.writing).toBe(0);
    expect(a.buffered).toBe(0);
    expect(a.interrupted).toBeGreaterThan(0);
    expect(a.written + a.lost.retriesExhausted + a.interrupted).toBe(a.offered);
  });

  it("its processor waited up to the crash, not after: the same wait at 30.5 s and 31 s", () => {
    const waited = (d: string, s: number) => crashAt30(d).afterWarmup.waitShare * s;
    expect(waited("31s", 31)).toBeCloseTo(waited("30500ms", 30.5), 2);
  });
});

describe("the Firehose destination models as sinks", () => {
  it("S3: one object per flush, each holding its processor for the 200 ms PUT: waited = objects × 200 ms", () => {
    const r = simulate(kclWith({ kind: "s3", putLatency: fixed("200ms") }));
    const sk = r.sinks[0]!;
    const a = sk.afterWarmup;
    expect(Math.abs(a.objects - a.flushes)).toBeLessThanOrEqual(1);
    expect(a.waitShare * statSeconds(r)).toBeCloseTo(a.objects * 0.2, 0);
    expect(sk.capacityPerSecond).toBeNull();
    // The bill: S3 PUTs at $0.005 per 1,000.
    const item = r.cost.items.find((i) => i.item === "Sink of app: S3 PUT requests")!;
    expect(item.usd).toBeCloseTo(((a.objects / statSeconds(r)) * 730 * 3_600 * PRICE.s3PutPerThousand) / 1_000, 6);
  });

  it("Redshift: COPYs one at a time; the sink's utilisation is the share of time a COPY of fixed 2 s ran", () => {
    const r = simulate(kclWith({ kind: "redshift", putLatency: fixed("100ms"), copy: { fixed: "2s", perMiB: "0s" } }, { shards: 2 }));
    const a = r.sinks[0]!.afterWarmup;
    expect(a.copies).toBeGreaterThan(0);
    expect(a.copies).toBeLessThanOrEqual(a.objects);
    // Within one COPY of the edges of the after-warmup window.
    expect(a.utilisation! * statSeconds(r)).toBeGreaterThan((a.copies - 1) * 2);
    expect(a.utilisation! * statSeconds(r)).toBeLessThan((a.copies + 1) * 2);
    expect(a.utilisation!).toBeLessThanOrEqual(1);
  });

  it("OpenSearch: bulk requests one at a time, 1 ms + their bytes at 1 MiB/s; 500 records/s of 200 B keep the domain busy 100,000 ÷ 1,048,576 of the time, plus 1 ms a request", () => {
    const r = simulate(kclWith({ kind: "opensearch", throughput: "1MiB/s", requestLatency: fixed("1ms") }));
    const a = r.sinks[0]!.afterWarmup;
    // A flush (one bulk request) when the buffer holds 1,000 records or more, checked after each batch: at most 0.5 a
    // second, each 1 ms of latency on top of its bytes.
    const busy = 100_000 / 1_048_576 + (a.requests / statSeconds(r)) * 0.001;
    expect(a.requests / statSeconds(r)).toBeLessThanOrEqual(0.5);
    expect(a.utilisation!).toBeGreaterThan(busy * 0.98);
    expect(a.utilisation!).toBeLessThan(busy * 1.02);
  });
});

describe("the sink's bill", () => {
  it("a provisioned table pays its units by the hour: 730 h × (1,500 WCU × $0.00065 + 1 RCU × $0.00013)", () => {
    const c = monthlyCost({ streams: [], leaseTables: [], sinks: [{ consumer: "app", table: { provisioned: { read: 1, write: 1_500 }, writeUnitsPerSecond: 1_400 } }] });
    expect(c.items).toEqual([{ item: "Sink of app: DynamoDB table", usd: 730 * (1_500 * 0.00065 + 1 * 0.00013) }]);
  });

  it("an on-demand table pays its write request units: 1,000 a second for a month at $0.625 per million", () => {
    const c = monthlyCost({ streams: [], leaseTables: [], sinks: [{ consumer: "app", table: { provisioned: null, writeUnitsPerSecond: 1_000 } }] });
    expect(c.items[0]!.usd).toBeCloseTo((1_000 * 730 * 3_600 * 0.625) / 1e6, 6);
  });
});

describe("the sink with the KCL's other paths", () => {
  it("a split shard's record processor flushes its buffer before SHARD_END: the parent's buffered records are written, none left behind", () => {
    const r = simulate(
      scenarioOf({
        duration: "6m",
        warmup: "0s",
        stream: { shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "300/s" }, recordSize: { dist: "fixed", size: "200B" } }],
        consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", sink: { kind: "s3", putLatency: fixed("100ms"), buffer: { records: 1_000_000, bytes: "1GiB", age: "30s" } } }],
        reshards: [{ at: "2m", kind: "split", shard: 0 }],
      }),
    );
    const sk = r.sinks[0]!;
    expect(sk.flushes.end).toBeGreaterThanOrEqual(1);
    // A KCL application's sink has no invocation flushes (a Lambda function's batches: schema 9).
    expect(sk.flushes.invocation).toBe(0);
    expect(sk.accounting.balanced).toBe(true);
    expect(sk.accounting.interrupted).toBe(0);
    // Everything processed was offered once; what is left at the end sits in the children's buffers (≤ 30 s of traffic).
    expect(sk.accounting.offered).toBe(r.consumers[0]!.accounting.processed);
    expect(sk.accounting.buffered + sk.accounting.writing).toBeLessThanOrEqual(300 * 31);
  });

  it("an enhanced fan-out application emits to a sink the same way", () => {
    const r = simulate(kclWith({ kind: "opensearch", throughput: "1MiB/s", requestLatency: fixed("1ms") }, { consumer: { kind: "fanout" } }));
    const sk = r.sinks[0]!;
    expect(sk.afterWarmup.written / statSeconds(r)).toBeGreaterThan(500 * 0.98);
    expect(sk.accounting.balanced).toBe(true);
  });

  it("checkpoint: when-due checkpoints when due, never past the last record written: due every 10 s, a flush a minute, so about one checkpoint a minute (9 after warmup)", () => {
    const r = simulate(
      kclWith(
        { kind: "s3", putLatency: fixed("100ms"), buffer: { records: 1_000_000, bytes: "1GiB", age: "60s" }, checkpoint: "when-due" },
        { consumer: { checkpoint: { every: "10s" } } },
      ),
    );
    const c = r.consumers[0]!;
    // The first flush comes after 60 s: until then nothing is written and nothing may be checkpointed; after it, a
    // checkpoint is due every 10 s but moves only when a flush has moved the written position (once a minute).
    expect(c.leases!.checkpoints).toBeGreaterThanOrEqual(8);
    expect(c.leases!.checkpoints).toBeLessThanOrEqual(10);
    expect(r.sinks[0]!.flushes.age).toBeGreaterThanOrEqual(9);
  });
});

describe("a record processor stopped before its batch is written", () => {
  // A generated case (helper-34's differential review, seed 372): KPL aggregates make batches of about 98,000 user
  // records, 195 s of processing at 2 ms a record, and the KCL 3.x assignment moves leases among the 3 workers while
  // such a batch runs. The old owner's lane closes with its lease, so its batch is never written to the sink: it is not
  // processed either (before: counted as processed, and then as processed again by the next owner, which made halving
  // perRecord look like it lowered the rate). What a sink consumer processed was written (or is still in its buffer).
  it("does not count its unwritten batch as processed", () => {
    const space = 1n << 128n;
    const key = (i: number) => ((space / 3n) * BigInt(i) + 1n).toString();
    const run = (perRecord: string) =>
      simulate(
        scenarioOf({
          seed: 59060,
          duration: "11m",
          warmup: "1m",
          stream: { name: "s", shards: 3 },
          producers: [
            { name: "p0", client: "kpl", kpl: { aggregationEnabled: true }, rate: { shape: "step", levels: [{ at: "0s", value: "450/s" }, { at: "226s", value: "900/s" }] }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: ["1"] } },
            { name: "p1", client: "sdk", rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: [key(1)] } },
            { name: "p2", client: "sdk", instances: 3, rate: { shape: "constant", value: "400/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: [key(2)] } },
          ],
          consumers: [
            { name: "c0", kind: "kcl", workers: 2, processing: { perRecord: "0.1ms", concurrency: 1 }, checkpoint: { every: "10s" }, poll: { interval: "1500ms", maxRecords: 1000 } },
            { name: "c1", kind: "kcl", workers: 3, processing: { perRecord }, checkpoint: { every: "10s" }, poll: { interval: "1500ms" }, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 10000 }, requestLatency: { dist: "fixed", value: "40ms" } } },
          ],
          faults: [{ at: "6m", kind: "worker-crash", consumer: "c0", workers: 1 }],
        }),
      );
    const r = run("2ms");
    const c = r.consumers[1]!;
    const sink = r.sinks.find((x) => x.consumer === "c1")!;
    expect(sink.accounting.interrupted).toBeGreaterThan(0); // a lane did close under a batch
    expect(c.accounting.processed).toBeLessThanOrEqual(sink.accounting.written + sink.accounting.buffered);
    expect(c.reprocessed).toBe(0);
    // Faster processing does not process less.
    const fast = run("1ms").consumers[1]!;
    expect(fast.accounting.processed).toBeGreaterThanOrEqual(c.accounting.processed);
  });
});
