import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/eventQueue.js";

/** Pops everything, returning [time, payload] pairs in pop order. */
function drain<T>(q: EventQueue<T>): [number, T][] {
  const out: [number, T][] = [];
  while (q.size > 0) {
    const t = q.peekTime();
    out.push([t, q.pop()]);
  }
  return out;
}

describe("EventQueue", () => {
  it("peekTime() of an empty queue is Infinity and size is 0", () => {
    const q = new EventQueue<string>();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.size).toBe(0);
  });

  it("pop() on an empty queue throws", () => {
    const q = new EventQueue<string>();
    expect(() => q.pop()).toThrow(/empty/);
    q.push(5, "x");
    q.pop();
    expect(() => q.pop()).toThrow(/empty/);
  });

  it("pops by time, then by insertion order at equal times", () => {
    const q = new EventQueue<string>();
    q.push(1000, "c");
    q.push(0, "a");
    q.push(2000, "e");
    q.push(0, "b");
    q.push(1000, "d");
    expect(q.size).toBe(5);
    expect(q.peekTime()).toBe(0);
    expect(drain(q)).toEqual([
      [0, "a"],
      [0, "b"],
      [1000, "c"],
      [1000, "d"],
      [2000, "e"],
    ]);
    expect(q.peekTime()).toBe(Infinity);
  });

  it("keeps FIFO order for 1000 events at one instant", () => {
    const q = new EventQueue<number>(4);
    for (let i = 0; i < 1000; i++) q.push(42, i);
    const popped = drain(q).map(([, v]) => v);
    expect(popped).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("grows past its initial capacity of 1 without losing or reordering events", () => {
    const q = new EventQueue<number>(1);
    const times = [9, 3, 7, 3, 1, 8, 2, 2, 6, 0, 5, 4];
    times.forEach((t, i) => q.push(t, i));
    expect(q.size).toBe(12);
    // Hand-sorted by (time, index): 0@9, 1@4, 2@6, 2@7, 3@1, 3@3, 4@11, 5@10, 6@8, 7@2, 8@5, 9@0.
    expect(drain(q)).toEqual([
      [0, 9],
      [1, 4],
      [2, 6],
      [2, 7],
      [3, 1],
      [3, 3],
      [4, 11],
      [5, 10],
      [6, 8],
      [7, 2],
      [8, 5],
      [9, 0],
    ]);
  });

  it("pops come out as a stable sort by time of everything pushed (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue<number>(2);
        times.forEach((t, i) => q.push(t, i));
        // Array.prototype.sort is stable (ES2019), so this is the (time, insertion order) reference.
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((x, y) => x[0] - y[0]);
        expect(drain(q)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("interleaved push and pop match a sorted-list model (property)", () => {
    type Op = { kind: "push"; time: number } | { kind: "pop" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), time: fc.integer({ min: 0, max: 10 }) }),
      fc.record({ kind: fc.constant("pop" as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue<number>(1);
        // The model: an array kept sorted by (time, id), where id is the insertion counter.
        const model: [number, number][] = [];
        let id = 0;
        for (const o of ops) {
          if (o.kind === "push") {
            q.push(o.time, id);
            let at = model.length;
            while (at > 0 && model[at - 1]![0] > o.time) at--;
            model.splice(at, 0, [o.time, id]);
            id++;
          } else if (model.length > 0) {
            const [t, v] = model.shift()!;
            expect(q.peekTime()).toBe(t);
            expect(q.pop()).toBe(v);
          } else {
            expect(() => q.pop()).toThrow();
          }
          expect(q.size).toBe(model.length);
          expect(q.peekTime()).toBe(model.length > 0 ? model[0]![0] : Infinity);
        }
      }),
      { numRuns: 300 },
    );
  });
});
