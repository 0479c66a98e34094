// The Lambda remedy's lane rates when BatchSize counts Kinesis records that are KPL aggregates of u user records, each
// taking perRecord: a lane processes b·u ÷ (I + b·u·p) user records a second (as LambdaResult.laneThroughput counts it).
import { describe, expect, it } from "vitest";
import { lambdaRemedy, laneRate } from "../../src/result/lambdaRemedy.js";

const MS = 1_000;

describe("the Lambda remedy with records of several user records", () => {
  it("a lane of 10 aggregates of 19 user records at 50 ms an invocation takes 190 ÷ 0.05 s = 3,800 user records a second (10 plain: 200)", () => {
    expect(laneRate({ perInvocationUs: 50 * MS, perRecordUs: 0, usersPerRecord: 19 }, 10)).toBeCloseTo(3_800, 9);
    expect(laneRate({ perInvocationUs: 50 * MS, perRecordUs: 0 }, 10)).toBeCloseTo(200, 9);
  });

  it("1,000 user records/s on one lane of 10 aggregates of 19, 50 ms + 1 ms a user record: 2 lanes (190 ÷ 0.24 s = 792 a lane), or under 646 µs a user record", () => {
    // Target 1.1 × 1,000 = 1,100/s. Per user record at the batch in force: p ≤ (190 ÷ 1,100 − 0.05) ÷ 190 s = 645.9 µs.
    // Counting 10 plain records a batch, the lane was 10 ÷ 0.06 s = 167/s: 7 lanes, and no per-record time would do.
    const m = lambdaRemedy({ batchSize: 10, lanes: 1, perInvocationUs: 50 * MS, perRecordUs: 1 * MS, usersPerRecord: 19 }, 1_000, 200, 1);
    expect(m.parallelization).toBe(2);
    expect(m.perRecordUs).toBeCloseTo(((190 / 1_100 - 0.05) / 190) * 1e6, 6);
    expect(m.batchSize).toBeNull(); // 1,100 × 1 ms ≥ 1: no batch size lets one lane take it
  });

  it("without aggregation (u = 1) the remedy is what it was", () => {
    const plain = lambdaRemedy({ batchSize: 100, lanes: 1, perInvocationUs: 20 * MS, perRecordUs: 5 * MS }, 434, 500, 40);
    expect(lambdaRemedy({ batchSize: 100, lanes: 1, perInvocationUs: 20 * MS, perRecordUs: 5 * MS, usersPerRecord: 1 }, 434, 500, 40)).toEqual(plain);
    expect(plain.parallelization).toBe(Math.ceil((1.1 * 434) / (100 / 0.52)));
  });
});
