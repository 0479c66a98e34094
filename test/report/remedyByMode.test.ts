// The hot shard remedy's advice to add shards, true of the stream's mode and of the limits. UpdateShardCount works on a
// provisioned stream only, and by default cannot "Scale up to more than 10000 shards in a stream" (UpdateShardCount API
// reference, https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html). An on-demand stream's
// shards are the service's to add: it splits a shard whose incoming traffic passes its trigger, evenly, and "does not
// detect and isolate hash keys" ("Choose the data stream capacity mode", 2022 guide), up to on-demand's maximum (10 GB/s
// in us-east-1, us-west-2 and eu-west-1; 200 MB/s elsewhere unless a support ticket raises it: Kinesis quotas and
// limits). Before, every stream was told "update-shard-count; doubling to N": an on-demand stream at 9,537 shards
// "doubling to 19074", a provisioned one of 6,000 "doubling to 12000", neither saying it needs a limit increase.
import { describe, expect, it } from "vitest";
import { buildReportMarkdown } from "../../src/report/markdown.js";
import { addShardsWords, splitLines } from "../../src/report/verdict.js";
import type { SplitChild, SplitProposal } from "../../src/result/splitProposal.js";
import type { AddShards } from "../../src/result/writeRemedy.js";
import { simulateScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";
import { PROVENANCE } from "./runResultFixture.js";
import { evenShardProposal } from "./splitProposalFixture.js";

const LIMITS = { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 };

/** A shard at an even share of an `open`-shard stream, offered 130% of its record limit: the stream is short of capacity. */
const evenShard = (open: number, over: Partial<SplitProposal> = {}): SplitProposal => evenShardProposal("s", open, over);
const ctx = (addShards: AddShards) => ({ streamUtilisation: { records: 1.3, bytes: 0.1 }, addShards });
const PROVISIONED: AddShards = { mode: "provisioned", ceiling: null };
const ON_DEMAND: AddShards = { mode: "on-demand", ceiling: null };
const shareLine = (lines: string[]) => lines.find((l) => l.includes("short of capacity rather than this shard hot"))!;

describe("a provisioned stream short of capacity", () => {
  it("of 4 shards: update-shard-count, doubling to 8 (within UpdateShardCount's 10,000)", () => {
    expect(shareLine(splitLines(evenShard(4), LIMITS, ctx(PROVISIONED)))).toContain("(update-shard-count; doubling to 8 halves every shard's hash key range).");
  });

  it("of 6,000 shards: doubling to 12,000 needs a limit increase, more than UpdateShardCount's 10,000", () => {
    expect(shareLine(splitLines(evenShard(6_000), LIMITS, ctx(PROVISIONED)))).toContain(
      "(update-shard-count; doubling to 12,000 halves every shard's hash key range; 12,000 shards, more than 10,000, needs a limit increase first).",
    );
    // Without a doubling: any shard added to 10,000 passes the limit; to 9,999, one still fits.
    expect(addShardsWords(PROVISIONED, { open: 10_000 })).toBe("update-shard-count; more than 10,000 shards needs a limit increase first");
    expect(addShardsWords(PROVISIONED, { open: 9_999 })).toBe("update-shard-count");
  });
});

describe("an on-demand stream short of capacity", () => {
  it("below its ceiling: the service adds shards itself; at once only a switch to provisioned (UpdateStreamMode) then UpdateShardCount", () => {
    const line = shareLine(splitLines(evenShard(4), LIMITS, ctx(ON_DEMAND)));
    expect(line).toContain("(on-demand: the service adds them itself, splitting each shard whose offered load passes its split trigger within about 15 minutes");
    expect(line).toContain("capacity ready at once takes a switch to provisioned (UpdateStreamMode), then update-shard-count; doubling to 8");
    expect(line).not.toContain("(update-shard-count");
  });

  it("On-demand Advantage: more warm throughput too", () => {
    expect(addShardsWords({ mode: "on-demand-advantage", ceiling: null }, { open: 4, doubledTo: 8 })).toContain("capacity ready at once takes more warm throughput (UpdateStreamWarmThroughput), or a switch to provisioned");
  });

  it("at 200 MB/s in ap-southeast-2: a support ticket raises the maximum, up to 10 GB/s", () => {
    const words = addShardsWords({ mode: "on-demand", ceiling: { by: "on-demand maximum", bytesPerSecond: 200_000_000, region: "ap-southeast-2" } }, { open: 191, doubledTo: 382 });
    expect(words).toBe(
      "on-demand: the service's splits stopped at the mode's ceiling (see Reshards) and it adds no more; more shards take a support ticket raising on-demand's maximum in ap-southeast-2 (up to 10 GB/s), or a switch to provisioned (UpdateStreamMode), then update-shard-count; doubling to 382 halves every shard's hash key range",
    );
  });
});

describe("a hot shard of an on-demand stream", () => {
  it("says the service splits evenly and does not isolate hot keys, and that the split is SplitShard's, a provisioned stream's", () => {
    const hot = evenShard(4, {
      shareOfStream: 0.5,
      evenlyLoaded: false,
      split: {
        hashKey: "150",
        beforeKey: null,
        children: [{ ...evenShard(4).load, recordsPerSecond: 650, utilisation: 0.65, peakUtilisation: 0.65, startingHashKey: "100", endingHashKey: "149", keys: 0 }, { ...evenShard(4).load, recordsPerSecond: 650, utilisation: 0.65, peakUtilisation: 0.65, startingHashKey: "150", endingHashKey: "199", keys: 0 }] as [SplitChild, SplitChild],
      },
    });
    const onDemand = splitLines(hot, LIMITS, ctx(ON_DEMAND)).join("\n");
    expect(onDemand).toContain("On an on-demand stream the service does the splitting");
    expect(onDemand).toContain("it does not isolate hot keys");
    expect(onDemand).toContain("is a SplitShard, which works on a provisioned stream only: switching the stream to provisioned (UpdateStreamMode, twice a day at most) lets you make it");
    expect(splitLines(hot, LIMITS, ctx(PROVISIONED)).join("\n")).not.toContain("on-demand");
  });
});

describe("12.0 GB/s offered to an on-demand stream at its ceiling, 9,537 shards (10 GB/s in us-east-1)", () => {
  // 64 KiB records with 36-byte keys, 183,004 a second: every shard at about 1.2 × its 1 MiB/s, evenly.
  const r = simulateScenario(
    scenarioOf({
      seed: 12,
      duration: "3s",
      stream: { name: "s", mode: "on-demand", onDemand: { previousPeak: "6GB/s", checkInterval: "1s", scaleDelay: "2s" } },
      producers: [{ name: "p", client: "sdk", instances: 40, rate: { shape: "constant", value: "183004/s" }, recordSize: { dist: "fixed", size: "64KiB" }, partitionKey: { kind: "random", length: 36 } }],
    }),
  );
  const md = buildReportMarkdown(r, PROVENANCE);

  it("no longer advises 'update-shard-count; doubling to 19074', and says what applies: the ceiling, a switch, the limit increase", () => {
    expect(r.onDemandCeiling?.shards).toBe(9_537);
    expect(md).not.toContain("(update-shard-count");
    expect(md).not.toMatch(/doubling to 19,?074 halves every shard's hash key range\)/);
    expect(md).toContain(
      "(on-demand: the service's splits stopped at the mode's ceiling (see Reshards) and it adds no more; more shards take a switch to provisioned (UpdateStreamMode), then update-shard-count; doubling to 19,074 halves every shard's hash key range; 19,074 shards, more than 10,000, needs a limit increase first).",
    );
    expect(md).toContain("The stream as a whole is short of capacity: adding shards to it (on-demand: the service's splits stopped at the mode's ceiling");
  });
});
