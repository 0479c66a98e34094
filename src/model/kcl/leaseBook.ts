// What a scan of the lease table would find, kept as the leases change instead of found by scanning: the leases each
// worker owns (KCL 3.x discovery), and for the KCL 2.x lease taker which leases are expired (not renewed for
// failoverTime, or never owned), which have not been renewed for longer than some age, and how many unexpired leases
// each worker holds, with the most loaded one. A taker pass then costs what it decides, not the size of the table:
// at 10,000 shards and 1,000 workers the scans were 10⁷ lease visits per taker interval.
//
// Every answer is what the full scan gave, in the same order: lists come in the table's scan order (the order the
// leases were created in, which is the order of KclState.leases), ties between workers go to the lowest index.
// The leases are kept in two lists sorted by last renewal: those found expired at the last `sync` (older first)
// and the others; a renewal moves a lease to the end of the second (a renewal is at the current time, the latest).

import type { Micros } from "../../engine/time.js";
import type { Lease, LeaseFollower } from "./lease.js";

/** The most loaded worker and its unexpired leases; owner −1 when no other worker holds any. */
export interface Loaded {
  owner: number;
  count: number;
}

class List {
  head: Lease | null = null;
  tail: Lease | null = null;
  size = 0;
}

const byOrder = (a: Lease, b: Lease) => a.order - b.order;

export class LeaseBook implements LeaseFollower {
  /** Leases not renewed for longer than this are expired (the taker's failoverTime); set before the first sync. */
  failover: Micros = Infinity;
  /** Per owner (≥ 0), the leases it owns. */
  private readonly owned = new Map<number, Set<Lease>>();
  /** Leases found expired at the last sync (renewed before lastSync − failover), oldest renewal first. */
  private readonly stale = new List();
  /** The others, oldest renewal first. */
  private readonly fresh = new List();
  private lastSync: Micros = -Infinity;
  /** Per owner, its unexpired (fresh) leases; and the fresh leases with no owner. */
  private readonly freshOf = new Map<number, Set<Lease>>();
  private readonly freshUnowned = new Set<Lease>();
  /** Owners holding at least one fresh lease. */
  private ownersWithFresh = 0;
  /**
   * A tournament tree over owner indexes for the most loaded one: leaf i holds owner i's fresh leases, each inner
   * node the index of its subtree's highest (the lower index on a tie). Node 1 is the root; leaves from `size`.
   */
  private size = 2;
  private counts = new Float64Array(2);
  private best = new Int32Array(4);

  /** A lease enters the table (unowned or not). */
  add(lease: Lease): void {
    lease.book = this;
    this.insert(lease);
    if (lease.owner >= 0) this.ownedSet(lease.owner).add(lease);
    if (!lease.bookStale) this.countIn(lease, lease.owner);
  }

  /** A lease leaves the table (its shard is finished): the book forgets it. */
  remove(lease: Lease): void {
    if (lease.book !== this) return;
    if (!lease.bookStale) this.countOut(lease, lease.owner);
    if (lease.owner >= 0) this.owned.get(lease.owner)!.delete(lease);
    this.unlink(lease);
    lease.book = null;
  }

  /** Called by the lease when its owner changes. */
  ownerChanged(lease: Lease, from: number): void {
    if (from >= 0) this.owned.get(from)!.delete(lease);
    if (lease.owner >= 0) this.ownedSet(lease.owner).add(lease);
    if (lease.bookStale) return;
    this.countOut(lease, from);
    this.countIn(lease, lease.owner);
  }

  /** Called by the lease when its last renewal changes. */
  renewed(lease: Lease): void {
    const wasStale = lease.bookStale;
    this.unlink(lease);
    this.insert(lease);
    // A renewal now keeps a fresh lease fresh: its owner's count moves only when it changes list.
    if (wasStale && !lease.bookStale) this.countIn(lease, lease.owner);
    else if (!wasStale && lease.bookStale) this.countOut(lease, lease.owner);
  }

  /** The leases a worker owns, in scan order (a query of the lease-owner index, or a scan filtered by owner). */
  ownedBy(owner: number): Lease[] {
    const set = this.owned.get(owner);
    return set ? [...set].sort(byOrder) : [];
  }

  /** Brings the expired leases up to `t` (not earlier than the last sync). */
  sync(t: Micros): void {
    if (t < this.lastSync) throw new Error(`LeaseBook.sync(${t}) before the last sync at ${this.lastSync}`);
    this.lastSync = t;
    for (let l = this.fresh.head; l !== null && this.expiredAt(l, t); l = this.fresh.head) {
      this.countOut(l, l.owner);
      this.unlink(l);
      this.append(this.stale, l);
      l.bookStale = true;
    }
  }

  /** Whether a lease is expired at `t` by its renewal alone, as the taker's scan decides it. */
  private expiredAt(lease: Lease, t: Micros): boolean {
    return t - lease.lastRenewal > this.failover;
  }

  // What a taker pass reads, after sync(t).

  /** Leases not renewed for more than `age` at the last sync (age ≥ failover), in scan order. */
  renewedLongerAgo(age: Micros): Lease[] {
    if (age < this.failover) throw new Error("LeaseBook.renewedLongerAgo: age below failover");
    const t = this.lastSync;
    const out: Lease[] = [];
    for (let l = this.stale.head; l !== null && t - l.lastRenewal > age; l = l.bookNext) out.push(l);
    return out.sort(byOrder);
  }

  /** Whether any lease is expired (not renewed within failover, or unowned). */
  get anyExpired(): boolean {
    return this.stale.size > 0 || this.freshUnowned.size > 0;
  }

  /** The expired leases (not renewed within failover, or unowned), in scan order. */
  expired(): Lease[] {
    const out: Lease[] = [...this.freshUnowned];
    for (let l = this.stale.head; l !== null; l = l.bookNext) out.push(l);
    return out.sort(byOrder);
  }

  /** Unexpired leases a worker holds. */
  freshCount(owner: number): number {
    return this.freshOf.get(owner)?.size ?? 0;
  }

  /** Workers holding at least one unexpired lease. */
  get owners(): number {
    return this.ownersWithFresh;
  }

  /** An owner's unexpired leases, in scan order. */
  freshLeasesOf(owner: number): Lease[] {
    const set = this.freshOf.get(owner);
    return set ? [...set].sort(byOrder) : [];
  }

  /** The worker other than `except` holding the most unexpired leases (ties: the lowest index). */
  mostLoaded(except: number): Loaded {
    let top = this.best[1]!;
    if (top === except && except < this.size) {
      const own = this.counts[except]!;
      this.setCount(except, -1);
      top = this.best[1]!;
      this.setCount(except, own);
    }
    const count = top < this.size ? this.counts[top]! : 0;
    return count > 0 ? { owner: top, count } : { owner: -1, count: 0 };
  }

  // -------------------------------------------------------------------------------------------------------

  private ownedSet(owner: number): Set<Lease> {
    let set = this.owned.get(owner);
    if (!set) this.owned.set(owner, (set = new Set()));
    return set;
  }

  /** A fresh lease counts for its owner (it became fresh, or changed owner). */
  private countIn(lease: Lease, owner: number): void {
    if (owner < 0) {
      this.freshUnowned.add(lease);
      return;
    }
    let set = this.freshOf.get(owner);
    if (!set) this.freshOf.set(owner, (set = new Set()));
    set.add(lease);
    if (set.size === 1) this.ownersWithFresh++;
    this.setCount(owner, set.size);
  }

  /** A fresh lease stops counting for its owner (it becomes stale, changes owner or leaves). */
  private countOut(lease: Lease, owner: number): void {
    if (owner < 0) {
      this.freshUnowned.delete(lease);
      return;
    }
    const set = this.freshOf.get(owner)!;
    set.delete(lease);
    if (set.size === 0) this.ownersWithFresh--;
    this.setCount(owner, set.size);
  }

  /** Puts a lease in its list by its last renewal (from the end: a renewal now goes last at once). */
  private insert(lease: Lease): void {
    const stale = this.expiredAt(lease, this.lastSync);
    lease.bookStale = stale;
    const list = stale ? this.stale : this.fresh;
    let after = list.tail;
    while (after !== null && after.lastRenewal > lease.lastRenewal) after = after.bookPrev;
    lease.bookPrev = after;
    lease.bookNext = after ? after.bookNext : list.head;
    if (lease.bookNext) lease.bookNext.bookPrev = lease;
    else list.tail = lease;
    if (after) after.bookNext = lease;
    else list.head = lease;
    list.size++;
  }

  private append(list: List, lease: Lease): void {
    lease.bookPrev = list.tail;
    lease.bookNext = null;
    if (list.tail) list.tail.bookNext = lease;
    else list.head = lease;
    list.tail = lease;
    list.size++;
  }

  private unlink(lease: Lease): void {
    const list = lease.bookStale ? this.stale : this.fresh;
    if (lease.bookPrev) lease.bookPrev.bookNext = lease.bookNext;
    else list.head = lease.bookNext;
    if (lease.bookNext) lease.bookNext.bookPrev = lease.bookPrev;
    else list.tail = lease.bookPrev;
    lease.bookPrev = lease.bookNext = null;
    list.size--;
  }

  /** Sets an owner's count in the tournament tree (growing it to hold the owner). */
  private setCount(owner: number, count: number): void {
    if (owner >= this.size) this.grow(owner + 1);
    this.counts[owner] = count;
    for (let node = (owner + this.size) >> 1; node >= 1; node >>= 1) this.best[node] = this.better(this.child(2 * node), this.child(2 * node + 1));
  }

  /** The owner a node stands for: a leaf's own index, an inner node's winner. */
  private child(node: number): number {
    return node >= this.size ? node - this.size : this.best[node]!;
  }

  private better(left: number, right: number): number {
    return this.counts[right]! > this.counts[left]! ? right : left;
  }

  private grow(owners: number): void {
    let size = this.size;
    while (size < owners) size *= 2;
    const counts = new Float64Array(size);
    counts.set(this.counts);
    this.size = size;
    this.counts = counts;
    this.best = new Int32Array(2 * size);
    for (let node = size - 1; node >= 1; node--) this.best[node] = this.better(this.child(2 * node), this.child(2 * node + 1));
  }
}
