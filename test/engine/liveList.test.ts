// LiveList: a Set's add, delete and insertion-order iteration for items that carry their own slot.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiveList } from "../../src/engine/liveList.js";

interface Item {
  id: number;
  slot: number;
}
const item = (id: number): Item => ({ id, slot: -1 });
const ids = (l: Iterable<Item>) => [...l].map((x) => x.id);

describe("LiveList", () => {
  it("iterates in the order added, skips the removed, and puts a re-added item last (as a Set does)", () => {
    const [a, b, c] = [item(1), item(2), item(3)];
    const l = new LiveList<Item>();
    l.add(a);
    l.add(b);
    l.add(c);
    expect(l.delete(b)).toBe(true);
    expect(l.delete(b)).toBe(false); // not in the list any more
    expect(ids(l)).toEqual([1, 3]);
    l.add(b);
    expect(ids(l)).toEqual([1, 3, 2]);
    l.add(a); // already held: nothing changes
    expect(ids(l)).toEqual([1, 3, 2]);
    expect(l.size).toBe(3);
    expect(new LiveList<Item>().delete(item(9))).toBe(false);
  });

  it("an item of another list is not removed from this one", () => {
    const l1 = new LiveList<Item>();
    const l2 = new LiveList<Item>();
    const [a, b] = [item(1), item(2)];
    l1.add(a);
    l2.add(b); // b takes slot 0 in l2, as a has in l1
    expect(l1.delete(b)).toBe(false);
    expect(ids(l1)).toEqual([1]);
  });

  it("agrees with a Set over random histories long enough to compact many times (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 149 })), { maxLength: 2000 }), (ops) => {
        const items = Array.from({ length: 150 }, (_, i) => item(i));
        const l = new LiveList<Item>();
        const s = new Set<Item>();
        for (const [add, i] of ops) {
          const x = items[i]!;
          if (add) {
            s.add(x); // a second add of an item held changes nothing, in both
            l.add(x);
          } else expect(l.delete(x)).toBe(s.delete(x));
          expect(l.size).toBe(s.size);
        }
        expect(ids(l)).toEqual(ids(s));
      }),
      { numRuns: 300 },
    );
  });
});
