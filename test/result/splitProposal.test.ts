// The split of a hot shard, on traffic built by hand so each expectation is worked out on paper: a shard's keys at
// known hash keys with known rates, random keys spread evenly over its range, against one shard's 1,000 records/s
// and 1 MiB/s.
import { describe, expect, it } from "vitest";
import type { Load, ShardTraffic } from "../../src/result/runResult.js";
import { hotForKeys, splitProposal } from "../../src/result/splitProposal.js";
import { splitLines } from "../../src/report/verdict.js";

const MiB = 1_048_576;
const LIMITS = { recordsPerSecond: 1_000, bytesPerSecond: MiB };
/** The second shard of two: [2^127, 2^128 − 1]. */
const START = 2n ** 127n;
const END = 2n ** 128n - 1n;
const WIDTH = END - START + 1n;

/** A load at a constant rate (peak = mean) of `bytes`-byte records. */
function load(records: number, bytes = 100, peakToMean = 1): Load {
  return { recordsPerSecond: records, bytesPerSecond: records * bytes, peakRecordsPerSecond: records * peakToMean, peakBytesPerSecond: records * bytes * peakToMean };
}

/** Keys at fractions of the range with their loads, and an even spread. */
function traffic(keys: { at: number; load: Load }[], spread: Load = load(0)): ShardTraffic {
  const hk = (at: number) => START + (WIDTH * BigInt(Math.round(at * 1e6))) / 1_000_000n;
  const all = [...keys.map((k) => k.load), spread];
  const sum = (f: (l: Load) => number) => all.reduce((s, l) => s + f(l), 0);
  return {
    shard: "shardId-000000000001",
    startingHashKey: START.toString(),
    endingHashKey: END.toString(),
    writers: [
      {
        name: "web",
        recordsPerSecond: sum((l) => l.recordsPerSecond),
        bytesPerSecond: sum((l) => l.bytesPerSecond),
        peakRecordsPerSecond: sum((l) => l.peakRecordsPerSecond),
        peakBytesPerSecond: sum((l) => l.peakBytesPerSecond),
        peakToMean: 1,
      },
    ],
    keys: keys.map((k, i) => ({ key: `key-${i + 1}`, hashKey: hk(k.at).toString(), ...k.load })),
    spread,
    aggregatedKeys: 0,
  };
}

const propose = (t: ShardTraffic) => splitProposal("clicks", t, LIMITS);

describe("two keys on a shard, nothing else", () => {
  // key-1 at 600 records/s (hash key at 30% of the range), key-2 at 500 (at 70%): 1,100 records/s, 110% of the
  // record limit. Keys cannot be divided: the split falls between them, NewStartingHashKey = key-2's hash key.
  const t = traffic([
    { at: 0.3, load: load(600) },
    { at: 0.7, load: load(500) },
  ]);
  const p = propose(t);

  it("splits at the second key's hash key", () => {
    expect(p.split!.hashKey).toBe(t.keys[1]!.hashKey);
    expect(p.split!.beforeKey).toBe("key-2");
  });

  it("the children get the keys' rates: 600 and 500 records/s, 60,000 and 50,000 B/s; both fit", () => {
    const [a, b] = p.split!.children;
    expect(a.recordsPerSecond).toBeCloseTo(600, 9);
    expect(b.recordsPerSecond).toBeCloseTo(500, 9);
    expect(a.bytesPerSecond).toBeCloseTo(60_000, 6);
    expect(b.bytesPerSecond).toBeCloseTo(50_000, 6);
    expect(a.utilisation).toBeCloseTo(0.6, 12);
    expect([a.keys, b.keys]).toEqual([1, 1]);
    expect(a.startingHashKey).toBe(START.toString());
    expect(BigInt(a.endingHashKey) + 1n).toBe(BigInt(b.startingHashKey));
    expect(b.endingHashKey).toBe(END.toString());
    expect(p.fits).toBe(true);
    expect(p.tooHot).toEqual([]);
    expect(p.load.utilisation).toBeCloseTo(1.1, 12);
    expect(p.evenChildren).toBe(2);
    expect(p.childrenNeeded).toBe(2);
  });

  it("three keys 300, 400, 300: the splits before the second key (300 | 700) and before the third (700 | 300) tie, and the first is kept", () => {
    const q = propose(
      traffic([
        { at: 0.2, load: load(300) },
        { at: 0.5, load: load(400) },
        { at: 0.8, load: load(300) },
      ]),
    );
    expect(q.split!.beforeKey).toBe("key-2");
    expect(q.split!.children.map((c) => Math.round(c.recordsPerSecond))).toEqual([300, 700]);
  });

  it("keys 200, 500, 450: the split before the third key gives 700 | 450, better than 200 | 950", () => {
    const q = propose(
      traffic([
        { at: 0.2, load: load(200) },
        { at: 0.5, load: load(500) },
        { at: 0.8, load: load(450) },
      ]),
    );
    expect(q.split!.beforeKey).toBe("key-3");
    expect(q.split!.children.map((c) => Math.round(c.recordsPerSecond))).toEqual([700, 450]);
  });
});

describe("random keys spread evenly over the shard", () => {
  it("1,400 records/s of random keys split at the middle of the range (± 1), 700 records/s each", () => {
    const p = propose(traffic([], load(1_400)));
    const mid = START + WIDTH / 2n;
    const h = BigInt(p.split!.hashKey);
    expect(h - mid <= 1n && mid - h <= 1n).toBe(true);
    expect(p.split!.beforeKey).toBeNull();
    const [a, b] = p.split!.children;
    expect(a.recordsPerSecond).toBeCloseTo(700, 9);
    expect(b.recordsPerSecond).toBeCloseTo(700, 9);
    expect(p.fits).toBe(true);
    expect(p.spreadShare).toBe(1);
  });

  it("a key of 300 records/s at 25% and 1,000 records/s random: the children meet at 650 where 300 + 1,000·u = 650, u = 0.35", () => {
    const p = propose(traffic([{ at: 0.25, load: load(300) }], load(1_000)));
    const u = Number(BigInt(p.split!.hashKey) - START) / Number(WIDTH);
    expect(u).toBeCloseTo(0.35, 9);
    expect(p.split!.children[0].recordsPerSecond).toBeCloseTo(650, 6);
    expect(p.split!.children[1].recordsPerSecond).toBeCloseTo(650, 6);
    expect(p.split!.children.map((c) => c.keys)).toEqual([1, 0]);
  });

  it("a key of 900 records/s at 60% and 200 random: no balance inside the spread, so the split falls at the key (u = 0.6): 120 | 980", () => {
    const p = propose(traffic([{ at: 0.6, load: load(900) }], load(200)));
    // Left of the key the left child grows to 0.6 × 200 = 120 while the right has 980; just past it, 1,020 | 80.
    expect(p.split!.hashKey).toBe(traffic([{ at: 0.6, load: load(900) }]).keys[0]!.hashKey);
    expect(p.split!.beforeKey).toBe("key-1");
    expect(p.split!.children[0].recordsPerSecond).toBeCloseTo(120, 6);
    expect(p.split!.children[1].recordsPerSecond).toBeCloseTo(980, 6);
    expect(p.fits).toBe(true);
  });
});

describe("when one split is not enough", () => {
  it("one key at 1,500 records/s: no split can help (the key is named, nothing to replay)", () => {
    const p = propose(traffic([{ at: 0.4, load: load(1_500) }, { at: 0.8, load: load(200) }]));
    expect(p.tooHot.map((k) => [k.key, k.recordsPerSecond])).toEqual([["key-1", 1_500]]);
    expect(p.tooHot[0]!.utilisation).toBeCloseTo(1.5, 12);
    expect(p.fits).toBe(false);
    expect(p.childrenNeeded).toBeNull();
  });

  it("a key of 1.2 MiB/s in 200 records/s of 6 KiB is too hot by bytes", () => {
    const p = propose(traffic([{ at: 0.4, load: load(200, 6_291) }, { at: 0.8, load: load(100) }]));
    expect(p.tooHot).toHaveLength(1);
    expect(p.tooHot[0]!.utilisation).toBeCloseTo((200 * 6_291) / MiB, 12);
  });

  it("a key under the limits at its mean but over at its writer's peak rate (×1.5: 800 → 1,200) is too hot", () => {
    const p = propose(traffic([{ at: 0.4, load: load(800, 100, 1.5) }, { at: 0.8, load: load(100, 100, 1.5) }]));
    expect(p.tooHot.map((k) => k.key)).toEqual(["key-1"]);
    expect(p.tooHot[0]!.peakUtilisation).toBeCloseTo(1.2, 12);
  });

  it("2,600 records/s random: split in the middle, 1,300 each, more splits needed: 3 shards", () => {
    const p = propose(traffic([], load(2_600)));
    expect(p.split!.children.map((c) => c.recordsPerSecond)).toEqual([1_300, 1_300]);
    expect(p.fits).toBe(false);
    expect(p.evenChildren).toBe(3);
    expect(p.childrenNeeded).toBe(3);
  });

  it("three keys of 600 records/s: an even split would need 2 shards, but the keys allow no fewer than 3", () => {
    const p = propose(
      traffic([
        { at: 0.2, load: load(600) },
        { at: 0.5, load: load(600) },
        { at: 0.8, load: load(600) },
      ]),
    );
    expect(p.split!.children.map((c) => c.recordsPerSecond)).toEqual([600, 1_200]);
    expect(p.fits).toBe(false);
    expect(p.evenChildren).toBe(2);
    expect(p.childrenNeeded).toBe(3);
  });

  it("fits at the mean but not at the peak rate (×1.4): 1,300 records/s → 650 | 650 mean, 910 | 910 peak fit; ×1.6 → 1,040 do not", () => {
    expect(propose(traffic([], load(1_300, 100, 1.4))).fits).toBe(true);
    const p = propose(traffic([], load(1_300, 100, 1.6)));
    expect(p.split!.children[0].utilisation).toBeCloseTo(0.65, 12);
    expect(p.split!.children[0].peakUtilisation).toBeCloseTo(1.04, 12);
    expect(p.fits).toBe(false);
    expect(p.evenChildren).toBe(3);
  });

  it("a shard whose traffic is one key has nothing to split", () => {
    const p = propose(traffic([{ at: 0.5, load: load(800) }]));
    expect(p.split).toBeNull();
    expect(p.fits).toBe(false);
  });
});

describe("a hot shard or a stream short of capacity", () => {
  it("a shard with 26% of a 4-shard stream's records is evenly loaded (within 10% of 25%); one with 40% is hot", () => {
    const t = traffic([], load(1_400));
    expect(splitProposal("clicks", t, LIMITS, { share: 0.26, shards: 4 })).toMatchObject({ shareOfStream: 0.26, evenShare: 0.25, evenlyLoaded: true });
    expect(splitProposal("clicks", t, LIMITS, { share: 0.4, shards: 4 }).evenlyLoaded).toBe(false);
    expect(splitProposal("clicks", t, LIMITS, { share: 1, shards: 1 }).evenlyLoaded).toBe(false);
  });

  it("within 10% of an even spread either way is even; further under it is a cold shard, not an even one (helper-62)", () => {
    // 4 shards: even 25%; 25% ÷ 1.1 = 22.7% and 25% × 1.1 = 27.5% bound the even ones.
    const t = traffic([], load(1_400));
    const of = (share: number) => splitProposal("clicks", t, LIMITS, { share, shards: 4 });
    expect(of(0.075)).toMatchObject({ evenlyLoaded: false, belowEven: true });
    expect(of(0.22)).toMatchObject({ evenlyLoaded: false, belowEven: true });
    expect(of(0.23)).toMatchObject({ evenlyLoaded: true, belowEven: false });
    expect(of(0.27)).toMatchObject({ evenlyLoaded: true, belowEven: false });
    expect(of(0.28)).toMatchObject({ evenlyLoaded: false, belowEven: false });
    expect(splitProposal("clicks", t, LIMITS, { share: 1, shards: 1 }).belowEven).toBe(false);
  });

  it("only a shard hot for its keys (over 27.5% of 4 shards', or a stream's only shard) gets a split: 1,400 records/s of random keys, 700 a child", () => {
    const t = traffic([], load(1_400));
    const of = (share: number, shards = 4) => splitProposal("clicks", t, LIMITS, { share, shards });
    for (const share of [0.075, 0.22, 0.23, 0.27]) {
      expect(of(share).split).toBeNull();
      expect(of(share).fits).toBe(false);
      expect(hotForKeys(share, 4)).toBe(false);
    }
    for (const [share, shards] of [[0.28, 4], [1, 1]] as const) {
      expect(hotForKeys(share, shards)).toBe(true);
      expect(of(share, shards).split!.children.map((c) => c.recordsPerSecond)).toEqual([700, 700]);
      expect(of(share, shards).fits).toBe(true);
    }
  });
});

describe("two keys of 1,000 records/s each", () => {
  // key-1 and key-2 at 1,000 records/s each (at 30% and 70% of the range): the split between them leaves each child at
  // exactly a shard's 1,000 records/s: within the limits, as an even split of 200% into 2 shards counts, and at them.
  it("fits at 100% of a shard's record limit, and the remedy warns that the busiest seconds would be throttled", () => {
    const p = propose(traffic([{ at: 0.3, load: load(1_000) }, { at: 0.7, load: load(1_000) }]));
    expect(p.split!.children.map((c) => c.peakUtilisation)).toEqual([1, 1]);
    expect(p.fits).toBe(true);
    expect(p.evenChildren).toBe(2);
    expect(splitLines(p, LIMITS).join("\n")).toContain("The busier child would run at 100.0% of them: with that noise its busiest seconds would be throttled; a third child leaves room.");
  });
});
