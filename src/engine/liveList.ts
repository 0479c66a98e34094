// Items that come and go by the thousand a second (invocations running, deliveries in flight), kept in the order
// they were added and removed in O(1) by the slot add gave each: the job a Set did. Measured, not explained: with a
// Firehose transformation's running invocations in a Set, a 1,000-shard run's young-generation collector copied
// 1.7 MB per scavenge (the invocations and their chunks, promoted and swept later); with this list, 0.33 MB.

/** What a LiveList holds: an object with a slot the list writes (−1 while it is not in a list). */
export interface Slotted {
  slot: number;
}

export class LiveList<T extends Slotted> implements Iterable<T> {
  private readonly items: (T | null)[] = [];
  /** Slots in use are below `end`; removed items leave null until a compaction. */
  private end = 0;
  /** Items held. */
  size = 0;

  /** Adds `x` last; nothing when it is already in this list (as Set.add). It must not be in another list. */
  add(x: T): void {
    if (x.slot >= 0 && x.slot < this.end && this.items[x.slot] === x) return;
    x.slot = this.end;
    this.items[this.end++] = x;
    this.size++;
  }

  /** Removes `x`; false when it is not in this list. */
  delete(x: T): boolean {
    const i = x.slot;
    if (i < 0 || i >= this.end || this.items[i] !== x) return false;
    this.items[i] = null;
    x.slot = -1;
    this.size--;
    if (this.end >= 64 && this.size * 2 < this.end) this.compact();
    return true;
  }

  /** Moves the items down over the gaps, in order. */
  private compact(): void {
    const items = this.items;
    let j = 0;
    for (let i = 0; i < this.end; i++) {
      const x = items[i]!;
      if (x === null) continue;
      x.slot = j;
      items[j++] = x;
    }
    for (let i = j; i < this.end; i++) items[i] = null;
    this.end = j;
  }

  /** The items in the order they were added. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.end; i++) {
      const x = this.items[i];
      if (x) yield x;
    }
  }
}
