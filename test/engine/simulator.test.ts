import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulator } from "../../src/engine/simulator.js";

type Log = [string, number][];

describe("Simulator", () => {
  it("starts at time 0 with nothing pending and nothing processed", () => {
    const sim = new Simulator();
    expect(sim.now).toBe(0);
    expect(sim.pending).toBe(0);
    expect(sim.eventsProcessed).toBe(0);
  });

  it("scheduleAt runs same-time events in scheduling order, then later ones", () => {
    const sim = new Simulator();
    const log: Log = [];
    sim.scheduleAt(1000, (t) => log.push(["c", t]));
    sim.scheduleAt(0, (t) => log.push(["a", t]));
    sim.scheduleAt(0, (t) => log.push(["b", t]));
    sim.runUntil(5000);
    expect(log).toEqual([
      ["a", 0],
      ["b", 0],
      ["c", 1000],
    ]);
    expect(sim.now).toBe(5000);
    expect(sim.eventsProcessed).toBe(3);
  });

  it("events scheduled from inside an event at the current instant run after those already queued for it", () => {
    const sim = new Simulator();
    const log: Log = [];
    sim.scheduleAt(100, (t) => {
      log.push(["a", t]);
      sim.scheduleAt(t, (t2) => log.push(["a-child-at", t2]));
      sim.scheduleAfter(0, (t2) => {
        log.push(["a-child-after0", t2]);
        sim.scheduleAfter(0, (t3) => log.push(["grandchild", t3]));
      });
      sim.scheduleAfter(50, (t2) => log.push(["a-child+50", t2]));
    });
    sim.scheduleAt(100, (t) => log.push(["b", t]));
    sim.scheduleAt(150, (t) => log.push(["c", t]));
    sim.runUntil(1000);
    expect(log).toEqual([
      ["a", 100],
      ["b", 100],
      ["a-child-at", 100],
      ["a-child-after0", 100],
      ["grandchild", 100],
      // c was scheduled before a-child+50, both for 150.
      ["c", 150],
      ["a-child+50", 150],
    ]);
  });

  it("scheduleAfter(delay) is relative to now, including inside an event", () => {
    const sim = new Simulator();
    const log: Log = [];
    sim.scheduleAfter(250, (t) => {
      log.push(["first", t]);
      sim.scheduleAfter(1_000, (t2) => log.push(["second", t2]));
    });
    sim.runUntil(10_000);
    sim.scheduleAfter(5, (t) => log.push(["third", t]));
    sim.runUntil(20_000);
    expect(log).toEqual([
      ["first", 250],
      ["second", 1_250],
      ["third", 10_005],
    ]);
  });

  it("now inside an event equals the time passed to the action", () => {
    const sim = new Simulator();
    const seen: [number, number][] = [];
    for (const at of [7, 3, 3, 11]) sim.scheduleAt(at, (t) => seen.push([t, sim.now]));
    sim.runUntil(20);
    expect(seen).toEqual([
      [3, 3],
      [3, 3],
      [7, 7],
      [11, 11],
    ]);
  });

  it("runUntil(bound) runs events at the bound, leaves later ones queued, and sets the clock to the bound", () => {
    const sim = new Simulator();
    const log: Log = [];
    for (const [name, at] of [
      ["x", 500],
      ["y", 1000],
      ["z", 1001],
      ["w", 3000],
    ] as const) {
      sim.scheduleAt(at, (t) => log.push([name, t]));
    }
    sim.runUntil(1000);
    expect(log).toEqual([
      ["x", 500],
      ["y", 1000],
    ]);
    expect(sim.now).toBe(1000);
    expect(sim.pending).toBe(2);
    expect(sim.eventsProcessed).toBe(2);

    sim.runUntil(2000);
    expect(log).toEqual([
      ["x", 500],
      ["y", 1000],
      ["z", 1001],
    ]);
    expect(sim.now).toBe(2000);
    expect(sim.pending).toBe(1);

    sim.runUntil(3000);
    expect(log.at(-1)).toEqual(["w", 3000]);
    expect(sim.now).toBe(3000);
    expect(sim.pending).toBe(0);
    expect(sim.eventsProcessed).toBe(4);
  });

  it("runUntil(bound) also runs events that events schedule at the bound itself", () => {
    const sim = new Simulator();
    const log: Log = [];
    sim.scheduleAt(1000, (t) => {
      log.push(["a", t]);
      sim.scheduleAt(1000, (t2) => log.push(["same-instant", t2]));
      sim.scheduleAt(1001, (t2) => log.push(["just-after", t2]));
    });
    sim.runUntil(1000);
    expect(log).toEqual([
      ["a", 1000],
      ["same-instant", 1000],
    ]);
    expect(sim.pending).toBe(1);
  });

  it("runUntil with an empty queue just advances the clock", () => {
    const sim = new Simulator();
    sim.runUntil(123_456);
    expect(sim.now).toBe(123_456);
    expect(sim.eventsProcessed).toBe(0);
  });

  it("runUntil(earlier than now) runs nothing and does not move the clock back", () => {
    const sim = new Simulator();
    sim.runUntil(5000);
    const log: Log = [];
    sim.scheduleAt(6000, (t) => log.push(["later", t]));
    sim.runUntil(1000);
    expect(sim.now).toBe(5000);
    expect(log).toEqual([]);
    expect(sim.pending).toBe(1);
  });

  it("scheduleAt(time before now) throws a RangeError; scheduleAt(now) is allowed", () => {
    const sim = new Simulator();
    sim.runUntil(1000);
    expect(() => sim.scheduleAt(999, () => undefined)).toThrow(RangeError);
    expect(() => sim.scheduleAt(0, () => undefined)).toThrow(/before now/);
    const log: Log = [];
    sim.scheduleAt(1000, (t) => log.push(["now", t]));
    sim.runUntil(1000);
    expect(log).toEqual([["now", 1000]]);
  });

  it("scheduleAt(time before now) from inside an event throws", () => {
    const sim = new Simulator();
    let thrown: unknown;
    sim.scheduleAt(500, () => {
      try {
        sim.scheduleAt(499, () => undefined);
      } catch (e) {
        thrown = e;
      }
    });
    sim.runUntil(1000);
    expect(thrown).toBeInstanceOf(RangeError);
    expect(sim.pending).toBe(0);
  });

  it.each([1.5, -1, Number.NaN, Infinity, 2 ** 53])("scheduleAt(%s) throws a RangeError", (bad) => {
    const sim = new Simulator();
    expect(() => sim.scheduleAt(bad, () => undefined)).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });

  it.each([0.5, -10, Number.NaN, Infinity])("scheduleAfter(%s) throws a RangeError", (bad) => {
    const sim = new Simulator();
    expect(() => sim.scheduleAfter(bad, () => undefined)).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });

  it.each([2.5, -1, Number.NaN])("runUntil(%s) throws a RangeError and leaves the clock alone", (bad) => {
    const sim = new Simulator();
    sim.scheduleAt(0, () => undefined);
    expect(() => sim.runUntil(bad)).toThrow(RangeError);
    expect(sim.now).toBe(0);
    expect(sim.pending).toBe(1);
  });

  it("two simulators in one process do not share time or events", () => {
    const a = new Simulator();
    const b = new Simulator();
    const log: Log = [];
    a.scheduleAt(10, (t) => log.push(["a", t]));
    b.scheduleAt(20, (t) => log.push(["b", t]));
    a.runUntil(100);
    expect(log).toEqual([["a", 10]]);
    expect(b.now).toBe(0);
    expect(b.pending).toBe(1);
  });

  it("runs any schedule in (time, scheduling order), whatever the runUntil steps (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 100 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }),
        (times, steps) => {
          const sim = new Simulator();
          const log: [number, number][] = [];
          times.forEach((at, i) => sim.scheduleAt(at, (t) => log.push([i, t])));
          for (const s of [...steps].sort((x, y) => x - y)) sim.runUntil(s);
          sim.runUntil(60);
          const expected = times.map((t, i) => [i, t] as [number, number]).sort((x, y) => x[1] - y[1]);
          expect(log).toEqual(expected);
          expect(sim.now).toBe(60);
        },
      ),
      { numRuns: 200 },
    );
  });
});
