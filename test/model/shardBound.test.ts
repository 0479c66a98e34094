// A reshard past the shards a run sized its stream's per-shard arrays for (shardPlan: for an autoscaling policy, from its
// writers' peak rates and its threshold) cannot be simulated. It was a plain Error, which the CLI reported as an internal
// error (exit 70, "this is a bug"); it is a ShardBoundError, which the CLI reports as bad input with what to change.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { ShardBoundError, Stream } from "../../src/model/kinesis/stream.js";
import { StreamSchema } from "../../src/spec/index.js";

const S = 1_000_000;

describe("a reshard past the shards the run sized the stream for", () => {
  it("is a ShardBoundError naming the stream, the policy, the time, the count and the bound", () => {
    // 4 shards, arrays for 6: UpdateShardCount to 8 creates 8 children (12 shards had).
    const stream = new Stream(StreamSchema.parse({ shards: 4 }), "events", 600 * S, S, 0, { shardCapacity: 6, reshardable: true });
    let thrown: unknown;
    try {
      stream.reshard({ kind: "update-shard-count", at: 90 * S, duration: 60 * S, target: 8 }, "scaling-utils", () => {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ShardBoundError);
    expect((thrown as Error).message).toMatch(/^stream events: the scaling-utils policy's reshard at 90 s would bring the shards it has had to 12, past the 6 this run sized it for .*; bound the policy with autoscaling\.maxShards, or lower the load it scales for$/);
  });

  it("within the bound, goes ahead", () => {
    const stream = new Stream(StreamSchema.parse({ shards: 4 }), "events", 600 * S, S, 0, { shardCapacity: 12, reshardable: true });
    expect(stream.reshard({ kind: "update-shard-count", at: 90 * S, duration: 60 * S, target: 8 }, "scaling-utils", () => {})).toBe("ok");
  });

  it("the CLI reports it as bad input (exit 1) without 'internal error', and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shardcast-"));
    const outDir = join(dir, "out");
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => void err.push(s), errIsTTY: false, now: () => 0 };
    // main() maps the error class whatever throws it: a command that throws ShardBoundError from its action.
    const original = Stream.prototype.reshard;
    Stream.prototype.reshard = () => {
      throw new ShardBoundError("stream s: past the bound");
    };
    try {
      const code = await main(["run", "scenarios/reshard-hot-shard.yaml", "--no-charts", "--out", outDir, "--quiet"], io);
      expect(code).toBe(1);
      expect(err.join("")).toBe("shardcast: stream s: past the bound\n");
      expect(existsSync(outDir)).toBe(false);
    } finally {
      Stream.prototype.reshard = original;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
