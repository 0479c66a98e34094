// Series resolution and the series bank, on hand-computed cases.
import { describe, expect, it } from "vitest";
import { MAX_POINTS, SeriesBank, ShardSeriesBank, chooseResolution } from "../../src/metrics/series.js";

const S = 1_000_000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe("chooseResolution", () => {
  it.each([
    ["1 s", S, S],
    ["10 min", 10 * MIN, S],
    ["1 h (3,600 points of 1 s)", H, S],
    ["1 h 1 s (3,601 s: 1 s would give 3,601 points)", H + S, 2 * S],
    ["2 h (7,200 s / 2 s = 3,600 points)", 2 * H, 2 * S],
    ["2 h 1 s (7,201 s / 2 s > 3,600; / 5 s = 1,440.2)", 2 * H + S, 5 * S],
    ["24 h (86,400 s: / 15 s = 5,760 > 3,600; / 30 s = 2,880)", D, 30 * S],
    ["366 d (31,622,400 s: / 7,200 s = 4,392 > 3,600; / 10,800 s = 2,928)", 366 * D, 10_800 * S],
  ])("chooseResolution(%s) is the hand-computed step", (_, duration, expected) => {
    expect(chooseResolution(duration)).toBe(expected);
  });

  it("chooseResolution(366 d) keeps the series within 3,600 points", () => {
    const step = chooseResolution(366 * D);
    expect(Math.ceil((366 * D) / step)).toBeLessThanOrEqual(3_600);
    expect(MAX_POINTS).toBe(3_600);
  });
});

describe("SeriesBank", () => {
  // 3 rows over 10.5 s at 2 s: buckets [0,2) [2,4) [4,6) [6,8) [8,10) and the partial [10,10.5).
  const make = () => new SeriesBank(3, 10.5 * S, 2 * S);

  it("SeriesBank(3 rows, 10.5 s, 2 s) has 6 points, the last one partial", () => {
    const b = make();
    expect(b.points).toBe(6);
    expect(b.values).toHaveLength(18);
  });

  it.each([
    [0, 0],
    [2 * S - 1, 0],
    [2 * S, 1],
    [9_999_999, 4],
    [10 * S, 5], // the partial bucket
    [10.5 * S - 1, 5],
    [10.5 * S, 5], // the end itself, clamped
    [12 * S, 5], // beyond the end, clamped
    [100 * S, 5],
  ])("bucketOf(%s µs) is %s", (t, bucket) => {
    expect(make().bucketOf(t)).toBe(bucket);
  });

  it("add sums amounts per row and bucket; row and total read them back", () => {
    const b = make();
    b.add(0, 0, 1);
    b.add(0, 1.5 * S, 2); // same bucket as above
    b.add(0, 2 * S, 4);
    b.add(1, 3 * S, 10);
    b.add(1, 10.2 * S, 20); // partial last bucket
    b.add(1, 50 * S, 40); // beyond the end: clamped into the last bucket
    b.add(2, 9 * S, 0.5);
    expect([...b.row(0)]).toEqual([3, 4, 0, 0, 0, 0]);
    expect([...b.row(1)]).toEqual([0, 10, 0, 0, 0, 60]);
    expect([...b.row(2)]).toEqual([0, 0, 0, 0, 0.5, 0]);
    expect([...b.total()]).toEqual([3, 14, 0, 0, 0.5, 60]);
  });

  it("row(i) is a view of the bank: a later add shows in it", () => {
    const b = make();
    const r = b.row(2);
    b.add(2, 4 * S, 7);
    expect(r[2]).toBe(7);
  });

  it("a duration shorter than the resolution still has one point", () => {
    const b = new SeriesBank(1, S / 2, S);
    expect(b.points).toBe(1);
    b.add(0, 0.3 * S, 5);
    b.add(0, 2 * S, 1);
    expect([...b.total()]).toEqual([6]);
  });

  it("a duration that is a whole number of steps has no extra point: 10 s at 2 s is 5 points", () => {
    const b = new SeriesBank(1, 10 * S, 2 * S);
    expect(b.points).toBe(5);
    expect(b.bucketOf(10 * S)).toBe(4);
  });
});

describe("ShardSeriesBank", () => {
  // Two metrics of 3 shards over 10.5 s at 2 s, fed the same adds as a SeriesBank per metric.
  it("each metric reads back exactly as a SeriesBank given the same adds (rows, totals, clamped buckets)", () => {
    const bank = new ShardSeriesBank(2, 3, 10.5 * S, 2 * S);
    const plain = [new SeriesBank(3, 10.5 * S, 2 * S), new SeriesBank(3, 10.5 * S, 2 * S)];
    const adds: [number, number, number, number][] = [
      [0, 0, 0, 1],
      [0, 0, 1.5 * S, 2],
      [1, 0, 1.5 * S, 100],
      [0, 1, 3 * S, 10],
      [1, 2, 9 * S, 0.1],
      [1, 2, 9.5 * S, 0.2],
      [0, 1, 50 * S, 40],
    ];
    // The same adds at steps worked out once (addAt, as the stream stamps a window) give the same series.
    const stepped = new ShardSeriesBank(2, 3, 10.5 * S, 2 * S);
    const steppedPlain = [new SeriesBank(3, 10.5 * S, 2 * S), new SeriesBank(3, 10.5 * S, 2 * S)];
    for (const [k, row, t, v] of adds) {
      bank.add(k, row, t, v);
      plain[k]!.add(row, t, v);
      stepped.addAt(k, row, stepped.bucketOf(t), v);
      steppedPlain[k]!.addAt(row, steppedPlain[k]!.bucketOf(t), v);
    }
    for (const k of [0, 1]) {
      for (let r = 0; r < 3; r++) expect([...stepped.metric(k).row(r)]).toEqual([...bank.metric(k).row(r)]);
      for (let r = 0; r < 3; r++) expect([...steppedPlain[k]!.row(r)]).toEqual([...plain[k]!.row(r)]);
    }
    for (const k of [0, 1]) {
      const m = bank.metric(k);
      expect(m.points).toBe(6);
      for (let r = 0; r < 3; r++) expect([...m.row(r)]).toEqual([...plain[k]!.row(r)]);
      expect([...m.total()]).toEqual([...plain[k]!.total()]);
    }
    // Hand-computed: metric 0 row 0 is [3, 0, …]; metric 1 total in bucket 4 is 0.1 + 0.2 summed in order.
    expect([...bank.metric(0).row(0)]).toEqual([3, 0, 0, 0, 0, 0]);
    expect(bank.metric(1).total()[4]).toBe(0.1 + 0.2);
    expect([...bank.metric(0).row(1)]).toEqual([0, 10, 0, 0, 0, 40]);
  });

  it("a metric's rows are copies: writing into one leaves the bank alone", () => {
    const bank = new ShardSeriesBank(1, 2, 4 * S, S);
    bank.add(0, 1, 2 * S, 5);
    const r = bank.metric(0).row(1);
    r[2] = 99;
    expect(bank.metric(0).row(1)[2]).toBe(5);
  });
});

describe("ShardSeriesBank rowsAbove", () => {
  it("marks the rows with a step above the limit of that step, as their row copies show, without copying them", () => {
    // 3 shards, 4 steps of 1 s: shard 0 at 5 every step; shard 1 reaches 11 at step 2, over that step's limit of 10;
    // shard 2 reaches 10 exactly (not above) at every step but step 3, whose limit is 2.
    const bank = new ShardSeriesBank(1, 3, 4 * S, S);
    for (let step = 0; step < 4; step++) {
      bank.addAt(0, 0, step, 5);
      bank.addAt(0, 1, step, step === 2 ? 11 : 1);
      bank.addAt(0, 2, step, step === 3 ? 3 : 10);
    }
    const m = bank.metric(0);
    expect([...m.rowsAbove(() => 10)]).toEqual([0, 1, 0]);
    // Step 3's limit of 2: shard 0's 5 and shard 2's 3 are above it, shard 1 already was at step 2.
    expect([...m.rowsAbove((step) => (step === 3 ? 2 : 10))]).toEqual([1, 1, 1]);
    // The same answer as scanning each row's copy.
    for (const limit of [0, 4, 5, 10, 11]) expect([...m.rowsAbove(() => limit)]).toEqual([0, 1, 2].map((r) => (m.row(r).some((x) => x > limit) ? 1 : 0)));
  });
});
