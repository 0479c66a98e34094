// What a run produces: plain data (numbers, arrays, typed arrays), no behaviour. Reports are pure functions
// of a RunResult; sweeps ship RunResults between worker threads.

import type { LatencySummary } from "../metrics/latency.js";
import type { Scenario } from "../scenario/schema.js";

export interface ShardResult {
  id: string;
  startingHashKey: string;
  endingHashKey: string;
  /** Expected share of the stream's records, from the key populations' exact routing. */
  expectedShare: number;
  /** After warmup. */
  incomingRecords: number;
  incomingBytes: number;
  throttledRecords: number;
  throttledByRecordLimit: number;
  throttledByByteLimit: number;
  /** Busiest second after warmup, of records accepted and of records offered (utilisation = max of records/limit, bytes/limit). */
  peakIncoming: PeakSecond;
  peakOffered: PeakSecond;
  /** Whole run. */
  storedRecords: number;
}

export interface PeakSecond {
  /** Start of the second, µs from the start of the run (−1 when the shard saw nothing). */
  at: number;
  records: number;
  bytes: number;
  utilisation: number;
}

export interface ProducerResult {
  name: string;
  client: "sdk";
  instances: number;
  keys: string;
  /** The most popular discrete keys (up to 5): key, share of this producer's records, shard id. */
  topKeys: { key: string; share: number; shard: string }[];
  offered: number;
  accepted: number;
  lost: { throttledPastRetries: number; tooLarge: number };
  inFlight: { buffered: number; awaitingRetry: number };
  /** After warmup. */
  attempts: number;
  throttledAttempts: number;
  retriedRecords: number;
  offeredAfterWarmup: number;
  offeredWriteBytesAfterWarmup: number;
  lostAfterWarmup: number;
  requests: number;
  putLatency: LatencySummary;
  putLatencyCdf: { value: number; fraction: number }[];
}

export interface Accounting {
  offered: number;
  accepted: number;
  inFlight: { buffered: number; awaitingRetry: number };
  lost: { throttledPastRetries: number; tooLarge: number };
  balanced: boolean;
}

export interface RunResult {
  scenario: Scenario;
  seed: number;
  durationUs: number;
  warmupUs: number;
  resolutionUs: number;
  granularity: "batch" | "record";
  windowUs: number;
  stream: {
    name: string;
    shardCount: number;
    writeBurstSeconds: number;
    maxRecordSize: number;
    limits: { bytesPerSecond: number; recordsPerSecond: number };
  };
  shards: ShardResult[];
  producers: ProducerResult[];
  putLatency: LatencySummary;
  putLatencyCdf: { value: number; fraction: number }[];
  accounting: Accounting;
  /** Stream-level series, one value per resolution step over the whole run. */
  series: {
    incomingRecords: number[];
    incomingBytes: number[];
    throttledRecords: number[];
    /** Highest shard utilisation (accepted) in each step: max over shards of max(records/limit, bytes/limit) per second. */
    maxShardUtilisation: number[];
  };
  /** Per-shard series of the hottest shards (by throttling, then peak offered utilisation), same resolution. */
  hotShardSeries: { shard: string; incomingRecords: number[]; incomingBytes: number[]; throttledRecords: number[] }[];
  engine: { events: number; batches: number };
}
