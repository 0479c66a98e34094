// Resharding with SDK producers: writes follow the children's hash ranges once a reshard completes, the parents
// take no more writes, shard-hours bill the open shards (SplitShard, MergeShards, UpdateShardCount API references).
import { describe, expect, it } from "vitest";
import { HASH_KEY_SPACE } from "../../src/aws/limits.js";
import { runScenario, simulateScenario } from "../../src/run.js";
import { scenarioOf } from "./scenarioOf.js";

const S = 1_000_000;
const MIN = 60 * S;
const web = (rate: string) => ({ name: "web", client: "sdk", instances: 8, rate: { shape: "poisson", value: rate }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random", length: 36 } });

describe("UpdateShardCount 2 → 4 under 3,000 records/s", () => {
  const r = simulateScenario(
    scenarioOf({ seed: 5, duration: "20m", warmup: "1m", stream: { shards: 2 }, producers: [web("3000/s")], reshards: [{ at: "10m", kind: "update-shard-count", target: 4 }] }),
  );
  const step = r.resolutionUs;

  it("throttles at 1,500 records/s a shard until it completes (4 is a multiple of 25% of 2: done in 2 minutes), then not at all", () => {
    const { openedLoad, ...reshard } = r.reshards[0]!;
    expect(r.reshards).toHaveLength(1);
    expect(reshard).toEqual({ kind: "update-shard-count", by: "scenario", calledAtUs: 10 * MIN, doneAtUs: 12 * MIN, closed: ["shardId-000000000000", "shardId-000000000001"], opened: ["shardId-000000000002", "shardId-000000000003", "shardId-000000000004", "shardId-000000000005"], openAfter: 4 });
    // Each parent's two children's busiest second of the minute after: at least half the 3,000 records/s offered, more
    // than the parent's 1,000 records/s; each record 200 B + a 36-byte key.
    expect(openedLoad!.spanUs).toBe(MIN);
    expect(openedLoad!.byParent!.map((p) => p.parent)).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    for (const p of openedLoad!.byParent!) {
      expect(p.recordsPerSecond).toBeGreaterThan(1500);
      expect(p.bytesPerSecond).toBe(p.recordsPerSecond * 236);
    }
    const throttled = r.series.throttledRecords;
    const before = throttled.slice(Math.ceil(1 * MIN / step), Math.floor(12 * MIN / step));
    expect(before.every((x) => x > 0)).toBe(true);
    // After the reshard and the retries' tail (at most the SDK's backoff, well under a minute), nothing is throttled.
    expect(throttled.slice(Math.floor(13 * MIN / step)).every((x) => x === 0)).toBe(true);
  });

  it("the parents take no write after 12:00; each child takes about a quarter (750 records/s ± 5%)", () => {
    const [p0, p1, ...children] = r.shards;
    expect(p0!.life).toEqual({ openedAt: 0, closedAt: 12 * MIN, parents: [] });
    expect(p1!.life?.closedAt).toBe(12 * MIN);
    expect(children.map((c) => c.life?.parents)).toEqual([["shardId-000000000000"], ["shardId-000000000000"], ["shardId-000000000001"], ["shardId-000000000001"]]);
    for (const c of children) {
      const rate = c.incomingRecords / (8 * 60);
      expect(Math.abs(rate - 750) / 750).toBeLessThan(0.05);
    }
    // Ranges: the children are CreateStream's four quarters.
    expect(children.map((c) => BigInt(c.startingHashKey))).toEqual([0n, HASH_KEY_SPACE / 4n, (2n * HASH_KEY_SPACE) / 4n, (3n * HASH_KEY_SPACE) / 4n]);
  });

  it("bills the mean open shards after warmup: (2 × 11 + 4 × 8) / 19 minutes = 2.842 shards × 730 h × $0.015", () => {
    expect(r.stream.openShards).toEqual({ atStart: 2, atEnd: 4, meanAfterWarmup: (2 * 11 + 4 * 8) / 19 });
    const shardHours = r.cost.items.find((i) => i.item === "shard-hours")!.usd;
    expect(shardHours).toBeCloseTo(((2 * 11 + 4 * 8) / 19) * 730 * 0.015, 6);
    expect(r.accounting.balanced).toBe(true);
  });
});

describe("SplitShard and MergeShards", () => {
  const one = (reshards: unknown[], shards = 1) =>
    simulateScenario(scenarioOf({ seed: 2, duration: "6m", warmup: "0s", stream: { shards }, producers: [web("400/s")], reshards }));

  it("a split at a quarter of the range sends a quarter of the random keys to the first child (± 2 points)", () => {
    const r = one([{ at: "1m", kind: "split", shard: 0, hashKey: (HASH_KEY_SPACE / 4n).toString() }]);
    const [, a, b] = r.shards;
    const share = a!.incomingRecords / (a!.incomingRecords + b!.incomingRecords);
    expect(Math.abs(share - 0.25)).toBeLessThan(0.02);
    // Split and merge take 30 s (stream.reshardDuration.splitMerge): the children open at 1:30.
    expect(a!.life?.openedAt).toBe(90 * S);
  });

  it("a split called at the instant the one before completes: both complete, each child opens, each parent closes once", () => {
    // The second split is called at 1:30, when the first completes (30 s each). The stream's map completed the first on
    // its own at that call, and the stream never opened its children: the run crashed summarising them (helper-44).
    const r = one([
      { at: "1m", kind: "split", shard: 0 },
      { at: "90s", kind: "split", shard: 1 },
    ]);
    expect(r.shards.map((s) => [s.id, s.life?.openedAt, s.life?.closedAt])).toEqual([
      ["shardId-000000000000", 0, 90 * S],
      ["shardId-000000000001", 90 * S, 120 * S],
      ["shardId-000000000002", 90 * S, null],
      ["shardId-000000000003", 120 * S, null],
      ["shardId-000000000004", 120 * S, null],
    ]);
    expect(r.stream.openShards.atEnd).toBe(3);
    // Each child takes writes once open: its share of the random keys (shard 2: half the range; 3 and 4: a quarter).
    expect(r.shards[2]!.incomingRecords).toBeGreaterThan(0);
    expect(r.shards[3]!.incomingRecords).toBeGreaterThan(0);
  });

  it("a merge of two adjacent shards gives the child all their traffic", () => {
    const r = one([{ at: "1m", kind: "merge", shards: [0, 1] }], 2);
    const child = r.shards[2]!;
    expect(child.life).toEqual({ openedAt: 90 * S, closedAt: null, parents: ["shardId-000000000000", "shardId-000000000001"] });
    // 400 records/s for the 4.5 minutes it is open (Poisson: ± 3%).
    expect(Math.abs(child.incomingRecords / 270 - 400) / 400).toBeLessThan(0.03);
    expect(r.stream.openShards.atEnd).toBe(1);
  });
});

describe("an autoscaling policy (scaling-utils) reshards the stream during the run", () => {
  // 2 shards; 1,000 records/s of 200 B until 10 minutes, then 2,800/s: 140% of 2,000 records/s (70% of 4 shards, below the threshold). scaling-utils
  // (scaleUp at 75% after 5 high minutes, scalePct 200) checks every minute on published 1-minute sums, so it
  // calls UpdateShardCount 2 → 4 once five minutes at 140% are in, about 15–17 minutes into the run.
  const r = simulateScenario(
    scenarioOf({
      seed: 3,
      duration: "40m",
      warmup: "1m",
      stream: { shards: 2 },
      producers: [{ ...web("1000/s"), rate: { shape: "step", levels: [{ at: "0s", value: "1000/s" }, { at: "10m", value: "2800/s" }] } }],
      autoscaling: [{ policy: "scaling-utils", scaleOnOperation: ["PUT"], minShards: 1, maxShards: 8, checkInterval: 60, scaleUp: { scaleThresholdPct: 75, scaleAfterMins: 5, scalePct: 200, coolOffMins: 10 }, scaleDown: { scaleThresholdPct: 10, scaleAfterMins: 60, scalePct: 50 } }],
    }),
  );

  it("scales 2 → 4 once five high minutes are published, and the writes stop being throttled when it completes", () => {
    const ups = (r.streams[0]!.scaling ?? []).filter((e) => e.reason === "scale-up");
    expect(ups).toHaveLength(1);
    expect(ups[0]).toMatchObject({ policy: "scaling-utils", from: 2, to: 4, outcome: "ok" });
    expect(ups[0]!.atUs).toBeGreaterThanOrEqual(15 * MIN);
    expect(ups[0]!.atUs).toBeLessThanOrEqual(17 * MIN);
    const rs = r.reshards[0]!;
    expect(rs).toMatchObject({ kind: "update-shard-count", by: "scaling-utils", openAfter: 4, calledAtUs: ups[0]!.atUs });
    const step = r.resolutionUs;
    const throttled = r.series.throttledRecords;
    expect(throttled.slice(Math.ceil(10.5 * MIN / step), Math.floor(ups[0]!.atUs / step)).some((x) => x > 0)).toBe(true);
    expect(throttled.slice(Math.ceil((rs.doneAtUs + MIN) / step)).every((x) => x === 0)).toBe(true);
  });
});

describe("a polling KCL application across a split (parents before children)", () => {
  // 2 shards at 800 records/s (no throttling), a KCL application of 2 workers polling every second, checkpointing
  // every 30 s. At 8:00 shard 0 is split (done at 8:30): its worker reads it to SHARD_END, checkpoints, the
  // children's leases are created, and the next taker pass (every (10,000 + 25) × 2 ms = 20.05 s) takes them.
  const run = (reshards: unknown[]) =>
    simulateScenario(
      scenarioOf({
        seed: 4,
        duration: "16m",
        warmup: "1m",
        stream: { shards: 2 },
        producers: [web("800/s")],
        consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, workers: 2, checkpoint: { every: "30s" } }],
        reshards,
      }),
    );
  const split = run([{ at: "8m", kind: "split", shard: 0 }]);
  const plain = run([]);
  const c = split.consumers[0]!;

  it("processes every record of the parent and its children: nothing skipped after warmup, nothing lost, accounting balanced", () => {
    expect(c.accounting.balanced).toBe(true);
    expect(c.skippedAfterWarmup).toBe(0);
    expect(c.accounting.expiredUnread).toBe(0);
    // What is unprocessed at the end is the last second or so of traffic, not a stranded child.
    expect(c.accounting.unread).toBeLessThan(3 * 800);
  });

  it("takes the children's leases after the parent ends: 3 open shards held at the end, 2 more takes", () => {
    expect(c.leases!.perWorkerAtEnd.reduce((a, b) => a + b, 0)).toBe(3);
    expect(c.leases!.takes - plain.consumers[0]!.leases!.takes).toBe(2);
  });

  it("makes the children's records wait for the parent's end and the next taker pass: the oldest unprocessed record reaches 5–25 s (1–2 s without the split)", () => {
    expect(plain.consumers[0]!.maxOldestUnprocessedAge).toBeLessThan(3 * S);
    expect(c.maxOldestUnprocessedAge).toBeGreaterThan(5 * S);
    expect(c.maxOldestUnprocessedAge).toBeLessThanOrEqual(25 * S);
  });
});

describe("a Firehose delivery stream reading a stream that is split", () => {
  // 1 shard at 500 records/s of 200 B, split at 3:00 (done 3:30); Firehose polls each shard once a second and
  // buffers 1 MiB or 60 s. It reads the parent to its end, then the children.
  const r = simulateScenario(
    scenarioOf({
      seed: 6,
      duration: "10m",
      warmup: "1m",
      stream: { name: "s", shards: 1 },
      producers: [web("500/s")],
      firehose: [{ name: "fh", source: "s", buffer: { size: "1MiB", interval: "60s" }, destination: { kind: "s3" } }],
      reshards: [{ at: "3m", kind: "split", shard: 0 }],
    }),
  );
  const f = r.firehose[0]!;

  it("reads every record of the parent and the children: the delivery stream's accounting balances with nothing lost", () => {
    expect(f.accounting.balanced).toBe(true);
    expect(f.accounting.gaveUp + f.accounting.expired + f.accounting.processingFailed).toBe(0);
    // Everything the stream accepted came in, but for the last second's records not polled yet.
    expect(r.accounting.accepted - f.accounting.in).toBeLessThan(2 * 500);
  });

  it("keeps DataFreshness within the buffer interval and a poll or two (the children are read once the parent ended)", () => {
    expect(f.maxDataFreshness).toBeLessThan(65 * S);
  });
});

describe("an enhanced fan-out KCL application across a split", () => {
  // The same split as the polling case, read through SubscribeToShard: the parent's subscription pushes what is
  // left and ends the shard; the children's leases are taken by the next taker pass and subscribed to.
  const r = simulateScenario(
    scenarioOf({
      seed: 4,
      duration: "16m",
      warmup: "1m",
      stream: { shards: 2 },
      producers: [web("800/s")],
      consumers: [{ name: "efo", kind: "fanout", kcl: { version: 2 }, workers: 2, checkpoint: { every: "30s" } }],
      reshards: [{ at: "8m", kind: "split", shard: 0 }],
    }),
  );
  const c = r.consumers[0]!;

  it("processes every record (nothing skipped after warmup or expired), holds 3 leases at the end, and the children's records wait at most the next taker pass", () => {
    expect(c.accounting.balanced).toBe(true);
    expect(c.skippedAfterWarmup).toBe(0);
    expect(c.accounting.expiredUnread).toBe(0);
    expect(c.accounting.unread).toBeLessThan(3 * 800);
    expect(c.leases!.perWorkerAtEnd.reduce((a, b) => a + b, 0)).toBe(3);
    expect(c.maxOldestUnprocessedAge).toBeGreaterThan(5 * S);
    expect(c.maxOldestUnprocessedAge).toBeLessThanOrEqual(25 * S);
  });
});

describe("an enhanced fan-out KCL application across a merge, its child lease taken while a parent is still read", () => {
  // Found by the property tests: one hot key writes 190 records/s to one parent, and the application's 50-WCU sink
  // table keeps its record processor behind there; the other parent ends first, the child's lease is taken, and the
  // records arriving in the child woke its session before it had subscribed (it waits for both parents to be
  // finished), so the push found no subscription and the run crashed.
  const r = simulateScenario(
    scenarioOf({
      seed: 904075,
      duration: "56s",
      warmup: "3s",
      stream: { name: "s", shards: 4 },
      producers: [{ name: "p1", client: "sdk", instances: 1, rate: { shape: "poisson", value: "190/s" }, recordSize: { dist: "fixed", size: "1B" }, partitionKey: { kind: "zipf", keys: 1, exponent: 0 } }],
      consumers: [{ name: "efo", kind: "fanout", kcl: { version: 2 }, processing: { perRecord: "0ms" }, sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 50, burst: "1s" }, retry: { limit: 2, backoff: "1s" } } }],
      reshards: [{ at: "2s", kind: "merge", shards: [0, 1] }],
    }),
  );
  const c = r.consumers[0]!;

  it("subscribes to the child only once its parents are finished: the run completes, the accounting balances and nothing expires", () => {
    expect(r.shards[4]!.life?.parents).toEqual(["shardId-000000000000", "shardId-000000000001"]);
    expect(c.accounting.balanced).toBe(true);
    expect(c.accounting.expiredUnread).toBe(0);
  });
});

describe("the report's Reshards section", () => {
  it("says what each reshard closed and opened, when throttling stopped, and the lag it caused each consumer", () => {
    const out = runScenario(
      scenarioOf({ seed: 4, duration: "16m", warmup: "1m", stream: { shards: 2 }, producers: [web("800/s")], consumers: [{ name: "app", kind: "kcl", kcl: { version: 2 }, workers: 2, checkpoint: { every: "30s" } }], reshards: [{ at: "8m", kind: "split", shard: 0 }] }),
      { scenarioFile: "t.yaml", scenarioSha256: "0" },
    );
    const md = out.files["report.md"];
    const line = md.split("\n").find((l) => l.startsWith("- SplitShard of shardId-000000000000"))!;
    expect(line).toContain("called at 0:08:00, the stream UPDATING until 0:08:30; closed shardId-000000000000; opened shardId-000000000002, shardId-000000000003 (3 open shards); no write was throttled from the call on");
    const lag = /consumer app's oldest unprocessed record reached ([\d.]+) s/.exec(line);
    expect(Number(lag![1])).toBeGreaterThan(5);
    expect(Number(lag![1])).toBeLessThanOrEqual(25);
    // The shard table gives each shard's life.
    expect(md).toContain("| shardId-000000000002 | from 0:08:30 (child of shardId-000000000000) |");
  });
});

describe("the sweep's reason for a stream that reshards", () => {
  it("is write capacity when the throttling is spread over the shards (on-demand capacity arriving late), not a hot shard", async () => {
    const { reasonsOf } = await import("../../src/sweep/summary.js");
    const { judge } = await import("../../src/result/judge.js");
    // 2 shards at 3,000 records/s, UpdateShardCount to 4 at 10:00: both parents throttle about equally.
    const r = simulateScenario(
      scenarioOf({ seed: 5, duration: "20m", warmup: "1m", stream: { shards: 2 }, producers: [web("3000/s")], reshards: [{ at: "10m", kind: "update-shard-count", target: 4 }], slo: { writeThrottledPercent: 0.1 } }),
    );
    const reasons = reasonsOf(r, judge(r)).map((x) => x.reason);
    expect(reasons.join(" | ")).toMatch(/^write capacity: shard write records on 2 of the 6 shards the run saw \(the stream resharded: 2 → 4 open\)/);
    expect(reasons.join(" | ")).not.toMatch(/hot shard/);
  });
});

describe("a KPL producer across a split: its shard map is stale until a wrong-shard result", () => {
  // 4,000 user records/s on 2 shards with random keys: 2,000/s predicted for shard 0. After the split completes
  // (5:30) the KPL still predicts shard 0; the stream routes the aggregates by hash key to the children, the KPL
  // sees wrong-shard results, reads the map again 500 ms later (KPL_SHARD_MAP_REFRESH_MS) and puts those records
  // again: about 2,000/s × (0.5 s + the window in flight) are written twice.
  const r = simulateScenario(
    scenarioOf({
      seed: 8,
      duration: "10m",
      warmup: "1m",
      stream: { shards: 2 },
      producers: [{ name: "app", client: "kpl", instances: 4, rate: { shape: "poisson", value: "4000/s" }, recordSize: { dist: "fixed", size: "200B" }, partitionKey: { kind: "random", length: 36 } }],
      reshards: [{ at: "5m", kind: "split", shard: 0 }],
    }),
  );
  const p = r.producers[0]!;

  it("writes about half a second of the parent's records twice, and nothing is lost", () => {
    expect(p.wrongShard).toBeDefined();
    expect(p.wrongShard!.sentAgain).toBeGreaterThan(800);
    expect(p.wrongShard!.sentAgain).toBeLessThan(1_600);
    // No throttling: every record sent again is written again.
    expect(p.wrongShard!.writtenAgain).toBe(p.wrongShard!.sentAgain);
    expect(r.accounting.balanced).toBe(true);
    expect(p.lost.expiredKplTtl + p.lost.throttledPastRetries).toBe(0);
  });

  it("routes by the new map afterwards: the children take the parent's 2,000 records/s between them", () => {
    const [, , a, b] = r.shards;
    const rate = (a!.incomingRecords + b!.incomingRecords) / (4.5 * 60);
    // Kinesis records (aggregates), not user records: check the split of the parent's traffic instead.
    expect(a!.incomingRecords / (a!.incomingRecords + b!.incomingRecords)).toBeGreaterThan(0.45);
    expect(a!.incomingRecords / (a!.incomingRecords + b!.incomingRecords)).toBeLessThan(0.55);
    expect(rate).toBeGreaterThan(0);
  });
});

describe("an application writing on to a stream that is split", () => {
  // raw (2 shards) → enricher (KCL) → enriched (1 shard, split at 3:00 into 2): the enricher's 900 records/s
  // into enriched follow the children's hash ranges once the split completes.
  const r = simulateScenario(
    scenarioOf({
      seed: 2,
      duration: "8m",
      warmup: "1m",
      streams: [
        { name: "raw", shards: 2 },
        { name: "enriched", shards: 1 },
      ],
      producers: [{ ...web("900/s"), stream: "raw" }],
      consumers: [{ name: "enricher", kind: "kcl", kcl: { version: 2 }, stream: "raw", workers: 2, output: { stream: "enriched", partitionKey: { kind: "random", length: 36 } } }],
      reshards: [{ at: "3m", kind: "split", stream: "enriched", shard: 0 }],
    }),
  );

  it("writes into both children after the split, about half each, and the accounting balances", () => {
    const enriched = r.streams.find((s) => s.stream.name === "enriched")!;
    const [parent, a, b] = enriched.shards;
    expect(parent!.life?.closedAt).toBe(3.5 * MIN);
    const share = a!.incomingRecords / (a!.incomingRecords + b!.incomingRecords);
    expect(Math.abs(share - 0.5)).toBeLessThan(0.05);
    expect(enriched.accounting.balanced).toBe(true);
  });
});

describe("a closed shard expires once its records pass the retention period", () => {
  it("closed at 0:10:30 with 24 h retention: expired at 24:10:30, and the shard table says so", () => {
    const out = runScenario(
      scenarioOf({ seed: 1, duration: "25h", warmup: "0s", stream: { shards: 1 }, producers: [web("10/s")], reshards: [{ at: "10m", kind: "split", shard: 0 }] }),
      { scenarioFile: "t.yaml", scenarioSha256: "0" },
    );
    const parent = out.result.shards[0]!;
    expect(parent.life).toEqual({ openedAt: 0, closedAt: 10.5 * MIN, parents: [], expiredAt: 10.5 * MIN + 24 * 60 * MIN });
    expect(out.result.shards[1]!.life?.expiredAt).toBeUndefined();
    expect(out.files["report.md"]).toContain("| shardId-000000000000 | from the start to 0:10:30, expired 24:10:30 |");
  });
});

describe("the report of a reshard still in progress at the end", () => {
  // UpdateShardCount from 2 to 4 called at 10:00 of an 11-minute run: it completes after the run, so within the run no
  // shard closed or opened. The report says what it does when it completes, and its per-shard arrays hold the shards
  // the run saw (the 2 open ones), not room for the children.
  const out = runScenario(
    scenarioOf({ seed: 5, duration: "11m", warmup: "1m", stream: { shards: 2 }, producers: [web("1500/s")], consumers: [{ name: "app", kind: "kcl", workers: 2 }], reshards: [{ at: "10m", kind: "update-shard-count", target: 4 }] }),
    { scenarioFile: "t.yaml", scenarioSha256: "0" },
  );
  const json = JSON.parse(out.files["report.json"]);

  it("says it is still in progress, with its target, and closes and opens nothing within the run", () => {
    const r = json.stream.reshards[0];
    expect(r.doneAtSeconds).toBeGreaterThan(660);
    expect(r).toMatchObject({ kind: "update-shard-count", calledAtSeconds: 600, closed: [], opened: [], openShardsAfter: 2, inProgressAtEnd: { closing: ["shardId-000000000000", "shardId-000000000001"], opening: 4 } });
    const line = out.files["report.md"].split("\n").find((l: string) => l.startsWith("- UpdateShardCount to 4"))!;
    expect(line).toContain("called at 0:10:00, still in progress at the end of the run (the stream UPDATING until");
    expect(line).toContain("it closes 2 shards and opens 4 then, none within the run (2 open shards at the end)");
  });

  it("gives per-shard figures for the shards the run saw", () => {
    expect(out.result.consumers[0]!.maxOldestUnprocessedAgeByShard).toHaveLength(2);
    expect(out.result.consumers[0]!.maxIteratorAgeByShard).toHaveLength(2);
  });
});

describe("the report of a split still in progress at the end", () => {
  // SplitShard of shard 0 at 2:50 of a 3-minute run: it completes 30 s later, after the run.
  it("names the shard it splits and what it opens when it completes", () => {
    const out = runScenario(scenarioOf({ seed: 5, duration: "3m", warmup: "1m", stream: { shards: 2 }, producers: [web("800/s")], reshards: [{ at: "170s", kind: "split", shard: 0 }] }), { scenarioFile: "t.yaml", scenarioSha256: "0" });
    const line = out.files["report.md"].split("\n").find((l: string) => l.startsWith("- SplitShard of "))!;
    expect(line).toContain("- SplitShard of shardId-000000000000: called at 0:02:50, still in progress at the end of the run (the stream UPDATING until 0:03:20): it closes 1 shard and opens 2 then, none within the run (2 open shards at the end)");
  });
});

describe("the per-shard figures of a consumer of an on-demand stream", () => {
  // An on-demand stream (4 shards at the start, room in the model for the splits the service may make) that does not
  // split in 4 minutes: a KCL application's per-shard figures have one entry a shard the run saw, 4.
  it("has one entry a shard the run saw, in its ages and its record processors' times", () => {
    const out = runScenario(scenarioOf({ seed: 5, duration: "4m", warmup: "1m", stream: { mode: "on-demand" }, producers: [web("800/s")], consumers: [{ name: "app", kind: "kcl", workers: 2 }] }), { scenarioFile: "t.yaml", scenarioSha256: "0" });
    const c = out.result.consumers[0]!;
    expect(out.result.shards).toHaveLength(4);
    expect(c.maxOldestUnprocessedAgeByShard).toHaveLength(4);
    expect(c.maxIteratorAgeByShard).toHaveLength(4);
    expect(c.processorTime!.processing).toHaveLength(4);
    expect(c.processorTime!.finishedAtUs).toHaveLength(4);
  });
});
