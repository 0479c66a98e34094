// Where a producer's requests go: the Kinesis stream (PutRecords / PutRecord to its shards) or a Firehose
// delivery stream with source direct-put (PutRecordBatch / PutRecord, one quota for the whole stream).

import type { Micros } from "../engine/time.js";
import type { Batch } from "./batch.js";
import type { HashKeyRange } from "./kinesis/hashing.js";

export interface PutTarget {
  readonly name: string;
  /** Partitions the producer routes records to: the stream's shards, or 1 for a delivery stream. */
  readonly shardCount: number;
  /** Hash key ranges of those partitions (one range covering all keys for a delivery stream). */
  readonly ranges: readonly HashKeyRange[];
  /** A stream that reshards during the run: its open shards now (routing follows them) and a hook for each change. */
  openRanges?(): { shards: number[]; ranges: HashKeyRange[] };
  onReshard?(listener: (t: Micros) => void): void;
  readonly reshardsDuringRun?: boolean;
  /** Whether a shard takes writes now, and the open shard that holds the middle of a closed one's range. */
  isOpen?(shard: number): boolean;
  openShardFor?(shard: number): number;
  /** Largest record (data + partition key) the target takes. */
  readonly maxRecordSize: number;
  /**
   * Records (data + partition key) larger than this are admitted one at a time (a stream's large records, beyond
   * what its shard's byte bucket holds); at batch granularity producers send them in batches of their own.
   * Absent: no such records (a delivery stream).
   */
  readonly largeRecordBytes?: number;
  /** Whether records carry partition keys (a delivery stream's do not). */
  readonly keyed: boolean;
  /** Largest request the target takes, in bytes (PutRecords 5 or 10 MiB, PutRecordBatch 4 MiB). */
  readonly maxRequestBytes: number;
  /**
   * Record granularity: a request starts at `now`; false if the target refuses the call as a whole (a
   * delivery stream's requests-per-second quota). Targets without a per-call limit always accept.
   */
  beginRequest?(now: Micros): boolean;
  /** Record granularity: offers a batch at `now`; returns how many of its records (oldest first) were accepted. */
  put(batch: Batch, now: Micros): number;
  /**
   * Batch granularity: the batches offered in the window ending at `now`, standing for `calls` API calls;
   * writes into `accepted` how many records of each batch (oldest first) were accepted.
   */
  admitWindow(batches: readonly Batch[], now: Micros, accepted: number[], windowStart?: Micros, calls?: number): void;
}
