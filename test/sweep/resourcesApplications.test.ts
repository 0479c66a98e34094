// The run's resource estimate (src/sweep/resources.ts) counts what an application writing what it processes to
// another stream (`output:`, StreamWriter) adds: its traffic into that stream (the shards a scaling stream opens, and
// so the polls of the consumers reading it) and its own memory (put latency histogram, two series, state per shard of
// the stream's plan). Expectations by hand from the unit costs.
import { describe, expect, it } from "vitest";
import { shardPlan } from "../../src/model/build.js";
import { ScenarioSchema, streamsOf } from "../../src/spec/index.js";
import { UNIT_COSTS, resourceEstimate } from "../../src/sweep/resources.js";

const keys = { kind: "random", length: 36 };

/** web → raw (4,000 records/s of 1,000 B) → enricher → enriched (on-demand, 1.5 × larger) → reader; 30 min. */
const scenario = (output: boolean) =>
  ScenarioSchema.parse({
    name: "t",
    seed: 1,
    duration: "30m",
    streams: [{ name: "raw", shards: 8 }, { name: "enriched", mode: "on-demand" }],
    producers: [{ name: "web", client: "sdk", stream: "raw", instances: 8, rate: { shape: "poisson", value: "4000/s" }, recordSize: { dist: "fixed", size: "1000B" }, partitionKey: keys }],
    consumers: [
      { name: "enricher", kind: "kcl", stream: "raw", workers: 8, ...(output ? { output: { stream: "enriched", sizeFactor: 1.5, partitionKey: keys } } : {}) },
      { name: "reader", kind: "kcl", stream: "enriched", workers: 2 },
    ],
  });

const partOf = (s: ReturnType<typeof scenario>, prefix: string) => resourceEstimate(s).parts.find((p) => p.what.startsWith(prefix))!;

describe("an application writing to an on-demand stream, in the run's estimate", () => {
  it("the stream's open shards are what the application's mean traffic needs: 6 for 6 MB/s (the reader's polls)", () => {
    // 4,000 records/s × 1,500 B = 6 MB/s: 5.72 shards at 1 MiB/s, 6. The reader polls each every 1.5 s + 20 ms for
    // 1,800 s: 1,800 × 6 ÷ 1.52 = 7,105 polls. Counting the producers only, it was the 4 of a new stream: 4,737.
    expect(partOf(scenario(true), "consumer reader:").what).toBe("consumer reader: 7,105 GetRecords polls");
    expect(partOf(scenario(false), "consumer reader:").what).toBe("consumer reader: 4,737 GetRecords polls");
  });

  it("the writer's memory: a histogram, two series of 1,800 steps, and 32 B for each of the 52 shards the plan holds", () => {
    const s = scenario(true);
    const plan = shardPlan(s, "enriched", streamsOf(s).find((x) => x.name === "enriched")!.spec, undefined);
    expect(plan.shardCapacity).toBe(52);
    const extra = partOf(s, "consumer enricher:").bytes - partOf(scenario(false), "consumer enricher:").bytes;
    expect(extra).toBe(UNIT_COSTS.histogramBytes + 2 * 1800 * 8 + 52 * UNIT_COSTS.writerShardBytes);
    expect(partOf(s, "consumer enricher:").what).toMatch(/, writing to enriched$/);
  });
});
