// trafficOnRange: a key population's traffic on one hash key range, worked out here with node:crypto (the MD5 of
// each key as a 128-bit big-endian integer) and the populations' shares.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createStreamRanges } from "../../src/model/kinesis/hashing.js";
import { routeKeys, trafficOnRange } from "../../src/model/kinesis/keyRouting.js";
import { RandomStream } from "../../src/engine/random.js";
import { keyPopulation } from "../../src/workload/partitionKeys.js";

const NAMES = RandomStream.root(1).fork("key names");

const md5 = (key: string) => BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`);

describe("trafficOnRange", () => {
  // tenant-27 and tenant-2 hash into the first half of the space, tenant-1 into the second (checked below).
  const pop = keyPopulation({ kind: "hotKeys", keys: [{ key: "tenant-2", share: 0.3 }, { key: "tenant-27", share: 0.2 }, { key: "tenant-1", share: 0.1 }], otherLength: 36 }, NAMES);
  const [first, second] = createStreamRanges(2) as [{ start: bigint; end: bigint }, { start: bigint; end: bigint }];

  it("lists the keys in the range sorted by hash key, with their shares and key bytes, and the random keys' share of the range", () => {
    expect(md5("tenant-27") < md5("tenant-2") && md5("tenant-2") < 2n ** 127n && md5("tenant-1") >= 2n ** 127n).toBe(true);
    const t = trafficOnRange(pop, first);
    expect(t.keys.map((k) => [pop.partitionKeyAt(k.index), k.hashKey, k.keyBytes])).toEqual([
      ["tenant-27", md5("tenant-27"), 9],
      ["tenant-2", md5("tenant-2"), 8],
    ]);
    // Shares of the population's records (0.3 + 0.2 + 0.1 + 0.4 random, normalised as routeKeys does).
    expect(t.keys[0]!.share).toBeCloseTo(0.2, 15);
    expect(t.keys[1]!.share).toBeCloseTo(0.3, 15);
    expect(t.random.share).toBeCloseTo(0.4 * 0.5, 15);
    expect(t.random.keyBytes).toBe(36);
    expect(t.rest).toEqual({ count: 0, share: 0, keyBytes: 0 });
    expect(trafficOnRange(pop, second).keys.map((k) => pop.partitionKeyAt(k.index))).toEqual(["tenant-1"]);
  });

  it("agrees with routeKeys: the keys' and random shares on a shard add up to the shard's share", () => {
    const ranges = createStreamRanges(2);
    const routing = routeKeys(pop, ranges);
    ranges.forEach((range, s) => {
      const t = trafficOnRange(pop, range);
      expect(t.keys.reduce((a, k) => a + k.share, 0) + t.random.share).toBeCloseTo(routing.shares[s]!, 15);
    });
  });

  it("keeps the heaviest maxKeys keys and aggregates the rest; candidates limit the keys hashed", () => {
    const zipf = keyPopulation({ kind: "zipf", keys: 50, exponent: 1, prefix: "user-", names: "ranked" }, NAMES);
    const all = trafficOnRange(zipf, first);
    const top = trafficOnRange(zipf, first, { maxKeys: 3 });
    expect(top.keys).toHaveLength(3);
    const heaviest = [...all.keys].sort((a, b) => b.share - a.share).slice(0, 3).map((k) => k.index).sort((a, b) => a - b);
    expect(top.keys.map((k) => k.index).sort((a, b) => a - b)).toEqual(heaviest);
    expect(top.rest.count).toBe(all.keys.length - 3);
    expect(top.rest.share + top.keys.reduce((a, k) => a + k.share, 0)).toBeCloseTo(all.keys.reduce((a, k) => a + k.share, 0), 15);
    const routing = routeKeys(zipf, createStreamRanges(2));
    const onFirst = [...routing.shardOfKey.keys()].filter((i) => routing.shardOfKey[i] === 0);
    expect(trafficOnRange(zipf, first, { candidates: onFirst })).toEqual(all);
    expect(trafficOnRange(zipf, first, { candidates: [] }).keys).toEqual([]);
  });
});
