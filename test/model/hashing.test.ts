import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_HASH_KEY,
  createStreamRanges,
  hashKeyOf,
  rangeShare,
  shardIdName,
  shardIndexFor,
  type HashKeyRange,
} from "../../src/model/kinesis/hashing.js";

const TWO_128 = 340282366920938463463374607431768211456n;

/** The ranges as [start, end] decimal strings, as describe-stream prints them. */
function asStrings(ranges: HashKeyRange[]): [string, string][] {
  return ranges.map((r) => [r.start.toString(), r.end.toString()]);
}

describe("createStreamRanges", () => {
  it("createStreamRanges(3) equals the AWS CLI describe-stream example for a 3-shard stream", () => {
    expect(asStrings(createStreamRanges(3))).toEqual([
      ["0", "113427455640312821154458202477256070484"],
      ["113427455640312821154458202477256070485", "226854911280625642308916404954512140969"],
      ["226854911280625642308916404954512140970", "340282366920938463463374607431768211455"],
    ]);
  });

  it("createStreamRanges(1) is the whole space 0..2^128 − 1", () => {
    expect(asStrings(createStreamRanges(1))).toEqual([["0", "340282366920938463463374607431768211455"]]);
    expect(MAX_HASH_KEY).toBe(TWO_128 - 1n);
  });

  it("createStreamRanges(2) splits at 2^127: shard 0 ends at 170141183460469231731687303715884105727", () => {
    expect(asStrings(createStreamRanges(2))).toEqual([
      ["0", "170141183460469231731687303715884105727"],
      ["170141183460469231731687303715884105728", "340282366920938463463374607431768211455"],
    ]);
  });

  it("createStreamRanges(4) has boundaries at multiples of 2^126", () => {
    const q = 1n << 126n; // 85070591730234615865843651857942052864
    expect(createStreamRanges(4)).toEqual([
      { start: 0n, end: q - 1n },
      { start: q, end: 2n * q - 1n },
      { start: 2n * q, end: 3n * q - 1n },
      { start: 3n * q, end: 4n * q - 1n },
    ]);
    expect(createStreamRanges(4)[1]!.start.toString()).toBe("85070591730234615865843651857942052864");
  });

  it("createStreamRanges(N) for N = 5: h = floor(2^128/5) and the last shard takes the remainder", () => {
    // 2^128 = 5·68056473384187692692674921486353642291 + 1, so the last shard is one key wider.
    const h = 68056473384187692692674921486353642291n;
    const ranges = createStreamRanges(5);
    expect(ranges[0]).toEqual({ start: 0n, end: h - 1n });
    expect(ranges[4]).toEqual({ start: 4n * h, end: TWO_128 - 1n });
    expect(ranges[4]!.end - ranges[4]!.start + 1n).toBe(h + 1n);
  });

  it.each([0, -1, 1.5, Number.NaN])("createStreamRanges(%s) throws a RangeError", (n) => {
    expect(() => createStreamRanges(n)).toThrow(RangeError);
  });

  it("createStreamRanges(N) is N contiguous ranges covering 0..2^128 − 1, each floor(2^128/N) wide, the last plus 2^128 mod N (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
        const ranges = createStreamRanges(n);
        const h = TWO_128 / BigInt(n);
        const problems: string[] = [];
        if (ranges.length !== n) problems.push(`length ${ranges.length}`);
        if (ranges[0]!.start !== 0n) problems.push("does not start at 0");
        if (ranges[n - 1]!.end !== TWO_128 - 1n) problems.push("does not end at 2^128 − 1");
        for (let i = 0; i < n; i++) {
          const r = ranges[i]!;
          if (i > 0 && r.start !== ranges[i - 1]!.end + 1n) problems.push(`gap or overlap before ${i}`);
          const width = r.end - r.start + 1n;
          if (width !== (i < n - 1 ? h : h + (TWO_128 % BigInt(n)))) problems.push(`width of ${i} is ${width}`);
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

// MD5 fixtures computed outside this project, not with node:crypto:
//   printf '%s' 'KEY' | md5sum                                  → hex digest
//   python3 -c "import hashlib; print(int(hashlib.md5('KEY'.encode('utf-8')).hexdigest(), 16))"  → decimal
// Both tools agreed on every digest. The UTF-8 bytes of the non-ASCII keys (xxd): "clé" = 63 6c c3 a9,
// "日本" = e6 97 a5 e6 9c ac, "🔥" = f0 9f 94 a5 (one astral code point, a UTF-16 surrogate pair in JS).
const FIXTURES: { key: string; hex: string; decimal: bigint }[] = [
  { key: "a", hex: "0cc175b9c0f1b6a831c399e269772661", decimal: 16955237001963240173058271559858726497n },
  { key: "b", hex: "92eb5ffee6ae2fec3ad71c777531578f", decimal: 195289424170611159128911017612795795343n },
  { key: "partitionKey-1", hex: "77fe6d8289696ba8510480fbe3887256", decimal: 159499196025307651934328298402289840726n },
  { key: "user-42", hex: "7631bc07a1cc8fcd56e70fc6b2fb4a43", decimal: 157107139746365290205026809710278036035n },
  { key: "clé", hex: "a28cca724a993e4d2632421255a6f085", decimal: 216065962979188862129025276172069957765n },
  { key: "日本", hex: "4dbed2e657457884e67137d3514119b3", decimal: 103341369634063465466164320543046703539n },
  { key: "🔥", hex: "cbe676ae0a8ad11e8b2edd3f5089051e", decimal: 271029918535097110332486322609627661598n },
  { key: " ", hex: "7215ee9c7d9dc229d2921a40e899ec5f", decimal: 151645869365465006705965742398472055903n },
  { key: "0", hex: "cfcd208495d565ef66e7dff9f98764da", decimal: 276215275525073243129443018166533317850n },
  // Kinesis rejects an empty partition key, but the hash of zero bytes is the classic MD5 test vector.
  { key: "", hex: "d41d8cd98f00b204e9800998ecf8427e", decimal: 281949768489412648962353822266799178366n },
];

// Expected shard indices by hand from the decimal hash keys:
//   1 shard: always 0.
//   2 shards: 0 if hash < 2^127 = 170141183460469231731687303715884105728, else 1 (the first hex digit ≥ 8).
//   3 shards: boundaries 113427455640312821154458202477256070485 and 226854911280625642308916404954512140970.
//   4 shards: the top two bits, i.e. the first hex digit div 4 (0–3 → 0, 4–7 → 1, 8–b → 2, c–f → 3).
//   "a"  0cc1… = 16.9e36:  < 2^127 → 0; < 113.4e36 → 0; digit 0 → 0        → [0, 0, 0, 0]
//   "b"  92eb… = 195.3e36: ≥ 2^127 → 1; in 113.4..226.9e36 → 1; digit 9 → 2 → [0, 1, 1, 2]
//   "partitionKey-1" 77fe… = 159.5e36: < 170.1e36 → 0; → 1; digit 7 → 1    → [0, 0, 1, 1]
//   "user-42" 7631… = 157.1e36: → 0; → 1; digit 7 → 1                        → [0, 0, 1, 1]
//   "clé" a28c… = 216.1e36: → 1; < 226.9e36 → 1; digit a → 2                 → [0, 1, 1, 2]
//   "日本" 4dbe… = 103.3e36: → 0; < 113.4e36 → 0; digit 4 → 1                → [0, 0, 0, 1]
//   "🔥" cbe6… = 271.0e36: → 1; ≥ 226.9e36 → 2; digit c → 3                  → [0, 1, 2, 3]
//   " "  7215… = 151.6e36: → 0; → 1; digit 7 → 1                             → [0, 0, 1, 1]
//   "0"  cfcd… = 276.2e36: → 1; → 2; digit c → 3                             → [0, 1, 2, 3]
//   ""   d41d… = 281.9e36: → 1; → 2; digit d → 3                             → [0, 1, 2, 3]
const SHARDS_BY_COUNT: Record<string, [number, number, number, number]> = {
  a: [0, 0, 0, 0],
  b: [0, 1, 1, 2],
  "partitionKey-1": [0, 0, 1, 1],
  "user-42": [0, 0, 1, 1],
  clé: [0, 1, 1, 2],
  日本: [0, 0, 0, 1],
  "🔥": [0, 1, 2, 3],
  " ": [0, 0, 1, 1],
  "0": [0, 1, 2, 3],
  "": [0, 1, 2, 3],
};

describe("hashKeyOf", () => {
  it("the fixtures' hex and decimal forms agree (guards the fixtures themselves)", () => {
    for (const f of FIXTURES) expect(BigInt(`0x${f.hex}`)).toBe(f.decimal);
  });

  it.each(FIXTURES.map((f) => [JSON.stringify(f.key), f.decimal, f.key] as const))(
    "hashKeyOf(%s) is %s (md5sum / python3 hashlib)",
    (_label, decimal, key) => {
      expect(hashKeyOf(key)).toBe(decimal);
    },
  );

  it("hashKeyOf hashes the key's bytes as given, without Unicode normalization: NFD 'cle\\u0301' ≠ NFC 'clé'", () => {
    // printf 'cle\xcc\x81' | md5sum → a603afb57948ca8f6ce16378f9966175 (UTF-8 of "e" + U+0301 COMBINING ACUTE).
    expect(hashKeyOf("cle\u0301")).toBe(BigInt("0xa603afb57948ca8f6ce16378f9966175"));
    expect(hashKeyOf("cle\u0301")).toBe(220670987990385378920241468918122045813n);
    expect(hashKeyOf("cl\u00e9")).toBe(216065962979188862129025276172069957765n);
  });
});

describe("shardIndexFor", () => {
  it.each(
    FIXTURES.flatMap((f) =>
      [1, 2, 3, 4].map((n) => [JSON.stringify(f.key), n, SHARDS_BY_COUNT[f.key]![n - 1]!, f.decimal] as const),
    ),
  )("shardIndexFor(hashKeyOf(%s), %s shards) is shard %s", (_label, n, expected, decimal) => {
    expect(shardIndexFor(createStreamRanges(n), decimal)).toBe(expected);
  });

  it("shardIndexFor(hashKeyOf('a'), 4 shards) is shard 0 straight from the partition key", () => {
    expect(shardIndexFor(createStreamRanges(4), hashKeyOf("a"))).toBe(0);
    expect(shardIndexFor(createStreamRanges(4), hashKeyOf("🔥"))).toBe(3);
  });

  it("the 3-shard boundaries map to the shards on either side", () => {
    const r = createStreamRanges(3);
    expect(shardIndexFor(r, 0n)).toBe(0);
    expect(shardIndexFor(r, 113427455640312821154458202477256070484n)).toBe(0);
    expect(shardIndexFor(r, 113427455640312821154458202477256070485n)).toBe(1);
    expect(shardIndexFor(r, 226854911280625642308916404954512140969n)).toBe(1);
    expect(shardIndexFor(r, 226854911280625642308916404954512140970n)).toBe(2);
    expect(shardIndexFor(r, TWO_128 - 1n)).toBe(2);
  });

  it("shardIndexFor(ranges, −1) and shardIndexFor(ranges, 2^128) throw a RangeError", () => {
    const r = createStreamRanges(4);
    expect(() => shardIndexFor(r, -1n)).toThrow(RangeError);
    expect(() => shardIndexFor(r, TWO_128)).toThrow(RangeError);
  });

  it("shardIndexFor throws when the key falls in a gap between ranges", () => {
    const gappy: HashKeyRange[] = [
      { start: 0n, end: 99n },
      { start: 200n, end: MAX_HASH_KEY },
    ];
    expect(shardIndexFor(gappy, 99n)).toBe(0);
    expect(() => shardIndexFor(gappy, 150n)).toThrow(/no shard/);
    expect(shardIndexFor(gappy, 200n)).toBe(1);
  });

  it("shardIndexFor agrees with a linear scan of the ranges for any key and shard count (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.bigInt({ min: 0n, max: TWO_128 - 1n }), (n, key) => {
        const ranges = createStreamRanges(n);
        const expected = ranges.findIndex((r) => r.start <= key && key <= r.end);
        expect(shardIndexFor(ranges, key)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("shardIdName", () => {
  it.each([
    [0, "shardId-000000000000"],
    [1, "shardId-000000000001"],
    [12, "shardId-000000000012"],
    [999_999, "shardId-000000999999"],
  ])("shardIdName(%s) is %s", (index, name) => {
    expect(shardIdName(index)).toBe(name);
  });
});

describe("rangeShare", () => {
  it("rangeShare of createStreamRanges(1)[0] is exactly 1, of each of 2 ranges exactly 0.5", () => {
    expect(rangeShare(createStreamRanges(1)[0]!)).toBe(1);
    expect(createStreamRanges(2).map(rangeShare)).toEqual([0.5, 0.5]);
  });

  it("rangeShare of each of createStreamRanges(3) is 1/3 within 1e-15", () => {
    for (const r of createStreamRanges(3)) expect(Math.abs(rangeShare(r) - 1 / 3)).toBeLessThan(1e-15);
  });

  it("rangeShare of a 1-key range is 2^−128 and of [0, 2^75 − 1] is 2^−53", () => {
    expect(rangeShare({ start: 5n, end: 5n })).toBe(2 ** -128);
    expect(rangeShare({ start: 0n, end: (1n << 75n) - 1n })).toBe(2 ** -53);
  });

  it.each([1, 2, 3, 5, 7, 10, 64, 100, 1000, 4096])("shares of createStreamRanges(%s) sum to 1 within 1e-12", (n) => {
    const shares = createStreamRanges(n).map(rangeShare);
    expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    for (const s of shares) expect(Math.abs(s - 1 / n)).toBeLessThan(1e-15);
  });
});
