// A KPL with aggregation on sends every aggregate with the partition key "a" and an ExplicitHashKey that routes it (KPL
// kinesis_record.cc, KinesisRecord::partition_key: "We will always set an explicit hash key if we created an aggregated
// record. We will therefore use a single byte as the partition key"). Lambda "still ensures in-order processing at the
// partition-key level" with a parallelization factor above 1 (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html),
// so on each shard the aggregates are one key: one concurrent batch at a time, whatever the factor. Before, the lanes
// took the user records' keys (helper-100's a6: "keeps up" at 400 records/s where one lane does 200).
import { describe, expect, it } from "vitest";
import { createStreamRanges } from "../../src/model/kinesis/hashing.js";
import { KPL_AGGREGATE_PARTITION_KEY, keyLaneShares, laneOfHashKey } from "../../src/model/lambda/keyLanes.js";
import { hashKeyOf } from "../../src/model/kinesis/hashing.js";
import { RandomStream } from "../../src/engine/random.js";
import { judge } from "../../src/result/judge.js";
import { simulateScenario } from "../../src/run.js";
import { keyPopulation } from "../../src/workload/partitionKeys.js";
import { scenarioOf } from "./scenarioOf.js";

const kplInto = (aggregationEnabled: boolean) => ({
  duration: "4m",
  warmup: "30s",
  seed: 3,
  stream: { shards: 1 },
  producers: [
    {
      name: "k",
      client: "kpl",
      rate: { shape: "constant", value: "400/s" },
      recordSize: { dist: "fixed", size: "200B" },
      partitionKey: { kind: "zipf", keys: 1000, exponent: 0 },
      kpl: { aggregationEnabled, aggregationMaxSize: "4KiB", recordMaxBufferedTime: "1s" },
    },
  ],
  // 5 ms a user record, batches of 10: a lane processes at most 10 ÷ 0.05 s = 200 records/s.
  consumers: [{ name: "fn", kind: "lambda", startingPosition: "LATEST", batchSize: 10, parallelization: 4, function: { timeout: "30s", duration: { perInvocation: "0ms", perRecord: "5ms", variability: 0 } } }],
});

describe("a KPL's aggregates are one partition key to a Lambda mapping", () => {
  it("1,000 uniform keys, aggregation on: every record's share goes to the lane of key \"a\"", () => {
    const pop = keyPopulation({ kind: "zipf", keys: 1000, exponent: 0, prefix: "k-", names: "ranked" }, RandomStream.root(1));
    const [shares] = keyLaneShares(pop, createStreamRanges(1), 4, KPL_AGGREGATE_PARTITION_KEY);
    const lane = laneOfHashKey(hashKeyOf("a"), 4);
    shares!.forEach((s, l) => expect(s).toBeCloseTo(l === lane ? 1 : 0, 12));
  });

  it("400 user records/s aggregated on one shard, factor 4: one lane at a time, 200 records/s processed, falling behind (before: all 400, keeping up)", () => {
    const v = judge(simulateScenario(scenarioOf(kplInto(true)))).consumers[0]!;
    expect(Math.abs(v.processedPerSecond - 200) / 200).toBeLessThan(0.03);
    expect(v.fallingBehind).toBe(true);
  });

  it("the same records with aggregation off carry their own keys: 4 lanes, all 400 records/s processed", () => {
    const v = judge(simulateScenario(scenarioOf(kplInto(false)))).consumers[0]!;
    expect(Math.abs(v.processedPerSecond - 400) / 400).toBeLessThan(0.03);
    expect(v.fallingBehind).toBe(false);
  });
});

describe("BatchSize counts Kinesis records: a KPL aggregate is one", () => {
  // 400 user records/s of 200 B aggregated into 4 KiB aggregates on one shard (about 19 user records each), BatchSize 10,
  // 50 ms an invocation whatever its records: a batch of 10 aggregates holds ~190 user records, so ~2 invocations a
  // second do the shard's 400 (plus partial batches: one poll a second), well within one lane. Counting user records, a
  // batch held 10 of them: 40 invocations a second of 50 ms, more than one lane's 20, so the mapping fell behind at 200/s.
  const run = () =>
    simulateScenario(
      scenarioOf({
        ...kplInto(true),
        consumers: [{ name: "fn", kind: "lambda", startingPosition: "LATEST", batchSize: 10, parallelization: 1, function: { timeout: "30s", duration: { perInvocation: "50ms", perRecord: "0ms", variability: 0 } } }],
      }),
    );

  it("~19 user records a Kinesis record: a batch of 10 holds ~190, ~3 invocations a second keep up with 400 records/s (before: 40 a second needed, 20 done, 200 records/s)", () => {
    const r = run();
    const p = r.producers[0]!;
    const perKinesis = p.clientMetrics.userRecordsPerKinesisRecord!;
    expect(perKinesis).toBeGreaterThan(15);
    const c = r.consumers[0]!;
    const v = judge(r).consumers[0]!;
    expect(v.fallingBehind).toBe(false);
    expect(Math.abs(v.processedPerSecond - 400) / 400).toBeLessThan(0.03);
    const seconds = (r.durationUs - r.warmupUs) / 1e6;
    const perSecond = c.lambda!.invocations / seconds;
    // At least 400 ÷ (10 × perKinesis) full batches, at most that and one partial batch for each second's poll.
    expect(perSecond).toBeGreaterThanOrEqual(400 / (10 * perKinesis) - 0.1);
    expect(perSecond).toBeLessThan(400 / (10 * perKinesis) + 1.1);
    // The bound counts a full batch's user records: 10 × perKinesis ÷ 50 ms.
    expect(c.lambda!.throughputBound).toBeCloseTo((10 * perKinesis) / 0.05, -1);
  });
});
