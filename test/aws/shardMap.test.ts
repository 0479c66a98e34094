// The shard map's resharding rules against the API references (SplitShard, MergeShards, UpdateShardCount) and
// hand-computed hash key ranges.
import { describe, expect, it } from "vitest";
import { HASH_KEY_SPACE } from "../../src/aws/limits.js";
import { evenRanges, ReshardRefused, ShardMap, shardIdOf } from "../../src/aws/shardMap.js";

const Q = HASH_KEY_SPACE / 4n; // 2^126: each of 4 shards' width
const MIN = 60_000_000;
const refused = (f: () => unknown, rule: ReshardRefused["rule"]) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ReshardRefused);
    expect((e as ReshardRefused).rule).toBe(rule);
    return (e as ReshardRefused).message;
  }
  throw new Error(`expected a refusal (${rule})`);
};

describe("ShardMap", () => {
  it("starts with CreateStream's even ranges, ids from shardId-000000000000", () => {
    const m = new ShardMap(4);
    expect(m.open().map((s) => [shardIdOf(s.index), s.start, s.end])).toEqual([
      ["shardId-000000000000", 0n, Q - 1n],
      ["shardId-000000000001", Q, 2n * Q - 1n],
      ["shardId-000000000002", 2n * Q, 3n * Q - 1n],
      ["shardId-000000000003", 3n * Q, HASH_KEY_SPACE - 1n],
    ]);
    expect(evenRanges(3)[2]!.end).toBe(HASH_KEY_SPACE - 1n);
  });

  it("splits a shard at its middle by default: children 4 and 5 open, the parent closes, when the split is done", () => {
    const m = new ShardMap(4);
    const p = m.split("shardId-000000000001", undefined, 10 * MIN, 30_000_000);
    expect(p.doneAt).toBe(10 * MIN + 30_000_000);
    // UPDATING: still four open shards, and another call is refused (ResourceInUseException).
    expect(m.open()).toHaveLength(4);
    refused(() => m.split(0, undefined, 10 * MIN + 1, 1), "in-use");
    const created = m.complete(p.doneAt);
    expect(created.map((s) => [s.index, s.start, s.end, s.parents])).toEqual([
      [4, Q, Q + Q / 2n - 1n, [1]],
      [5, Q + Q / 2n, 2n * Q - 1n, [1]],
    ]);
    expect(m.find(1)!.closedAt).toBe(p.doneAt);
    expect(m.open().map((s) => s.index)).toEqual([0, 4, 5, 2, 3]);
  });

  it("refuses a NewStartingHashKey outside the shard's range (it must be from start + 1 to end)", () => {
    const m = new ShardMap(4);
    expect(refused(() => m.split(1, Q, 0, 1), "hash-key")).toContain(`from ${Q + 1n} to ${2n * Q - 1n}`);
    expect(refused(() => m.split(1, 2n * Q, 0, 1), "hash-key")).toBeTruthy();
    m.split(1, Q + 1n, 0, 1);
  });

  it("merges two adjacent shards into one child, and refuses shards whose ranges do not touch", () => {
    const m = new ShardMap(4);
    refused(() => m.merge(0, 2, 0, 1), "not-adjacent");
    m.merge("shardId-000000000001", "shardId-000000000000", 0, 30);
    const [child] = m.complete(30);
    expect([child!.index, child!.start, child!.end, child!.parents]).toEqual([4, 0n, 2n * Q - 1n, [0, 1]]);
    refused(() => m.split(0, undefined, 31, 1), "not-open");
    refused(() => m.split(9, undefined, 31, 1), "no-such-shard");
  });

  it("UpdateShardCount: a target from half to twice the open shards, evenly spread, children of the parents they overlap", () => {
    const m = new ShardMap(4);
    refused(() => m.updateShardCount(9, 0, 1), "target");
    refused(() => m.updateShardCount(1, 0, 1), "target");
    m.updateShardCount(8, 0, 5 * MIN);
    const created = m.complete(5 * MIN);
    expect(created).toHaveLength(8);
    expect(created.map((s) => s.parents)).toEqual([[0], [0], [1], [1], [2], [2], [3], [3]]);
    // 8 → 3 (not a divisor): the middle child overlaps three parents.
    m.updateShardCount(4, 6 * MIN, 1);
    m.complete(6 * MIN + 1);
    m.updateShardCount(3, 7 * MIN, 1);
    const three = m.complete(7 * MIN + 1);
    expect(three.map((s) => s.parents.length)).toEqual([2, 2, 2]);
  });

  it("allows 10 UpdateShardCount calls per rolling 24 hours: the 11th within a day is LimitExceeded, a day after the first it goes", () => {
    const m = new ShardMap(4);
    for (let i = 0; i < 10; i++) {
      m.updateShardCount(i % 2 === 0 ? 8 : 4, i * 10 * MIN, 1);
      m.complete(i * 10 * MIN + 1);
    }
    refused(() => m.updateShardCount(8, 23 * 60 * MIN, 1), "limit-exceeded");
    m.updateShardCount(8, 24 * 60 * MIN + 1, 1);
  });

  it("counts the shards a reshard creates against the account's shard quota while it runs", () => {
    const m = new ShardMap(4, 10);
    expect(refused(() => m.updateShardCount(8, 0, 1), "quota")).toContain("quota of 10");
    m.updateShardCount(6, 0, 1);
  });
});
