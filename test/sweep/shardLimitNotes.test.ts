// Where shardcast suggests shard counts outside a run's remedy — `estimate`'s formula lines and bills, its --chart, a
// sweep's formula line — a provisioned stream of more than 10,000 shards is said to need a limit increase (by default
// UpdateShardCount cannot "Scale up to more than 10000 shards in a stream": UpdateShardCount API reference,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html), and on-demand's bills are not
// offered past on-demand's maximum write throughput in the scenario's Region without saying so (10 GB/s in us-east-1,
// us-west-2 and eu-west-1, 200 MB/s elsewhere: Kinesis quotas and limits). Before, 1,500,000 records/s of 8 KiB printed
// "shards = … = 11719 at the average rate, 11719 at the peak" with no word of the limit, the chart's subtitle
// "provisioned $… (11719 shards)", sweep.md "gives **11719 shard(s)**", and On-demand Standard's bill at 11.44 GiB/s
// as if an on-demand stream took it.
import { describe, expect, it } from "vitest";
import { modeBillChart } from "../../src/report/charts/modeBill.js";
import { PRICE } from "../../src/aws/prices.js";
import { billOfEveryMode } from "../../src/result/modeBill.js";
import { ScenarioSchema } from "../../src/scenario/index.js";
import { awsSizingEstimate, estimateText, modeBillText, streamTraffics } from "../../src/sweep/estimate.js";
import { prepareSweep, runSweepHere, sweepOutputs } from "../../src/sweep/sweep.js";

// 1,500,000 records/s of 8 KiB: 12,000,000 KiB/s ÷ 1,024 = 11,718.75 → 11,719 shards by the formula; 12.29 GB/s.
const bigInput = (region?: string) => ({
  name: "big",
  duration: "2s",
  ...(region ? { region } : {}),
  stream: { name: "s", mode: "on-demand" },
  producers: [{ name: "web", client: "sdk", rate: { shape: "constant", value: "1500000/s" }, recordSize: { dist: "fixed", size: "8KiB" } }],
});
const big = ScenarioSchema.parse(bigInput());
const LIMIT = 'more than 10,000 shards: a provisioned stream of them needs a limit increase first (by default UpdateShardCount cannot "Scale up to more than 10000 shards in a stream")';

describe("estimate's formula lines", () => {
  it("11,719 shards by the formula: the count with separators, and that it needs a limit increase", () => {
    const text = estimateText(big, awsSizingEstimate(big));
    expect(text).toContain("  shards = max(write ÷ 1024, read ÷ 2048) = 11,719 at the average rate, 11,719 at the peak");
    expect(text).toContain(`  ${LIMIT}`);
  });

  it("under 10,000 shards, no such line", () => {
    const small = ScenarioSchema.parse({ ...bigInput(), producers: [{ ...bigInput().producers[0], rate: { shape: "constant", value: "1000/s" } }] });
    expect(estimateText(small, awsSizingEstimate(small))).not.toContain("limit increase");
  });
});

describe("estimate's bills: on-demand past its maximum in the Region", () => {
  it("us-east-1 (no region: assumed): 12.29 GB/s is past on-demand's 10 GB/s", () => {
    const text = modeBillText(big);
    expect(text).toContain(
      "On-demand scales to at most 10 GB/s of writes in us-east-1 (Kinesis quotas and limits; the scenario states no region: us-east-1 assumed): this traffic, 11.44 GiB/s, is past it",
    );
    expect(text).toMatch(/On-demand Standard vs provisioned at the formula's shards: .*; past 9\.31 GiB\/s on-demand is over its maximum, 10 GB\/s of writes in us-east-1/);
  });

  it("ap-southeast-2: 20 MB/s is within on-demand's 200 MB/s there; 300 MB/s is past it", () => {
    const at = (rate: string) => modeBillText(ScenarioSchema.parse({ ...bigInput("ap-southeast-2"), producers: [{ ...bigInput().producers[0], rate: { shape: "constant", value: rate } }] }));
    // 2,441 records/s of 8 KiB: 19,996,672 B/s; 36,622 records/s: 300,007,424 B/s.
    expect(at("2441/s")).not.toContain("On-demand scales to at most");
    expect(at("36622/s")).toContain("On-demand scales to at most 200 MB/s of writes in ap-southeast-2 (Kinesis quotas and limits): this traffic, 286.11 MiB/s, is past it");
  });
});

describe("estimate --chart", () => {
  it("the subtitle says the formula's 11,719 shards need a limit increase, from where, and where on-demand stops", () => {
    const [t] = streamTraffics(big);
    const chart = modeBillChart("s", t!.traffic, billOfEveryMode(t!.traffic, t!.shards), PRICE, "price table us-east-1", t!.onDemandMax);
    const subtitle = (chart.spec as unknown as { title: { subtitle: string[] } }).title.subtitle.join(" ");
    expect(subtitle).toContain("(11,719 shards, needs a limit increase)");
    expect(subtitle).toContain("Past 9.77 GiB/s the formula's shards are more than 10,000: a provisioned stream of them needs a limit increase.");
    expect(subtitle).toContain("On-demand scales to at most 10 GB/s of writes in us-east-1 (9.31 GiB/s).");
  });
});

describe("a sweep's formula line", () => {
  it("says the formula's 11,719 shards need a limit increase, and that a swept stream.shards stops at 10,000", () => {
    const text = [
      "name: big",
      "seed: 3",
      "duration: 2s",
      "stream: { mode: on-demand }",
      "producers:",
      "  - { name: web, client: sdk, rate: { shape: constant, value: 1500000/s }, recordSize: { dist: fixed, size: 8KiB } }",
      "slo:",
      "  writeThrottledPercent: 1",
      "",
    ].join("\n");
    const p = prepareSweep(text, "big.yaml", "0".repeat(64), ["stream.onDemand.scaleDelay=900s"], 1);
    const md = sweepOutputs(p, runSweepHere(p), 0.95).files["sweep.md"];
    expect(md).toContain("gives **11,719 shard(s)** at the average rate and 11,719 at the peak (11,719 counting the 1,000 records/s limit). More than 10,000 shards: a provisioned stream of them needs a limit increase first");
    expect(md).toContain("a swept stream.shards stops at 10,000.");
  });
});
