// A shard's lease: its entry in the lease table (owner, counter, checkpoint, parents, last renewal) as the KCL's
// workers read and write it, with a follower (the application's LeaseBook) told of every owner change and renewal.

import type { Micros } from "../../engine/time.js";

/**
 * Why a lease's record processor started where it did, for the records it processes again (ShardReaders.reprocessedBy):
 * KCL 3.x's leader moved the lease off a running worker (rebalanced) or gave it a new owner after it expired; its worker
 * lost it (a renewal that could not be written within failoverTimeMillis) and found it again; or anything else (the
 * application's start, a 2.x taker's take or steal, a restarted worker, a stream processor's or Lambda's reader).
 */
export const START = { other: 0, rebalanced: 1, expired: 2, lost: 3 } as const;
export type StartCause = (typeof START)[keyof typeof START];
export const START_CAUSES = 4;

/** What is told when a lease's owner or last renewal changes (LeaseBook). */
export interface LeaseFollower {
  ownerChanged(lease: Lease, from: number): void;
  renewed(lease: Lease): void;
}

/**
 * A shard's lease in the lease table. Its owner and last renewal are followed by the application's LeaseBook (what a
 * scan of the table would find) while the lease is in the table: setting them tells the book.
 */
export class Lease {
  /** leaseCounter: every renewal, checkpoint and take moves it; a take is conditional on the value its scan saw. */
  counter = 0;
  /** Whether a worker ever held it (its first owner starts where the application started). */
  everOwned = false;
  /** Sequence number to restart from; null when the application never checkpointed this shard. */
  checkpoint: number | null = null;
  /** Checkpointed at SHARD_END (its shard was closed by a reshard and processed to its end): out of the table. */
  finished = false;
  /** KCL 3.x checkpointOwner: the old owner while a graceful handoff to `owner` is pending; null otherwise. */
  checkpointOwner: number | null = null;
  /** KCL 3.x: the throughput its owner last wrote with a renewal (KB/s, an EMA); null before any. */
  throughputKBps: number | null = null;
  /** Why its next record processor starts (START): set when the 3.x leader moves it or its worker loses it, taken by that processor. */
  nextStart: StartCause = START.other;
  /** Record data its record processors started processing since its owner's last renewal (bytes). */
  bytesSinceRenewal = 0;
  private ownerIndex = -1;
  private renewedAt: Micros = -Infinity;
  /** The book following it while it is in the table (null before and after), and its place in the book's lists. */
  book: LeaseFollower | null = null;
  bookPrev: Lease | null = null;
  bookNext: Lease | null = null;
  bookStale = false;

  constructor(
    readonly shard: number,
    /** The shards it was split or merged from: its record processor starts once their leases are finished. */
    readonly parents: readonly number[],
    /** Its place among the leases the application created: the order a scan of the table returns them in. */
    readonly order: number,
  ) {}

  /** Worker index, or −1 when the lease has never been taken. */
  get owner(): number {
    return this.ownerIndex;
  }
  set owner(index: number) {
    const from = this.ownerIndex;
    if (index === from) return;
    this.ownerIndex = index;
    this.book?.ownerChanged(this, from);
  }

  get lastRenewal(): Micros {
    return this.renewedAt;
  }
  set lastRenewal(t: Micros) {
    this.renewedAt = t;
    this.book?.renewed(this);
  }
}

/** A new lease in the table: unowned, never renewed. */
export function newLease(shard: number, parents: readonly number[], order: number): Lease {
  return new Lease(shard, parents, order);
}
