// A binary min-heap of events ordered by (time, insertion sequence). Events scheduled for the same
// instant come out in the order they were scheduled, which is what makes a run reproducible.
// Times and sequence numbers live in typed arrays; the payload (a callback) in a parallel array.

import type { Micros } from "./time.js";

export class EventQueue<T> {
  private times: Float64Array;
  private seqs: Float64Array;
  private items: (T | undefined)[];
  private count = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.items = new Array<T | undefined>(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): Micros {
    return this.count === 0 ? Infinity : this.times[0]!;
  }

  push(time: Micros, item: T): void {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    let i = this.count++;
    // Sift up: move parents down until the slot fits.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.times[parent]!;
      if (pt < time || (pt === time && this.seqs[parent]! < seq)) break;
      this.times[i] = pt;
      this.seqs[i] = this.seqs[parent]!;
      this.items[i] = this.items[parent];
      i = parent;
    }
    this.times[i] = time;
    this.seqs[i] = seq;
    this.items[i] = item;
  }

  /** Removes and returns the earliest event's payload; call peekTime() first for its time. */
  pop(): T {
    if (this.count === 0) throw new Error("pop() on an empty event queue");
    const top = this.items[0] as T;
    const last = --this.count;
    const time = this.times[last]!;
    const seq = this.seqs[last]!;
    const item = this.items[last];
    this.items[last] = undefined;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (
        right < last &&
        (this.times[right]! < this.times[child]! ||
          (this.times[right] === this.times[child] && this.seqs[right]! < this.seqs[child]!))
      ) {
        child = right;
      }
      const ct = this.times[child]!;
      if (time < ct || (time === ct && seq < this.seqs[child]!)) break;
      this.times[i] = ct;
      this.seqs[i] = this.seqs[child]!;
      this.items[i] = this.items[child];
      i = child;
    }
    if (last > 0) {
      this.times[i] = time;
      this.seqs[i] = seq;
      this.items[i] = item;
    }
    return top;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n);
    times.set(this.times);
    const seqs = new Float64Array(n);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.items.length = n;
  }
}
