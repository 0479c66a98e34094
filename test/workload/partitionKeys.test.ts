// Partition key populations and UTF-8 key lengths. Byte lengths are checked against Node's own encoder
// (Buffer.byteLength(s, "utf8"), which is what an SDK sends on the wire); shares against hand-computed values.
import { describe, expect, it } from "vitest";
import { RandomStream } from "../../src/engine/random.js";
import { PartitionKeySchema } from "../../src/spec/index.js";
import { keyPopulation, meanKeyBytes, utf8Length, type KeyPopulation } from "../../src/workload/partitionKeys.js";

function population(input: unknown): KeyPopulation {
  return keyPopulation(PartitionKeySchema.parse(input), RandomStream.root(1).fork("key names"));
}

function shareSum(p: KeyPopulation): number {
  return p.shares.reduce((s, x) => s + x, 0) + p.randomShare;
}

describe("utf8Length", () => {
  it.each([
    ["empty", "", 0],
    ["ASCII", "user-42", 7],
    ["accents (2 bytes each)", "café-ñ", 8],
    ["CJK (3 bytes each)", "用户", 6],
    ["emoji (a surrogate pair, 4 bytes)", "😀", 4],
    ["mixed", "a é 中 😀", 1 + 1 + 2 + 1 + 3 + 1 + 4],
    ["U+07FF, the last 2-byte code point", "\u07ff", 2],
    ["U+0800, the first 3-byte code point", "\u0800", 3],
    ["U+FFFF", "\uffff", 3],
    ["U+10FFFF", "\u{10ffff}", 4],
  ])("utf8Length(%s) is %s bytes, as Buffer.byteLength", (_, s, bytes) => {
    expect(Buffer.byteLength(s, "utf8")).toBe(bytes);
    expect(utf8Length(s)).toBe(bytes);
  });

  // A lone surrogate is not a Unicode scalar value; Buffer (like TextEncoder, which the AWS SDK uses) encodes it
  // as U+FFFD, 3 bytes (EF BF BD).
  it("Buffer encodes a lone surrogate as U+FFFD (EF BF BD)", () => {
    expect([...Buffer.from("\ud800", "utf8")]).toEqual([0xef, 0xbf, 0xbd]);
    expect([...Buffer.from("\udc00", "utf8")]).toEqual([0xef, 0xbf, 0xbd]);
  });

  it.each([
    ["a lone high surrogate at the end", "a\ud83d", 4],
    ["a lone low surrogate", "\udc00", 3],
    ["a low surrogate before a high one", "\udc00\ud800", 6],
    ["a lone high surrogate before ASCII", "\ud800a", 4],
  ])("utf8Length(%s) is %s bytes, as Buffer.byteLength (U+FFFD for the lone surrogate)", (_, s, bytes) => {
    expect(Buffer.byteLength(s, "utf8")).toBe(bytes);
    expect(utf8Length(s)).toBe(bytes);
  });

  // A high surrogate not followed by a low one is a lone surrogate: Buffer encodes it as U+FFFD (3 bytes) and
  // then the next character on its own. (utf8Length once took any following unit as the pair's second half.)
  it.each([
    ["two high surrogates", "\ud800\ud800"],
    ["a high surrogate before é", "\ud800é"],
    ["a high surrogate before 中", "\ud800中"],
  ])("utf8Length(%s) is Buffer.byteLength (a lone high surrogate is U+FFFD, 3 bytes)", (_, s) => {
    expect(utf8Length(s)).toBe(Buffer.byteLength(s, "utf8"));
  });

  it.each([
    ["two high surrogates", "\ud800\ud800", 6],
    ["a high surrogate before é", "\ud800é", 5],
    ["a high surrogate before 中", "\ud800中", 6],
  ])("Buffer.byteLength(%s) is %s: 3 bytes of U+FFFD, then the next unit on its own", (_, s, bytes) => {
    expect(Buffer.byteLength(s, "utf8")).toBe(bytes);
  });
});

describe("keyPopulation", () => {
  it("random (default length 36) has no discrete keys and all traffic random", () => {
    const p = population({ kind: "random" });
    expect(p.count).toBe(0);
    expect(p.shares).toHaveLength(0);
    expect(p.randomShare).toBe(1);
    expect(p.randomKeyBytes).toBe(36);
    expect(p.keyBytesAt(0)).toBe(36);
    expect(shareSum(p)).toBe(1);
    expect(() => p.partitionKeyAt(0)).toThrow(RangeError);
  });

  it("random with length 16 sends 16-byte keys", () => {
    const p = population({ kind: "random", length: 16 });
    expect(p.randomKeyBytes).toBe(16);
    expect(p.keyBytesAt(3)).toBe(16);
  });

  it("zipf (5 keys, exponent 1, ranked names) has shares 1/i divided by H₅ = 137/60, keys key-1..key-5", () => {
    const p = population({ kind: "zipf", keys: 5, exponent: 1, names: "ranked" });
    expect(p.count).toBe(5);
    const expected = [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5].map((w) => (w * 60) / 137);
    [...p.shares].forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 15));
    expect([0, 1, 2, 3, 4].map((i) => p.partitionKeyAt(i))).toEqual(["key-1", "key-2", "key-3", "key-4", "key-5"]);
    expect(p.randomShare).toBe(0);
    expect(shareSum(p)).toBeCloseTo(1, 15);
  });

  it("zipf (4 keys, exponent 0) shares traffic equally", () => {
    const p = population({ kind: "zipf", keys: 4, exponent: 0 });
    expect([...p.shares]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("zipf (1000 keys, exponent 1.1) shares sum to 1 and fall with rank", () => {
    const p = population({ kind: "zipf", keys: 1_000, exponent: 1.1 });
    expect(shareSum(p)).toBeCloseTo(1, 12);
    // Rank 2 over rank 1 is 2^-1.1.
    expect(p.shares[1]! / p.shares[0]!).toBeCloseTo(2 ** -1.1, 14);
    for (let i = 1; i < p.count; i++) expect(p.shares[i]!).toBeLessThan(p.shares[i - 1]!);
  });

  it("zipf keyBytesAt(i) is the UTF-8 length of partitionKeyAt(i), for an accented prefix and 1- to 4-digit ranks", () => {
    const p = population({ kind: "zipf", keys: 1_200, prefix: "clé-", names: "ranked" });
    expect(p.partitionKeyAt(0)).toBe("clé-1");
    expect(p.partitionKeyAt(1_199)).toBe("clé-1200");
    expect(p.keyBytesAt(0)).toBe(6); // c l é(2) - 1
    expect(p.keyBytesAt(1_199)).toBe(9);
    for (const i of [0, 8, 9, 98, 99, 998, 999, 1_199]) {
      expect(p.keyBytesAt(i)).toBe(Buffer.byteLength(p.partitionKeyAt(i), "utf8"));
    }
    // Shuffled names: the same 1,200 names, each byte length the UTF-8 length of the name it has.
    const q = population({ kind: "zipf", keys: 1_200, prefix: "clé-" });
    for (let i = 0; i < q.count; i++) expect(q.keyBytesAt(i)).toBe(Buffer.byteLength(q.partitionKeyAt(i), "utf8"));
  });

  it("zipf names are shuffled by default: the names key-1..key-K, each once, in an order drawn from the run's stream", () => {
    const spec = PartitionKeySchema.parse({ kind: "zipf", keys: 500, prefix: "page-" });
    expect(spec.kind === "zipf" && spec.names).toBe("shuffled");
    const names = (seed: number) => {
      const p = keyPopulation(spec, RandomStream.root(seed).fork("key names"));
      return Array.from({ length: p.count }, (_, i) => p.partitionKeyAt(i));
    };
    const a = names(1);
    // A permutation of the 500 names…
    expect([...a].sort()).toEqual(Array.from({ length: 500 }, (_, i) => `page-${i + 1}`).sort());
    // …the same for the same seed, another for another seed; the shares stay by rank.
    expect(names(1)).toEqual(a);
    const b = names(2);
    expect(b).not.toEqual(a);
    // Not the ranked order: of 500 ranks, a shuffle leaves about one in place (at most 10 here, for these seeds).
    expect(a.filter((name, i) => name === `page-${i + 1}`).length).toBeLessThanOrEqual(10);
    // Over 200 seeds the most popular key gets 200 draws among 500 names: at least 150 distinct names
    // (the expected count is 500·(1 − (1 − 1/500)^200) ≈ 165).
    const top = new Set(Array.from({ length: 200 }, (_, s) => keyPopulation(spec, RandomStream.root(s).fork("key names")).partitionKeyAt(0)));
    expect(top.size).toBeGreaterThanOrEqual(150);
  });

  it("hotKeys (0.2 and 0.05) leaves randomShare = 1 − 0.25 = 0.75 with otherLength-byte keys", () => {
    const p = population({
      kind: "hotKeys",
      keys: [
        { key: "tenant-a", share: 0.2 },
        { key: "ü", share: 0.05 },
      ],
      otherLength: 20,
    });
    expect(p.count).toBe(2);
    expect([...p.shares]).toEqual([0.2, 0.05]);
    expect(p.randomShare).toBeCloseTo(0.75, 15);
    expect(p.randomKeyBytes).toBe(20);
    expect([p.partitionKeyAt(0), p.partitionKeyAt(1)]).toEqual(["tenant-a", "ü"]);
    expect([p.keyBytesAt(0), p.keyBytesAt(1)]).toEqual([8, 2]);
    expect(shareSum(p)).toBeCloseTo(1, 15);
  });

  it("hotKeys whose shares add to 1 leave no random traffic", () => {
    const p = population({
      kind: "hotKeys",
      keys: [
        { key: "a", share: 0.5 },
        { key: "b", share: 0.5 },
      ],
    });
    expect(p.randomShare).toBe(0);
    expect(p.randomKeyBytes).toBe(36);
  });

  it("explicit hash keys with shares [1, 3] are normalised to [0.25, 0.75]", () => {
    const p = population({ kind: "explicit", hashKeys: ["0", "170141183460469231731687303715884105728"], shares: [1, 3] });
    expect(p.count).toBe(2);
    expect([...p.shares]).toEqual([0.25, 0.75]);
    expect(p.randomShare).toBe(0);
    expect(p.explicitHashKeyAt!(0)).toBe(0n);
    expect(p.explicitHashKeyAt!(1)).toBe(2n ** 127n);
    expect([p.partitionKeyAt(0), p.partitionKeyAt(1)]).toEqual(["explicit-0", "explicit-1"]);
    expect(p.keyBytesAt(1)).toBe(36);
  });

  it("explicit hash keys without shares are equally weighted (1/3 each), with length-byte keys", () => {
    const p = population({ kind: "explicit", hashKeys: ["1", "2", "3"], length: 8 });
    [...p.shares].forEach((s) => expect(s).toBeCloseTo(1 / 3, 15));
    expect(shareSum(p)).toBeCloseTo(1, 15);
    expect(p.keyBytesAt(2)).toBe(8);
  });
});

describe("meanKeyBytes: the partition-key bytes a record carries on average (what counts with its data in a shard's 1 MiB/s)", () => {
  const pk = (x: unknown) => PartitionKeySchema.parse(x);

  it("random and explicit keys: their length; hot keys: each its own by its share, the rest otherLength", () => {
    expect(meanKeyBytes(pk({ kind: "random" }))).toBe(36);
    expect(meanKeyBytes(pk({ kind: "explicit", hashKeys: ["0"], length: 8 }))).toBe(8);
    // "abc" (3 B) for half the records, "é" (2 B) for a quarter, the rest random keys of 36 B: 1.5 + 0.5 + 9 = 11.
    expect(meanKeyBytes(pk({ kind: "hotKeys", keys: [{ key: "abc", share: 0.5 }, { key: "é", share: 0.25 }] }))).toBe(11);
  });

  it("Zipf keys: the prefix + their number's digits, by popularity (ranked), or the mean over 1..K (shuffled)", () => {
    // "key-1".."key-10", shuffled: 4 + (9 × 1 + 1 × 2) ÷ 10 = 5.1.
    expect(meanKeyBytes(pk({ kind: "zipf", keys: 10 }))).toBeCloseTo(5.1, 12);
    // 1..1,000: 9 × 1 + 90 × 2 + 900 × 3 + 1 × 4 = 2,893 digits.
    expect(meanKeyBytes(pk({ kind: "zipf", keys: 1000, prefix: "" }))).toBeCloseTo(2.893, 12);
    // Ranked, exponent 1, 10 keys: key 10 (2 digits) has weight 1/10 of H(10) = 2.928968…: 4 + 1 + 0.1 ÷ 2.928968.
    expect(meanKeyBytes(pk({ kind: "zipf", keys: 10, names: "ranked" }))).toBeCloseTo(5 + 0.1 / 2.9289682539682538, 12);
    // The ranked mean is the population's own (keyPopulation's shares and keyBytesAt).
    const pop = keyPopulation(pk({ kind: "zipf", keys: 10, names: "ranked" }), new RandomStream("1"));
    let fromPopulation = 0;
    for (let i = 0; i < pop.count; i++) fromPopulation += pop.shares[i]! * pop.keyBytesAt(i);
    expect(meanKeyBytes(pk({ kind: "zipf", keys: 10, names: "ranked" }))).toBeCloseTo(fromPopulation, 12);
  });
});
