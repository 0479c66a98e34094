// The rules the service enforces on a scenario's scheduled reshards, checked before anything runs: each call is
// replayed in time order on the stream's shard map (src/aws/shardMap.ts), so a split of a shard that a previous
// reshard closed, a target outside half-to-twice the open shards, an 11th UpdateShardCount in 24 hours or a call
// while the previous one still runs is a scenario error that names the rule. Mode rules: split, merge and
// UpdateShardCount only on a provisioned stream (SplitShard API reference: "provisioned mode only"); at most two
// capacity-mode switches per rolling 24 hours; warm throughput only with On-demand Advantage.

import type { z } from "zod";
import { MODE_SWITCHES_PER_24H } from "../aws/limits.js";
import { ReshardRefused, ShardMap } from "../aws/shardMap.js";
import type { ReshardSpec } from "./reshards.js";
import type { StreamSpec } from "./stream.js";

const DAY_US = 24 * 3_600_000_000;

interface Target {
  name: string;
  spec: StreamSpec;
}

/** Checks `reshards` against the streams they name; adds an issue at each call the service would refuse. */
export function checkReshards(reshards: readonly ReshardSpec[], streams: readonly Target[], several: boolean, quota: number | undefined, ctx: z.RefinementCtx): void {
  const order = reshards.map((r, i) => ({ r, i })).sort((a, b) => a.r.at - b.r.at || a.i - b.i);
  const state = new Map<string, { map: ShardMap; mode: StreamSpec["mode"]; switches: number[] }>();
  for (const st of streams) state.set(st.name, { map: new ShardMap(st.spec.shards, quota ?? Number.POSITIVE_INFINITY), mode: st.spec.mode, switches: [] });
  for (const { r, i } of order) {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path: ["reshards", i, ...path], message });
    if (streams.length === 0) {
      issue(["kind"], "the scenario has no Kinesis stream to reshard");
      continue;
    }
    if (r.stream === undefined && several) {
      issue(["stream"], `the scenario has ${streams.length} streams (${streams.map((s) => s.name).join(", ")}): name the one to reshard with \`stream:\``);
      continue;
    }
    const target = r.stream === undefined ? streams[0]! : streams.find((s) => s.name === r.stream);
    if (!target) {
      issue(["stream"], `no stream named "${r.stream}" (streams: ${streams.map((s) => s.name).join(", ")})`);
      continue;
    }
    const s = state.get(target.name)!;
    const times = target.spec.reshardDuration;
    if (r.kind === "switch-mode") {
      const recent = s.switches.filter((t) => t > r.at - DAY_US);
      if (recent.length >= MODE_SWITCHES_PER_24H) issue(["at"], `a stream switches capacity mode at most ${MODE_SWITCHES_PER_24H} times per rolling 24 hours`);
      else if (r.mode === s.mode) issue(["mode"], `the stream is already ${r.mode} at that time`);
      else {
        s.switches.push(r.at);
        s.mode = r.mode;
      }
      continue;
    }
    if (r.kind === "warm-throughput") {
      if (s.mode !== "on-demand-advantage") issue(["kind"], `warm throughput (UpdateStreamWarmThroughput) needs On-demand Advantage; the stream is ${s.mode} at that time`);
      continue;
    }
    if (s.mode !== "provisioned") {
      issue(["kind"], `${r.kind} works on a provisioned stream only; the stream is ${s.mode} at that time (the service reshards on-demand streams itself)`);
      continue;
    }
    try {
      if (r.kind === "split") s.map.split(r.shard, r.hashKey === undefined ? undefined : BigInt(r.hashKey), r.at, times.splitMerge);
      else if (r.kind === "merge") s.map.merge(r.shards[0], r.shards[1], r.at, times.splitMerge);
      else {
        s.map.complete(r.at);
        s.map.updateShardCount(r.target, r.at, uniformScalingDuration(times, s.map.open().length, r.target));
      }
    } catch (e) {
      if (!(e instanceof ReshardRefused)) throw e;
      const field = e.rule === "hash-key" ? "hashKey" : e.rule === "target" || e.rule === "quota" ? (r.kind === "update-shard-count" ? "target" : "kind") : e.rule === "in-use" || e.rule === "limit-exceeded" ? "at" : r.kind === "merge" ? "shards" : "shard";
      issue([field], e.message);
    }
  }
}

/** Whether an UpdateShardCount target is a multiple of 25% of the open shards (such targets finish faster). */
export function isQuarterTarget(open: number, target: number): boolean {
  return (4 * target) % open === 0;
}

/** How long an UpdateShardCount from `open` shards to `target` keeps the stream UPDATING (stream.reshardDuration). */
export function uniformScalingDuration(times: StreamSpec["reshardDuration"], open: number, target: number): number {
  return isQuarterTarget(open, target) ? times.uniformScalingQuarter : times.uniformScaling;
}
