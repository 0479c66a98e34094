// The simulator owns virtual time and the event queue. An event is a callback run at its time; it may
// schedule further events. All state is per instance, so two runs in one process never interact.

import { EventQueue } from "./eventQueue.js";
import { assertTime, type Micros } from "./time.js";

export type Action = (now: Micros) => void;

export class Simulator {
  private queue = new EventQueue<Action>();
  private clock: Micros = 0;
  private processed = 0;

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
    const q = this.queue;
    while (q.size > 0 && q.peekTime() <= until) {
      this.clock = q.peekTime();
      const action = q.pop();
      this.processed++;
      action(this.clock);
    }
    if (until > this.clock) this.clock = until;
  }
}
