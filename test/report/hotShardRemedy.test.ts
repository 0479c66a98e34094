// The hot shard remedy on simulated runs: a throttled shard's traffic by hash key (each key's MD5 hash key, worked
// out here with node:crypto), the split that balances it, "no split can help" when one key alone is over a shard's
// limits, and the `reshards:` YAML of report.md, which must parse as the scenario language's split and name an open
// shard and a hash key inside its range.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runScenario, type RunOutputs } from "../../src/run.js";
import { parseScenario, ReshardSchema, ScenarioSchema } from "../../src/scenario/index.js";
import type { ReportJson } from "../../src/report/reportTypes.js";
import { PROVENANCE, runResult } from "./runResultFixture.js";
import { evenShardProposal } from "./splitProposalFixture.js";
import { buildReportJson } from "../../src/report/json.js";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { durationLiteral, reshardsYaml, splitLines } from "../../src/report/verdict.js";
import type { SplitChild, SplitProposal } from "../../src/result/splitProposal.js";

const hashKeyOf = (key: string) => BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`);

function run(o: { shards: number; rate: string; partitionKey: Record<string, unknown>; size?: string }): RunOutputs {
  const scenario = ScenarioSchema.parse({
    name: "remedy",
    seed: 3,
    duration: "60s",
    warmup: "10s",
    stream: { name: "events", shards: o.shards },
    producers: [{ name: "app", client: "sdk", instances: 4, rate: { shape: "poisson", value: o.rate }, recordSize: { dist: "fixed", size: o.size ?? "100B" }, partitionKey: o.partitionKey }],
  });
  return runScenario(scenario, PROVENANCE);
}

/** The ```yaml block of report.md, parsed. */
function yamlBlock(md: string): { reshards: unknown[] } | null {
  const m = /```yaml\n([\s\S]*?)```/.exec(md);
  return m ? (parseYaml(m[1]!) as { reshards: unknown[] }) : null;
}

/** Records/s the producer offered after warmup (measured; 50 s of statistics). */
const offered = (o: RunOutputs) => o.result.producers[0]!.offeredKinesisAfterWarmup / 50;

/** Every reshard of the YAML parses as a split of an open shard at a hash key in start + 1 .. end. */
function expectReplayable(o: RunOutputs): void {
  const yaml = yamlBlock(o.files["report.md"]);
  expect(yaml).not.toBeNull();
  for (const entry of yaml!.reshards) {
    const split = ReshardSchema.parse(entry);
    expect(split.kind).toBe("split");
    if (split.kind !== "split") continue;
    expect(split.at).toBe(o.result.warmupUs);
    const shard = o.result.shards.find((s) => s.id === split.shard);
    expect(shard).toBeDefined(); // no reshards run: every shard of the run is open
    const h = BigInt(split.hashKey!);
    expect(h > BigInt(shard!.startingHashKey) && h <= BigInt(shard!.endingHashKey)).toBe(true);
  }
  const json = JSON.parse(o.files["report.json"]) as ReportJson;
  expect(json.verdict.hotShardSplits!.map((p) => p.reshard).filter((x) => x !== null)).toEqual(yaml!.reshards);
}

describe("two Zipf keys on one shard (exponent 1: shares 2/3 and 1/3) at 1,350 records/s", () => {
  // device-1 900 records/s, device-2 450: 1,350 on the stream's one shard, over its 1,000. Discrete keys only, so
  // the split falls just before the key with the larger hash key; the children get the two keys' rates.
  const o = run({ shards: 1, rate: "1350/s", partitionKey: { kind: "zipf", keys: 2, exponent: 1, prefix: "device-", names: "ranked" } });
  const [p] = o.verdict.hotShardSplits;
  const [lower, upper] = ["device-1", "device-2"].sort((a, b) => (hashKeyOf(a) < hashKeyOf(b) ? -1 : 1)) as [string, string];
  const share = { "device-1": 2 / 3, "device-2": 1 / 3 } as Record<string, number>;

  it("the shard throttled, and the split is at the hash key of the key that hashes higher", () => {
    expect(o.result.shards[0]!.throttledRecords).toBeGreaterThan(0);
    expect(p!.shard).toBe("shardId-000000000000");
    expect(p!.split!.hashKey).toBe(hashKeyOf(upper).toString());
    expect(p!.split!.beforeKey).toBe(upper);
  });

  it("the children get the keys' rates (offered after warmup × share: about 900 and 450 records/s), and fit", () => {
    const [a, b] = p!.split!.children;
    expect(a.recordsPerSecond).toBeCloseTo(offered(o) * share[lower]!, 6);
    expect(b.recordsPerSecond).toBeCloseTo(offered(o) * share[upper]!, 6);
    expect(Math.abs(offered(o) / 1_350 - 1)).toBeLessThan(0.02);
    expect(p!.fits).toBe(true);
    expect(p!.tooHot).toEqual([]);
  });

  it("report.md says so in the hottest-shard bullet and the Hot shard remedy section, with YAML that replays it", () => {
    const md = o.files["report.md"];
    expect(md).toContain(`A split at hash key ${hashKeyOf(upper)} would leave its children ${Math.round(offered(o) * share[lower]!).toLocaleString("en-US")} records/s and ${Math.round(offered(o) * share[upper]!).toLocaleString("en-US")} records/s expected: both within a shard's limits`);
    expect(md).toContain("## Hot shard remedy");
    expect(md).toContain(`just before key \`${upper}\``);
    expect(md).toContain("Both children would be within a shard's limits");
    expectReplayable(o);
  });
});

describe("two hot keys at the ends of a shard and random keys between (2 shards, 2,000 records/s)", () => {
  // tenant-27 (hash key at 19.8% of shard 0's range) and tenant-2 (at 83.0%), 30% each: 600 records/s each; the 40%
  // random keys spread over both shards, 400 on shard 0. Shard 0: 1,600. Between the keys the left child grows as
  // 600 + 400·u and the right shrinks as 1,000 − 400·u: they meet at u = 0.5, 800 each.
  const o = run({
    shards: 2,
    rate: "2000/s",
    partitionKey: { kind: "hotKeys", keys: [{ key: "tenant-27", share: 0.3 }, { key: "tenant-2", share: 0.3 }], otherLength: 36 },
  });
  const [p] = o.verdict.hotShardSplits;

  it("both keys are on shard 0 (hash keys below 2^127)", () => {
    expect(hashKeyOf("tenant-27") < 2n ** 127n && hashKeyOf("tenant-2") < 2n ** 127n).toBe(true);
    expect(p!.shard).toBe("shardId-000000000000");
  });

  it("the split is at the middle of the range (± 1), inside the random keys' spread; 800 records/s each", () => {
    const mid = 2n ** 126n;
    const h = BigInt(p!.split!.hashKey);
    expect(h - mid <= 1n && mid - h <= 1n).toBe(true);
    expect(p!.split!.beforeKey).toBeNull();
    const [a, b] = p!.split!.children;
    expect(a.recordsPerSecond).toBeCloseTo(offered(o) * 0.4, 6);
    expect(b.recordsPerSecond).toBeCloseTo(offered(o) * 0.4, 6);
    expect(p!.spreadShare).toBeCloseTo(0.2 / 0.8, 12);
    expect(p!.fits).toBe(true);
    expect(o.files["report.md"]).toContain("inside the spread of random keys");
    expectReplayable(o);
  });
});

describe("one key at 600 records/s of 2 KiB (60% of 1,000)", () => {
  // 600 records/s is 60% of a shard's 1,000 records/s, but 600 × 2 KiB = 1.17 MiB/s is over its 1 MiB/s: the key is
  // too hot by bytes, and the hottest-shard bullet says so with the bytes, not "more than a shard accepts" of 600 records/s.
  const o = run({ shards: 1, rate: "1000/s", size: "2KiB", partitionKey: { kind: "hotKeys", keys: [{ key: "sensor-1", share: 0.6 }], otherLength: 36 } });
  const [p] = o.verdict.hotShardSplits;

  it("no split brings it within the limits, by the byte limit it passes", () => {
    expect(p!.tooHot.map((k) => k.key)).toEqual(["sensor-1"]);
    const k = p!.tooHot[0]!;
    expect(k.recordsPerSecond).toBeLessThan(1000);
    expect(k.bytesPerSecond).toBeGreaterThan(1024 * 1024);
    expect(o.files["report.md"]).toMatch(/No split of it can bring it within a shard's limits: key `sensor-1` alone offers [\d,]+ records\/s and 1\.\d+ MiB\/s \(1\d\d\.\d% of a shard's 1 MiB\/s\); a split at hash key \d+ would still lighten it/);
    expect(o.files["report.md"]).not.toContain("more than a shard accepts");
  });
});

describe("one key at 1,500 records/s (75% of 2,000)", () => {
  const o = run({ shards: 1, rate: "2000/s", partitionKey: { kind: "hotKeys", keys: [{ key: "sensor-1", share: 0.75 }], otherLength: 36 } });
  const [p] = o.verdict.hotShardSplits;

  it("no split brings it within the limits: the key is named with its rate; the split that moves the random keys off it is offered", () => {
    expect(p!.tooHot.map((k) => k.key)).toEqual(["sensor-1"]);
    expect(p!.tooHot[0]!.recordsPerSecond).toBeCloseTo(offered(o) * 0.75, 6);
    const md = o.files["report.md"];
    const rate = `${Math.round(offered(o) * 0.75).toLocaleString("en-US")} records/s`;
    expect(md).toContain(`No split of it can bring it within a shard's limits: key \`sensor-1\` alone offers ${rate}`);
    expect(md).toContain(`**No split can bring it within a shard's limits: key \`sensor-1\` alone offers ${rate}`);
    // The other 500 records/s are random keys: the split puts most of them beside, not with, the key.
    const [a, b] = p!.split!.children;
    expect(Math.min(a.recordsPerSecond, b.recordsPerSecond)).toBeGreaterThan(400);
    expect(yamlBlock(md)!.reshards).toHaveLength(1);
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    expect(json.verdict.hotShardSplits![0]!.reshard).not.toBeNull();
  });
});

describe("the sample scenarios/hot-key.yaml", () => {
  // 4,000 records/s over 2,000 Zipf keys (exponent 1.3) on 8 shards. device-1 has 1 / H(2000, 1.3) = 27.8% of the
  // records: 1,112 records/s alone, over a shard's 1,000 — no split can help. Its shard's load is the shares of the
  // keys that MD5 routes there (worked out here) times the producer's offered rate.
  const file = "scenarios/hot-key.yaml";
  const o = runScenario(parseScenario(readFileSync(file, "utf8"), file), { ...PROVENANCE, scenarioFile: file });
  const [p] = o.verdict.hotShardSplits;
  let h = 0;
  for (let i = 1; i <= 2_000; i++) h += i ** -1.3;
  const width = 2n ** 128n / 8n;
  const shardOf = (key: string) => Number(hashKeyOf(key) / width);
  const seconds = 540;
  const rate = o.result.producers[0]!.offeredKinesisAfterWarmup / seconds;

  it("proposes for the shard that holds device-1, and finds device-1 alone over the record limit", () => {
    expect(p!.shard).toBe(`shardId-${String(shardOf("device-1")).padStart(12, "0")}`);
    expect(p!.tooHot.map((k) => k.key)).toEqual(["device-1"]);
    expect(p!.tooHot[0]!.recordsPerSecond).toBeCloseTo(rate / h, 6);
    expect(Math.abs(p!.tooHot[0]!.recordsPerSecond / (4_000 / h) - 1)).toBeLessThan(0.01);
    expect(4_000 / h).toBeGreaterThan(1_100);
    expect(p!.childrenNeeded).toBeNull();
  });

  it("the shard's load is the routed keys' shares × the offered rate", () => {
    const s = shardOf("device-1");
    let share = 0;
    let keys = 0;
    for (let i = 1; i <= 2_000; i++) {
      if (shardOf(`device-${i}`) !== s) continue;
      share += i ** -1.3 / h;
      keys++;
    }
    expect(p!.keys).toBe(keys);
    expect(p!.load.recordsPerSecond).toBeCloseTo(rate * share, 6);
    expect(p!.load.recordsPerSecond).toBeGreaterThan(1_250);
  });

  it("report.md says no split brings it within the limits, yet offers the split that lightens it, which replayed throttles less", () => {
    // device-1 alone is over a shard's limits, but its shard also takes the keys beside it: a split just before
    // device-1 moves 140 of them to the other child (helper-44: "no split can help" was false of such a shard).
    expect(o.files["report.md"]).toContain("**No split can bring it within a shard's limits: key `device-1` alone offers");
    expect(o.files["report.md"]).toContain("A split still moves most of the other keys to the other child");
    const [a, b] = p!.split!.children;
    expect(Math.max(a.peakUtilisation, b.peakUtilisation)).toBeLessThan(p!.load.peakUtilisation);
    const yaml = yamlBlock(o.files["report.md"])!;
    expect(yaml.reshards).toHaveLength(1);
    const scenario = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown>;
    const replayed = runScenario(ScenarioSchema.parse({ ...scenario, reshards: yaml.reshards }), { ...PROVENANCE, scenarioFile: file });
    const hot = (x: RunOutputs) => x.result.shards.find((sh) => sh.id === p!.shard)!.throttledRecords;
    expect(hot(replayed)).toBeLessThan(hot(o));
  });
});

describe("without throttling", () => {
  it("no proposal, no Hot shard remedy section, no hotShardSplits in report.json", () => {
    const r = runResult();
    expect(buildReportMarkdown(r, PROVENANCE)).not.toContain("Hot shard remedy");
    expect(buildReportJson(r, PROVENANCE).verdict.hotShardSplits).toBeUndefined();
  });
});

const NO_SPLIT =
  "- No split of it is proposed: a split is the remedy for a shard hot for its keys, more than 10% over an even spread's share of the stream's records, and this one is not (above).";

describe("the words and the YAML, from proposals built by hand", () => {
  const proposal = (over: Partial<SplitProposal>): SplitProposal => evenShardProposal("enriched", 2, over);
  const child = (from: string, to: string) => ({ ...proposal({}).load, recordsPerSecond: 650, utilisation: 0.65, peakUtilisation: 0.65, startingHashKey: from, endingHashKey: to, keys: 0 });
  const split = { hashKey: "150", beforeKey: null, children: [child("100", "149"), child("150", "199")] as [SplitChild, SplitChild] };

  it("names the stream when the scenario has several, at the warmup's end in the scenario's units", () => {
    const hot = { split, shareOfStream: 0.75, evenlyLoaded: false };
    expect(reshardsYaml([proposal(hot)], 90_000_000, true)).toBe(
      'reshards:\n  - { at: 90s, kind: split, stream: enriched, shard: shardId-000000000001, hashKey: "150" }',
    );
    expect(reshardsYaml([proposal(hot)], 120_000_000, false)).toBe('reshards:\n  - { at: 2m, kind: split, shard: shardId-000000000001, hashKey: "150" }');
    expect(reshardsYaml([proposal({})], 0, false)).toBeNull();
    // A shard not hot for its keys: no entry, whatever its split.
    expect(reshardsYaml([proposal({ split })], 0, false)).toBeNull();
    expect(reshardsYaml([proposal({ split, shareOfStream: 0.2, evenShare: 0.25, evenlyLoaded: false, belowEven: true })], 0, false)).toBeNull();
    expect(["0s", "1h", "1500ms", "7us"]).toEqual([0, 3_600_000_000, 1_500_000, 7].map(durationLiteral));
  });

  it("an evenly loaded shard is called the stream's shortage, with the shard count that doubles it", () => {
    const lines = splitLines(proposal({ split }), { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 });
    expect(lines.join("\n")).toContain("It carries 50.0% of the stream's records by key routing, about an even spread's 50.0%");
    expect(lines.join("\n")).toContain("update-shard-count; doubling to 4 halves every shard's hash key range");
    expect(lines.join("\n")).not.toContain("Split at");
    expect(lines[lines.length - 1]).toBe(NO_SPLIT);
    expect(splitLines(proposal({ split, shareOfStream: 0.75, evenlyLoaded: false }), { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 }).join("\n")).not.toContain("It carries");
  });

  it("a shard under an even share yet over a shard's limits shows the stream short of capacity, not an even spread (helper-62)", () => {
    // 20% of 1,300 ÷ 0.2 = 6,500 records/s on a 4-shard stream's 4,000: short of capacity, whatever the other shards' keys.
    const lines = splitLines(proposal({ split, shareOfStream: 0.2, evenShare: 0.25, evenlyLoaded: false, belowEven: true }), { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 });
    expect(lines.join("\n")).toContain(
      "- It carries 20.0% of the stream's records by key routing, under an even spread's 25.0%, yet its writers offered it 130.0% of a shard's limits: the stream as a whole is short of capacity, and adding shards to it lowers this shard's load with every other's (update-shard-count; doubling to 8 halves every shard's hash key range).",
    );
    expect(lines.join("\n")).not.toContain("Split at");
    expect(lines[lines.length - 1]).toBe(NO_SPLIT);
  });
});

describe("a hot shard of an on-demand stream", () => {
  // Two keys at 800 records/s each on the first of an on-demand stream's four shards (hash keys 2·10^37 and 6·10^37,
  // both in its first quarter of the range): 1,600 records/s over its 1,000, while the stream's open shards hold twice
  // its peak, so the service never splits it. A split between the keys would leave each child 800 records/s, but
  // SplitShard works on a provisioned stream only (API Reference, SplitShard): the remedy says so and offers no YAML.
  const onDemand = () =>
    runScenario(
      ScenarioSchema.parse({
        name: "remedy-on-demand",
        seed: 1,
        duration: "4m",
        warmup: "1m",
        stream: { name: "s", mode: "on-demand" },
        producers: [
          {
            name: "p",
            client: "sdk",
            rate: { shape: "constant", value: "1600/s" },
            recordSize: { dist: "fixed", size: "200B" },
            partitionKey: { kind: "explicit", hashKeys: ["20000000000000000000000000000000000000", "60000000000000000000000000000000000000"] },
          },
        ],
      }),
      PROVENANCE,
    );

  it("proposes the split and says the scenario cannot replay it, with no reshards: YAML", () => {
    const o = onDemand();
    const json = JSON.parse(o.files["report.json"]) as ReportJson;
    const p = json.verdict.hotShardSplits![0]!;
    expect(p.split!.hashKey).toBe("60000000000000000000000000000000000000");
    expect(p.fits).toBe(true);
    expect(p.reshard).toBeNull();
    expect(p.replayRefused).toMatch(/^split works on a provisioned stream only; the stream is on-demand at that time/);
    expect(o.files["report.md"]).toContain("This scenario cannot replay the split as a `reshards:` entry at the end of its warmup: split works on a provisioned stream only");
    expect(yamlBlock(o.files["report.md"])).toBeNull();
  });
});

describe("a hot shard whose split would invalidate the scenario's own merge", () => {
  // Two keys at 800 records/s each on shard 0 of two, and the scenario merges shards 0 and 1 at 40 s. A split of shard
  // 0 at the end of the warmup (10 s) would close it, and the merge at 40 s would then name a closed shard.
  const input = (reshards: unknown[]) => ({
    name: "remedy-merge",
    seed: 3,
    duration: "60s",
    warmup: "10s",
    stream: { name: "events", shards: 2 },
    producers: [{ name: "app", client: "sdk", rate: { shape: "poisson", value: "1600/s" }, recordSize: { dist: "fixed", size: "100B" }, partitionKey: { kind: "explicit", hashKeys: ["20000000000000000000000000000000000000", "60000000000000000000000000000000000000"] } }],
    reshards,
  });
  const own = [{ at: "40s", kind: "merge", shards: [0, 1] }];

  it("offers no reshards: entry, and names the scenario's reshard it would invalidate", () => {
    const o = runScenario(ScenarioSchema.parse(input(own)), PROVENANCE);
    const p = (JSON.parse(o.files["report.json"]) as ReportJson).verdict.hotShardSplits![0]!;
    expect(p.split).not.toBeNull();
    expect(p.reshard).toBeNull();
    expect(p.replayRefused).toMatch(/^its reshards\[0\] would then be refused: shardId-000000000000 is closed/);
    // The entry the remedy would have offered does make the scenario invalid.
    const entry = { at: "10s", kind: "split", shard: p.shard, hashKey: p.split!.hashKey };
    expect(ScenarioSchema.safeParse(input([...own, entry])).success).toBe(false);
  });
});

describe("several throttled shards hot for their keys (helper-44's staggering: 3 of 4 shards at 120%)", () => {
  // Three splits (the section's limit) all at the end of the warmup did not validate: a stream takes one reshard at a
  // time, and the second came while the first kept it UPDATING until 1:30 (reshardDuration.splitMerge, 30 s). helper-44's
  // 4 shards of random keys are evenly loaded, and get no split now: here two hash keys on each of shards 0, 1 and 2
  // (each a third of the records, over an even 25% by more than 10%) and none on shard 3, 3,600 records/s in all.
  const scenario = {
    name: "uni",
    seed: 5,
    duration: "5m",
    warmup: "1m",
    stream: { name: "s", shards: 4 },
    producers: [
      {
        name: "p",
        client: "sdk",
        rate: { shape: "poisson", value: "3600/s" },
        recordSize: { dist: "fixed", size: "100B" },
        partitionKey: { kind: "explicit", hashKeys: ["10000000000000000000000000000000000000", "50000000000000000000000000000000000000", "100000000000000000000000000000000000000", "150000000000000000000000000000000000000", "180000000000000000000000000000000000000", "240000000000000000000000000000000000000"] },
      },
    ],
    slo: { writeThrottledPercent: 0.1 },
  };
  const o = runScenario(ScenarioSchema.parse(scenario), PROVENANCE);

  it("staggers the snippet's splits by the split's duration, and the scenario with them validates and throttles less", () => {
    expect(o.verdict.hotShardSplits.map((p) => p.shard).sort()).toEqual(["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]);
    for (const p of o.verdict.hotShardSplits) expect(p.shareOfStream).toBeCloseTo(1 / 3, 12);
    const entries = yamlBlock(o.files["report.md"])!.reshards as { at: string }[];
    expect(entries.map((e) => e.at)).toEqual(["1m", "90s", "2m"]);
    expect(o.files["report.md"]).toContain("each next once the one before has completed");
    const replayed = ScenarioSchema.safeParse({ ...scenario, reshards: entries });
    expect(replayed.success).toBe(true);
    const after = runScenario(replayed.data!, PROVENANCE);
    expect(after.verdict.writeThrottledPercent).toBeLessThan(o.verdict.writeThrottledPercent);
  });
});
