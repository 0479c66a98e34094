// What a monthly cost is: a run's usage after warmup, at its rates in the simulated window, as if they held for a
// 730-hour month (costOf). report.md says so, with the window, and that a peak window overstates a month; the numbers
// behind the words: clickstream-sizing's 10 minutes around the daily peak of a diurnal of mean 3,000/s and peak 5,000/s
// bill about the peak's PUT payload units, where `shardcast estimate` bills the mean's (helper-77).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, runScenarioText } from "../../src/run.js";
import { billOfEveryMode } from "../../src/result/modeBill.js";
import { streamTraffics } from "../../src/sweep/estimate.js";
import { parseScenario } from "../../src/scenario/index.js";
import { scenarioOf } from "../model/scenarioOf.js";

const provenance = { scenarioFile: "t.yaml", scenarioSha256: "0" };
const MONTH_S = 730 * 3_600;
const PUT_UNIT_USD_PER_MILLION = 0.014;

describe("report.md's bill says it is the run's window scaled to a month", () => {
  it("a constant 1,000 records/s of 1 KiB for 10 min less 1 min of warmup: 1 PUT payload unit a record, 1,000 × 2,628,000 × $0.014 a million = $36.79, and the sentence names the 9 min", () => {
    const out = runScenario(
      scenarioOf({ duration: "10m", warmup: "1m", stream: { shards: 2 }, producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "1000/s" }, recordSize: { dist: "fixed", size: "1KiB" } }] }),
      provenance,
    );
    const units = out.result.cost.items.find((i) => i.item === "PUT payload units")!.usd;
    expect(units).toBeCloseTo((1_000 * MONTH_S * PUT_UNIT_USD_PER_MILLION) / 1e6, 1);
    expect(out.files["report.md"]).toContain(
      "What the run used after warmup (9 min of simulated time), scaled to a 730-hour month as if its rates in that window held all month, at the prices of price table us-east-1",
    );
    // A stream alone: the estimate prices all of this bill, at the mean.
    expect(out.files["report.md"]).toContain(
      "A window around a peak overstates a month's bill, and a quiet one understates it; `shardcast estimate` prices only its Kinesis Data Streams part, at the scenario's mean rate.\n",
    );
  });

  // helper-94: the note sent planners to `estimate` for the bill of a run that also billed a Lambda function and its
  // DynamoDB table ($4,904.92 a month), which `estimate` leaves out ($805.92 for the stream). It names what the
  // estimate does not price.
  it("with a Lambda consumer writing to a DynamoDB table: the note says the estimate leaves them out", () => {
    const out = runScenario(
      scenarioOf({
        duration: "3m",
        warmup: "30s",
        stream: { name: "s", shards: 1 },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "100/s" }, recordSize: { dist: "fixed", size: "100B" } }],
        consumers: [{ name: "fn", kind: "lambda", startingPosition: "LATEST", sink: { kind: "dynamodb", table: { capacity: "provisioned", write: 500 } } }],
      }),
      provenance,
    );
    const items = out.result.cost.items.map((i) => i.item);
    expect(items).toEqual(["shard-hours", "PUT payload units", "Lambda fn: requests", "Lambda fn: duration (GB-seconds)", "Sink of fn: DynamoDB table"]);
    expect(out.files["report.md"]).toContain(
      "`shardcast estimate` prices only its Kinesis Data Streams part, at the scenario's mean rate, not the requests and duration of Lambda consumer fn and the DynamoDB table of fn's sink, which only a run prices.\n",
    );
  });

  it("clickstream-sizing, 10 minutes at the daily peak: its PUT payload units bill the peak's 5,000/s (at most $183.96), the estimate the mean's 3,000/s ($110.38)", () => {
    const text = readFileSync("scenarios/clickstream-sizing.yaml", "utf8");
    const out = runScenarioText(text, { scenarioFile: "scenarios/clickstream-sizing.yaml", scenarioSha256: "0" });
    // Records of 700 B median, 4 KiB at p99: one 25 KB unit each. At the mean: 3,000 × 2,628,000 × $0.014 ÷ 10^6.
    const atMean = (3_000 * MONTH_S * PUT_UNIT_USD_PER_MILLION) / 1e6;
    const atPeak = (5_000 * MONTH_S * PUT_UNIT_USD_PER_MILLION) / 1e6;
    expect(atMean).toBeCloseTo(110.38, 2);
    const [t] = streamTraffics(parseScenario(text, "clickstream-sizing.yaml"));
    const estimate = billOfEveryMode(t!.traffic, 12).provisionedAtShards!.items.find((i) => i.item === "PUT payload units")!.usd;
    expect(estimate).toBeCloseTo(atMean, 2);
    // The window is within minutes of the peak (the cosine moves 0.1% of its swing in 5 minutes of 24 hours) and 12
    // shards accept all but a few percent: between 95% of the peak's units and the peak's.
    const run = out.result.cost.items.find((i) => i.item === "PUT payload units")!.usd;
    expect(run).toBeGreaterThan(0.95 * atPeak);
    expect(run).toBeLessThanOrEqual(atPeak);
    expect(out.files["report.md"]).toContain("What the run used after warmup (9 min of simulated time), scaled to a 730-hour month as if its rates in that window held all month");
  });
});
