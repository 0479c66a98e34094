// The Lambda remedy against a sink that writes one batch at a time for all the lanes (a Redshift COPY, an OpenSearch bulk
// request: lambdaRemedy's SharedSink): it carries b u ÷ (F + b u w') user records a second at batches of b, whatever the
// lanes, and a remedy is offered only with a batch at which it carries REMEDY_HEADROOM × all the shards' records.
import { describe, expect, it } from "vitest";
import { lambdaRemedy, type LaneSettings } from "../../src/result/lambdaRemedy.js";

const MS = 1_000;
// A lane of 100 records at 50 ms + 21 ms a record, writing a staging put of 100 ms and a COPY of 250 ms: 100 ÷ 2.5 s = 40 a
// second. The shard takes 60 a second (target 66); 8 shards take 480 (the sink must carry 528).
const lane: LaneSettings = { batchSize: 100, lanes: 1, perInvocationUs: 50 * MS, perRecordUs: 21 * MS, write: { fixedUs: 350 * MS, perRequestUs: 0, recordsPerRequest: 1, perRecordUs: 0 } };
const copy = (fixedMs: number, perRecordUs = 0) => ({ fixedUs: fixedMs * MS, perRequestUs: 0, recordsPerRequest: 1, perRecordUs });

describe("lambdaRemedy with a sink shared by all the lanes", () => {
  it("a sink that carries them at the batch in force changes no remedy: COPYs of 250 ms, 400 a second, for 300 (330 with 10% to spare)", () => {
    const alone = lambdaRemedy(lane, 60, 500, 8);
    const shared = lambdaRemedy(lane, 60, 500, 8, null, { write: copy(250), meanPerSecond: 300, sloPerSecond: null });
    expect(shared.sink!.carries).toBe(true);
    expect(shared.sink!.perSecond).toBeCloseTo(400, 9);
    expect(shared.lanesAtBatch).toBe(100);
    expect({ ...shared, sink: null }).toEqual({ ...alone, sink: null });
    expect(alone.parallelization).toBe(2);
  });

  it("short at the batch in force, with a COPY time a record: the smallest batch b with b ÷ (0.25 + 0.001 b) ≥ 528 is 280", () => {
    // b (1 − 528 × 0.001) ≥ 528 × 0.25 ⇔ b ≥ 132 ÷ 0.472 = 279.66: 280 (280 ÷ 0.53 s = 528.3; 279 ÷ 0.529 s = 527.4).
    const m = lambdaRemedy(lane, 60, 500, 8, null, { write: copy(250, 1 * MS), meanPerSecond: 480, sloPerSecond: null });
    expect(m.sink!.perSecond).toBeCloseTo(100 / 0.35, 9);
    expect(m.sink!.ceilingPerSecond).toBeCloseTo(1_000, 9);
    expect(m.sink!.batchSize).toBe(280);
    expect(m.sink!.batchSizePerSecond).toBeCloseTo(280 / 0.53, 9);
    expect(m.lanesAtBatch).toBe(280);
    // At 280 a lane takes 280 ÷ (0.05 + 5.88 + 0.35) s = 44.6 a second: a factor of ⌈66 ÷ 44.6⌉ = 2; under (280 ÷ 66 − 0.4) ÷ 280 = 13.72 ms a record.
    expect(m.lanePerSecond).toBeCloseTo(280 / 6.28, 9);
    expect(m.parallelization).toBe(2);
    expect(m.perRecordUs! / MS).toBeCloseTo((280 / 66 - 0.4) / 280 * 1_000, 3);
  });

  it("with an SLO's need through the stream's peaks over its mean, the sink is sized to that: 600 × 1.1 = 660 needs ⌈660 × 0.25⌉ = 165", () => {
    const m = lambdaRemedy(lane, 60, 500, 8, null, { write: copy(250), meanPerSecond: 480, sloPerSecond: 600 });
    expect(m.sink!.throughPeaks).toBe(true);
    expect(m.sink!.needPerSecond).toBeCloseTo(660, 9);
    expect(m.sink!.batchSize).toBe(165);
    // An SLO need under the mean is not what it is sized to.
    expect(lambdaRemedy(lane, 60, 500, 8, null, { write: copy(250), meanPerSecond: 480, sloPerSecond: 400 }).sink!.needPerSecond).toBeCloseTo(528, 9);
  });

  it("a batch larger alone is offered only where the sink carries them too", () => {
    // Compute of 2.15 s an invocation, none a record: a lane at b takes b ÷ 2.5 s, 66 at b = 165; the sink at 165 loads 660.
    const flat: LaneSettings = { ...lane, perInvocationUs: 2_150 * MS, perRecordUs: 0 };
    expect(lambdaRemedy(flat, 60, 500, 8, null, { write: copy(250), meanPerSecond: 480, sloPerSecond: null }).batchSize).toBe(165);
    // COPYs of 400 ms: 165 ÷ 0.4 s = 412.5, short of 528; the first batch at which both hold is ⌈528 × 0.4⌉ = 212.
    const slow = lambdaRemedy({ ...flat, write: { ...flat.write!, fixedUs: 500 * MS } }, 60, 500, 8, null, { write: copy(400), meanPerSecond: 480, sloPerSecond: null });
    expect(slow.sink!.batchSize).toBe(212);
    expect(slow.batchSize).toBe(212);
  });

  it("when the function's timeout holds the batch the sink needs, nothing with the lanes is offered", () => {
    // A timeout of 2.5 s: the batch in force (2.5 s) fits, 132 (3.172 s) does not.
    const m = lambdaRemedy({ ...lane, timeoutUs: 2_500 * MS }, 60, 500, 8, null, { write: copy(250), meanPerSecond: 480, sloPerSecond: null });
    expect(m.sink!.batchSize).toBeNull();
    expect(m.lanesAtBatch).toBeNull();
    expect(m.parallelization).toBeNull();
    expect(m.perRecordUs).toBeNull();
    expect(m.batchSize).toBeNull();
  });
});
