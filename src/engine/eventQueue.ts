// A binary min-heap of events ordered by (time, insertion sequence). Events scheduled for the same
// instant come out in the order they were scheduled, which is what makes a run reproducible.
// Times, sequence numbers and payload ids live in typed arrays; the payloads (callbacks) in an array by id.

import type { Micros } from "./time.js";

export class EventQueue<T> {
  // The heap is three typed arrays (time, sequence number, and the id of the event's payload), so moving an entry
  // up or down moves numbers only. The payloads stay where they were put, in `payload` by id, and ids are reused
  // last-freed first, so the slot a pop frees is the one the next push fills.
  private times: Float64Array;
  private seqs: Float64Array;
  private ids: Int32Array;
  private payload: (T | undefined)[];
  private freeIds: Int32Array;
  private nFree = 0;
  private nextId = 0;
  private count = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.ids = new Int32Array(initialCapacity);
    this.freeIds = new Int32Array(initialCapacity);
    this.payload = [];
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
    const id = this.nFree > 0 ? this.freeIds[--this.nFree]! : this.nextId++;
    this.payload[id] = item;
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const ids = this.ids;
    let i = this.count++;
    // Sift up: move parents down until the slot fits.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      ids[i] = ids[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    ids[i] = id;
  }

  /** Removes and returns the earliest event's payload; call peekTime() first for its time. */
  pop(): T {
    if (this.count === 0) throw new Error("pop() on an empty event queue");
    const times = this.times;
    const seqs = this.seqs;
    const ids = this.ids;
    const topId = ids[0]!;
    const top = this.payload[topId] as T;
    this.payload[topId] = undefined;
    this.freeIds[this.nFree++] = topId;
    const last = --this.count;
    const time = times[last]!;
    const seq = seqs[last]!;
    const id = ids[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && (times[right]! < times[child]! || (times[right] === times[child] && seqs[right]! < seqs[child]!))) {
        child = right;
      }
      const ct = times[child]!;
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      ids[i] = ids[child]!;
      i = child;
    }
    if (last > 0) {
      times[i] = time;
      seqs[i] = seq;
      ids[i] = id;
    }
    return top;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n);
    times.set(this.times);
    const seqs = new Float64Array(n);
    seqs.set(this.seqs);
    const ids = new Int32Array(n);
    ids.set(this.ids);
    // Ids in use never exceed the events held, so the free list needs no more room than the heap.
    const freeIds = new Int32Array(n);
    freeIds.set(this.freeIds);
    this.times = times;
    this.seqs = seqs;
    this.ids = ids;
    this.freeIds = freeIds;
  }
}
