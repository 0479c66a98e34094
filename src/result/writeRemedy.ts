// What a stream's write throttling calls for, as its hot shard remedy judges its throttled shards (StreamVerdict's
// hotShardSplits, and the throttled shards past them): one answer that report.md's Hot shard remedy and a sweep's write
// reasons both read, so a sweep calls a configuration what its run calls it (before, the sweep said "write capacity"
// wherever more than a quarter of the shards throttled, while the run split its hot shards: 4 shards at 3,200 records/s
// of Zipf keys throttled on 2 hot shards, and their splits, rehearsed, throttled none).
//
// The stream is short of capacity where a shard not hot for its keys is over a shard's limits: at no more than about an
// even share, every shard at that share would be over too (helper-73: 4 shards offered 150% of their capacity, a cold
// shard over its limits; the hot shards' splits, rehearsed, left over 20% of the attempts throttled, 8 shards none).
// Not where the stream's mean offered load is over its capacity and every shard not hot for its keys fits: each split
// adds a shard, and the hot shards carry the excess (4 shards at 4,800 records/s of Zipf keys, 120% of their capacity,
// the two hot shards at 1.6 × a shard's limits and the others at 63% and 89%: their two splits, rehearsed, left no open
// shard throttling).

import type { StreamVerdict } from "./judge.js";
import type { StreamRun } from "./runResult.js";
import { hotForKeys, proposalHot, routedShare, type SplitProposal } from "./splitProposal.js";

export interface WriteRemedy {
  /** The throttled shards hot for their keys (hotForKeys), hottest first: each gets a split (or "no split can help" for a key too hot for any shard). Not a stream's only shard: its split is the stream's next shard, capacity. */
  hotShards: SplitProposal[];
  /** The cold shards that throttled in bursts within their limits (SplitProposal.bursts), hottest first: a split for them where their keys divide them. */
  burstShards: SplitProposal[];
  /**
   * The shards not hot for their keys (or a stream's only shard) over a shard's limits: a proposal's at its writers' peak
   * rates, a throttled shard's past the proposals at its mean demand (ShardResult.demand), utilisation of its limits.
   */
  overShards: { shard: string; utilisation: number }[];
  /** Whether the stream is short of capacity (overShards), so that adding shards (update-shard-count) is the remedy, or needed besides the hot shards' splits. */
  shortOfCapacity: boolean;
  /** Whether evenly loaded shards throttled in bursts within their limits: every shard's bursts, which adding shards spreads (a rehearsal shows whether enough). */
  evenBursts: boolean;
}

export function writeRemedy(run: Pick<StreamRun, "stream" | "shards">, sv: Pick<StreamVerdict, "hotShardSplits">): WriteRemedy {
  const lone = (p: SplitProposal) => p.evenShare >= 1;
  const proposals = sv.hotShardSplits;
  const shown = new Set(proposals.map((p) => p.shard));
  const overShards = [
    ...proposals.filter((p) => (!proposalHot(p) || lone(p)) && p.load.peakUtilisation > 1).map((p) => ({ shard: p.shard, utilisation: p.load.peakUtilisation })),
    ...run.shards
      .filter((s) => !shown.has(s.id) && (s.life?.closedAt ?? null) === null && s.demand.utilisation > 1)
      .filter((s) => {
        const { share, shards } = routedShare(run, s);
        return shards <= 1 || !hotForKeys(share, shards);
      })
      .map((s) => ({ shard: s.id, utilisation: s.demand.utilisation })),
  ];
  return {
    hotShards: proposals.filter((p) => proposalHot(p) && !lone(p)),
    burstShards: proposals.filter((p) => p.bursts !== undefined),
    overShards,
    shortOfCapacity: overShards.length > 0,
    evenBursts: proposals.some((p) => p.evenlyLoaded && p.load.peakUtilisation <= 1 && (p.heldBack ?? []).length === 0),
  };
}

/**
 * How shards come to a stream whose remedy calls for more, as its capacity mode at the end of the run allows: on a
 * provisioned stream UpdateShardCount; on an on-demand one the service's own splits (UpdateShardCount works on a
 * provisioned stream only: API reference), which stop at the mode's ceiling (StreamRun.onDemandCeiling: on-demand's
 * maximum write throughput in the scenario's Region, or the warm throughput's shards when more). The report words it.
 */
export interface AddShards {
  mode: "provisioned" | "on-demand" | "on-demand-advantage";
  /** On-demand: where the service's splits stopped at the mode's ceiling in the run (see Reshards), whose ceiling, and the Region's; null when they never did. */
  ceiling: { by: "on-demand maximum" | "warm throughput"; bytesPerSecond: number; region: string } | null;
}

export function addShardsOf(run: Pick<StreamRun, "stream" | "onDemandCeiling">): AddShards {
  const mode = run.stream.modes.at(-1)?.mode ?? "provisioned";
  const c = run.onDemandCeiling;
  return { mode, ceiling: mode !== "provisioned" && c ? { by: c.by, bytesPerSecond: c.bytesPerSecond, region: c.region } : null };
}
