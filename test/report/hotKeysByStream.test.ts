// The hottest shard's sentence names the popular keys of the producers writing to that stream only: shard ids repeat from
// stream to stream (helper-60: web, writing to raw, was said to hold a key on enriched's shard of the same id).
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run.js";
import { scenarioOf } from "../model/scenarioOf.js";

describe("a hot shard's keys, in a pipeline of two streams", () => {
  const out = runScenario(
    scenarioOf({
      name: "pipe",
      seed: 8,
      duration: "5m",
      warmup: "30s",
      streams: [
        { name: "raw", shards: 2 },
        { name: "enriched", shards: 2 },
      ],
      producers: [{ name: "web", client: "sdk", stream: "raw", rate: { shape: "poisson", value: "1500/s" }, recordSize: { dist: "fixed", size: "300B" }, partitionKey: { kind: "zipf", keys: 300, exponent: 1.1, prefix: "u-" } }],
      consumers: [{ name: "enr", kind: "kcl", stream: "raw", processing: { perRecord: "0.05ms" }, output: { stream: "enriched", partitionKey: { kind: "random", length: 36 } } }],
      slo: { writeThrottledPercent: 0.1 },
    }),
    { scenarioFile: "t.yaml", scenarioSha256: "0" },
  );
  const md = out.files["report.md"]!;
  const hottest = md.split("\n").filter((l) => /Hottest shard: \*\*shardId-/.test(l));

  it("names web's keys on raw's hottest shard, and none on enriched's (its writer's keys are random)", () => {
    expect(hottest).toHaveLength(2);
    const [raw, enriched] = [hottest.find((l) => l.includes("raw"))!, hottest.find((l) => l.includes("enriched"))!];
    expect(raw).toMatch(/It holds `u-\d+` \([\d.]+% of the records of web\)/);
    expect(enriched).not.toMatch(/It holds/);
  });
});
