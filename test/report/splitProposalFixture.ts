// A split proposal of an evenly loaded shard offered 130% of its record limit (a stream short of capacity), for the
// remedy's sentence tests: shard 1 of stream `stream`, hash keys 100..199, at an even share of `open` shards.
import type { SplitProposal } from "../../src/result/splitProposal.js";

export const evenShardProposal = (stream: string, open: number, over: Partial<SplitProposal> = {}): SplitProposal => ({
  stream,
  shard: "shardId-000000000001",
  startingHashKey: "100",
  endingHashKey: "199",
  load: { recordsPerSecond: 1_300, bytesPerSecond: 130_000, peakRecordsPerSecond: 1_300, peakBytesPerSecond: 130_000, utilisation: 1.3, peakUtilisation: 1.3 },
  shareOfStream: 1 / open,
  evenShare: 1 / open,
  evenlyLoaded: true,
  belowEven: false,
  writers: [],
  keys: 0,
  aggregatedKeys: 0,
  spreadShare: 1,
  split: null,
  tooHot: [],
  fits: true,
  evenChildren: 2,
  childrenNeeded: 2,
  ...over,
});
