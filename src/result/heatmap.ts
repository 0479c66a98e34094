// Write utilisation per shard and time bin, for a heatmap: the hottest shards (at most HEATMAP_SHARDS, in
// shard order) and at most HEATMAP_BINS bins.

import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from "../aws/limits.js";
import type { Stream } from "../model/kinesis/stream.js";
import { S as MICROS_PER_SECOND } from "../spec/index.js";
import { hottestFirst } from "./hotShards.js";
import type { RunResult, ShardResult } from "./runResult.js";

export const HEATMAP_SHARDS = 64;
export const HEATMAP_BINS = 120;

/** Bins of `per` series steps each, over `points` steps. */
function bins(points: number): { per: number; bins: number } {
  const per = Math.ceil(points / Math.min(points, HEATMAP_BINS));
  return { per, bins: Math.ceil(points / per) };
}

/** The heatmap of a run without a stream: no shards, bins as a stream's would be. */
export function emptyHeatmap(points: number, resolution: number): RunResult["heatmap"] {
  return { binSeconds: bins(points).per * (resolution / MICROS_PER_SECOND), shards: [], utilisation: [], throttled: [] };
}

export function heatmapOf(stream: Stream, shards: ShardResult[], resolution: number): RunResult["heatmap"] {
  const points = stream.incomingRecordsSeries.points;
  const { per, bins: n } = bins(points);
  const step = resolution / MICROS_PER_SECOND;
  const chosen = hottestFirst(shards).slice(0, HEATMAP_SHARDS).sort((a, b) => a - b);
  const utilisation: number[][] = [];
  const throttled: number[][] = [];
  for (const i of chosen) {
    const r = stream.incomingRecordsSeries.row(i);
    const b = stream.incomingBytesSeries.row(i);
    const t = stream.throttledSeries.row(i);
    const u = new Array<number>(n).fill(0);
    const th = new Array<number>(n).fill(0);
    for (let p = 0; p < points; p++) {
      const bin = Math.floor(p / per);
      const x = Math.max(r[p]! / (SHARD_WRITE_RECORDS_PER_SECOND * step), b[p]! / (SHARD_WRITE_BYTES_PER_SECOND * step));
      if (x > u[bin]!) u[bin] = x;
      th[bin]! += t[p]!;
    }
    utilisation.push(u);
    throttled.push(th);
  }
  return { binSeconds: per * step, shards: chosen.map((i) => stream.shardIds[i]!), utilisation, throttled };
}
