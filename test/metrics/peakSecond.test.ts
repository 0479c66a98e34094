// The busiest second per row, on a hand-made sequence of adds.
import { describe, expect, it } from "vitest";
import { PeakSecondTracker } from "../../src/metrics/peakSecond.js";

const S = 1_000_000;
const MiB = 1_048_576;

function peaks(t: PeakSecondTracker, row: number) {
  return { at: t.peakAt[row], records: t.peakRecords[row], bytes: t.peakBytes[row], utilisation: t.peakUtilisation[row] };
}

describe("PeakSecondTracker (limits 1000 records/s and 1 MiB/s, statistics from 2 s)", () => {
  // Row 0: seconds 2 → 600 rec / 200,000 B (0.6); 3 → 150 rec / 1,100,000 B (bytes: 1.049); 5 → 800 rec (0.8).
  // Row 1: seconds 2 → 700 rec (0.7); 4 → 900 rec (0.9).
  // Row 2: nothing.
  // A 5,000-record add at 1.5 s (row 0) falls in the warmup and is ignored.
  const run = () => {
    const t = new PeakSecondTracker(3, 1_000, MiB, 2 * S);
    t.add(0, 1.5 * S, 5_000, 5 * MiB);
    t.add(0, 2 * S, 300, 100_000);
    t.add(1, 2.5 * S, 700, 1_000);
    t.add(0, 2.9 * S, 300, 100_000);
    t.add(0, 3 * S, 100, 900_000);
    t.add(0, 4 * S - 1, 50, 200_000);
    t.add(1, 4.1 * S, 500, 2_000);
    t.add(1, 4.9 * S, 400, 3_000);
    t.add(0, 5.2 * S, 800, 10);
    t.finish();
    return t;
  };

  it("row 0 peaks in second 3 on bytes: 150 records, 1,100,000 B, utilisation 1,100,000 / 1 MiB", () => {
    expect(peaks(run(), 0)).toEqual({ at: 3 * S, records: 150, bytes: 1_100_000, utilisation: 1_100_000 / MiB });
  });

  it("row 1 peaks in second 4 on records: 900 records, 5,000 B, utilisation 0.9", () => {
    expect(peaks(run(), 1)).toEqual({ at: 4 * S, records: 900, bytes: 5_000, utilisation: 0.9 });
  });

  it("a row that saw nothing has peakAt −1 and utilisation 0", () => {
    expect(peaks(run(), 2)).toEqual({ at: -1, records: 0, bytes: 0, utilisation: 0 });
  });

  it("adds before `from` are ignored: the 5,000 records at 1.5 s never make a peak", () => {
    const t = new PeakSecondTracker(1, 1_000, MiB, 2 * S);
    t.add(0, 1.5 * S, 5_000, 0);
    t.add(0, 2 * S - 1, 5_000, 0);
    t.add(0, 2.5 * S, 10, 0);
    t.finish();
    expect(peaks(t, 0)).toEqual({ at: 2 * S, records: 10, bytes: 0, utilisation: 0.01 });
  });

  it("a warmup ending mid-second counts only the adds from `from` on in that second", () => {
    const t = new PeakSecondTracker(1, 1_000, MiB, 2.5 * S);
    t.add(0, 2.4 * S, 400, 0);
    t.add(0, 2.6 * S, 300, 0);
    t.add(0, 2.9 * S, 200, 0);
    t.finish();
    expect(peaks(t, 0)).toEqual({ at: 2 * S, records: 500, bytes: 0, utilisation: 0.5 });
  });

  it("the open second counts only after finish()", () => {
    const t = new PeakSecondTracker(1, 1_000, MiB, 0);
    t.add(0, 0, 100, 0);
    expect(t.peakAt[0]).toBe(-1);
    t.finish();
    expect(peaks(t, 0)).toEqual({ at: 0, records: 100, bytes: 0, utilisation: 0.1 });
  });

  it("of two equally busy seconds the earlier stays the peak", () => {
    const t = new PeakSecondTracker(1, 1_000, MiB, 0);
    t.add(0, 1 * S, 500, 0);
    t.add(0, 7 * S, 500, 0);
    t.finish();
    expect(t.peakAt[0]).toBe(1 * S);
  });

  it("utilisation is max(records / record limit, bytes / byte limit) with other limits (500 rec/s, 1000 B/s)", () => {
    const t = new PeakSecondTracker(2, 500, 1_000, 0);
    t.add(0, 0, 100, 900); // max(0.2, 0.9)
    t.add(1, 0, 450, 100); // max(0.9, 0.1), then a busier second:
    t.add(1, S, 600, 100); // max(1.2, 0.1)
    t.finish();
    expect(t.peakUtilisation[0]).toBeCloseTo(0.9, 15);
    expect(t.peakUtilisation[1]).toBeCloseTo(1.2, 15);
    expect(t.peakAt[1]).toBe(S);
  });
});

describe("PeakSecondTracker.addInSecond (a caller that worked out the second and the warmup once)", () => {
  it("row 0's sequence above, added by second: the same peak (second 3 on bytes)", () => {
    const t = new PeakSecondTracker(1, 1_000, MiB, 2 * S);
    t.addInSecond(0, 2, 300, 100_000);
    t.addInSecond(0, 2, 300, 100_000);
    t.addInSecond(0, 3, 100, 900_000);
    t.addInSecond(0, 3, 50, 200_000);
    t.addInSecond(0, 5, 800, 10);
    t.finish();
    expect(peaks(t, 0)).toEqual({ at: 3 * S, records: 150, bytes: 1_100_000, utilisation: 1_100_000 / MiB });
  });
});
