// FreeList: objects given back are taken again last-given first; at most `max` are kept.
import { describe, expect, it } from "vitest";
import { FreeList } from "../../src/engine/freeList.js";

describe("FreeList", () => {
  it("takes back the object given last, then the one before; nothing when empty", () => {
    const [a, b] = [{ id: 1 }, { id: 2 }];
    const l = new FreeList<{ id: number }>();
    expect(l.take()).toBeUndefined();
    l.give(a);
    l.give(b);
    expect(l.size).toBe(2);
    expect(l.take()).toBe(b);
    expect(l.take()).toBe(a);
    expect(l.take()).toBeUndefined();
  });

  it("keeps at most `max` objects: one given back beyond that is dropped", () => {
    const l = new FreeList<number>(2);
    l.give(1);
    l.give(2);
    l.give(3);
    expect(l.size).toBe(2);
    expect([l.take(), l.take(), l.take()]).toEqual([2, 1, undefined]);
  });

  it("fills and empties a thousand times over, handing out the same objects", () => {
    const objs = Array.from({ length: 100 }, (_, i) => ({ i }));
    const l = new FreeList<{ i: number }>();
    for (let round = 0; round < 1000; round++) {
      for (const o of objs) l.give(o);
      const back = new Set<{ i: number }>();
      for (let k = 0; k < objs.length; k++) back.add(l.take()!);
      expect(back.size).toBe(objs.length);
      expect(l.take()).toBeUndefined();
    }
  });
});
