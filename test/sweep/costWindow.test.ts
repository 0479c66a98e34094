// sweep.md says what its monthly cost column (and the recommendation's cost) is: each run's usage after warmup, at its
// rates in the simulated window, as if they held for a 730-hour month; a peak window overstates a month, and `shardcast
// estimate` prices the mean rate, the streams' part of the bill only (helper-77: clickstream-sizing's 10 minutes around
// the daily peak said nothing; helper-94: the estimate's part was read as the whole bill).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { prepareSweep, runSweepHere, sweepOutputs } from "../../src/sweep/sweep.js";

const BASIS = "what each run used after warmup (9 min of simulated time), scaled to a 730-hour month as if its rates in that window held all month.";
const CAVEAT = "A window around a peak overstates a month's bill, and a quiet one understates it; `shardcast estimate` prices only its Kinesis Data Streams part, at the scenario's mean rate.";

const sweepMd = (text: string, file: string, vary: string[]) => {
  const p = prepareSweep(text, file, "0".repeat(64), vary, 1, (path) => readFileSync(path, "utf8"));
  return sweepOutputs(p, runSweepHere(p), 0.95);
};

describe("sweep.md's monthly cost", () => {
  it("over clickstream-sizing, 10 minutes around the daily peak (nothing recommended): the cost column's window, scaled to a month, and the caveat", () => {
    const out = sweepMd(readFileSync("scenarios/clickstream-sizing.yaml", "utf8"), "scenarios/clickstream-sizing.yaml", ["stream.shards=12"]);
    expect(out.result.recommended).toBeNull();
    const md = out.files["sweep.md"];
    expect(md).toContain(`\nMonthly cost: ${BASIS} ${CAVEAT}\n`);
    // Right under the table, before the runs.
    expect(md.indexOf("Monthly cost: ")).toBeGreaterThan(md.indexOf("| monthly cost |"));
    expect(md.indexOf("Monthly cost: ")).toBeLessThan(md.indexOf("## Runs"));
  });

  const small = (duration: string) =>
    [
      "name: small",
      "seed: 3",
      `duration: ${duration}`,
      "warmup: 1m",
      "stream: { shards: 2 }",
      "producers:",
      "  - { name: p, client: sdk, rate: { shape: constant, value: 100/s }, recordSize: { dist: fixed, size: 1KiB } }",
      "slo:",
      "  writeThrottledPercent: 1",
      "",
    ].join("\n");

  it("with a recommendation (which quotes its cost), it says so of the recommendation too", () => {
    const out = sweepMd(small("10m"), "small.yaml", ["stream.shards=1,2"]);
    expect(out.result.recommended).not.toBeNull();
    expect(out.files["sweep.md"]).toContain(`\nMonthly cost, in the table and the recommendation: ${BASIS} ${CAVEAT}\n`);
  });

  it("a sweep varying the duration has no one window: the sentence names none", () => {
    const out = sweepMd(small("10m"), "small.yaml", ["duration=5m,10m"]);
    expect(out.files["sweep.md"]).toContain("in the table and the recommendation: what each run used after warmup, scaled to a 730-hour month as if its rates in that window held all month.");
  });
});
