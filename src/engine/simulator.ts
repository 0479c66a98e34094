// The simulator owns virtual time and the event queue. An event is a callback run at its time; it may
// schedule further events. All state is per instance, so two runs in one process never interact.

import { EventQueue } from "./eventQueue.js";
import { assertTime, type Micros } from "./time.js";

export type Action = (now: Micros) => void;

/** An invariant of the engine (or of what runs on it) broken: a bug, found by a simulator with checks on. */
export class InvariantError extends Error {}

export interface SimulatorOptions {
  /**
   * Check the engine's invariants as it runs (the property tests turn this on): events come out of the queue in
   * time order, never before the clock (time never goes backwards), never past the `until` being run to, and a
   * runUntil never aims before now. Off (the default), runUntil is the plain loop: the checks cost nothing.
   */
  checks?: boolean;
}

export class Simulator {
  private queue = new EventQueue<Action>();
  private clock: Micros = 0;
  private processed = 0;
  readonly checks: boolean;

  constructor(options: SimulatorOptions = {}) {
    this.checks = options.checks ?? false;
  }

  /** Current virtual time in microseconds. */
  get now(): Micros {
    return this.clock;
  }

  /** Number of events run so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Events still waiting. */
  get pending(): number {
    return this.queue.size;
  }

  /** Runs `action` at absolute time `at` (not before now). */
  scheduleAt(at: Micros, action: Action): void {
    assertTime(at, "event time");
    if (at < this.clock) throw new RangeError(`cannot schedule at ${at} µs: it is before now (${this.clock} µs)`);
    this.queue.push(at, action);
  }

  /** Runs `action` after `delay` microseconds. */
  scheduleAfter(delay: Micros, action: Action): void {
    assertTime(delay, "delay");
    this.queue.push(this.clock + delay, action);
  }

  /**
   * Runs every event with time ≤ `until` in (time, scheduling order), then sets the clock to `until`.
   * Events scheduled later stay queued; a later runUntil continues from there.
   */
  runUntil(until: Micros): void {
    assertTime(until, "runUntil time");
    if (this.checks) return this.runUntilChecked(until);
    const q = this.queue;
    while (q.size > 0 && q.peekTime() <= until) {
      this.clock = q.peekTime();
      const action = q.pop();
      this.processed++;
      action(this.clock);
    }
    if (until > this.clock) this.clock = until;
  }

  /** runUntil with the invariants checked at every event. */
  private runUntilChecked(until: Micros): void {
    if (until < this.clock) throw new InvariantError(`runUntil(${until} µs) aims before now (${this.clock} µs): time would go backwards`);
    const q = this.queue;
    while (q.size > 0 && q.peekTime() <= until) {
      const at = q.peekTime();
      if (at < this.clock) throw new InvariantError(`an event at ${at} µs came out of the queue after the clock reached ${this.clock} µs: time went backwards`);
      if (!Number.isSafeInteger(at)) throw new InvariantError(`an event at ${at} µs: not a whole number of microseconds`);
      this.clock = at;
      const action = q.pop();
      this.processed++;
      action(this.clock);
      if (this.clock !== at) throw new InvariantError(`the clock moved from ${at} to ${this.clock} µs inside an event`);
    }
    if (until > this.clock) this.clock = until;
  }
}
