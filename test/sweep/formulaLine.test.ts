// sweep.md's AWS-formula line is the recommended configuration's (helper-51): a sweep varying the traffic and the shard
// count compared the recommended configuration's shards with the first configuration's formula, at twice the rate.
import { describe, expect, it } from "vitest";
import { prepareSweep, runSweepHere, sweepOutputs } from "../../src/sweep/sweep.js";

// 2,000 or 1,000 records/s of 1 KiB (the formula counts the data, records rounded up to 1 KiB): at 2,000/s,
// 2,000 × 1 KiB ÷ 1,024 = 2 shards (2 at the 1,000 records/s limit too); at 1,000/s, 1. The sweep recommends the cheapest
// configuration that meets the SLO: 1,000/s on 2 shards (1 shard at 1,000 records/s of 1 KiB plus keys would throttle).
const text = `name: formula-line
seed: 3
duration: 2m
warmup: 30s
stream: { shards: 2 }
producers:
  - { name: web, client: sdk, instances: 4, rate: { shape: constant, value: 1000/s }, recordSize: { dist: fixed, size: 1KiB }, partitionKey: { kind: random, length: 36 } }
slo:
  writeThrottledPercent: 1
`;

describe("a sweep over the rate (2,000/s first) and the shards", () => {
  const p = prepareSweep(text, "formula-line.yaml", "0".repeat(64), ["producers[web].rate.value=2000/s,1000/s", "stream.shards=2,3,4,6"], 1);
  const { files } = sweepOutputs(p, runSweepHere(p), 0.95);
  const md = files["sweep.md"];
  const sweep = JSON.parse(files["sweep.json"]) as { configs: { values: (number | string)[]; awsFormula: { shardsAtPeak: number } }[]; recommendation: { config: number | null } };

  it("the formula differs between the two rates: 2 shards at 2,000/s, 1 at 1,000/s", () => {
    const at = (rate: string) => sweep.configs.find((c) => c.values[0] === rate)!.awsFormula.shardsAtPeak;
    expect(at("2000/s")).toBe(2);
    expect(at("1000/s")).toBe(1);
  });

  it("the formula line and the comparison are the recommended configuration's", () => {
    expect(md).toContain("For the recommended configuration (producers[web].rate.value=1000/s, stream.shards=");
    expect(md).toContain("gives **");
    expect(md).toContain("gives **1 shard(s)** at the average rate and 1 at the peak");
    expect(md).toContain("The sweep recommends 2: more than the formula's 1 at the peak.");
    expect(md).not.toMatch(/ at the average rate and 2 at the peak/);
  });
});
