// Progress on stderr while a run or a sweep works: on a terminal one line redrawn in place (\r) with a bar,
// elsewhere (a pipe, a CI log) a plain line every few seconds. Only here does the command line look at the wall
// clock during a run: the simulation reports virtual time and events (src/model/simulate.ts), and this adds
// elapsed time, events per second and an estimate of the time left. Nothing of it goes to stdout or to a file.

import { formatDuration } from "../report/format.js";
import type { SimProgress } from "../run.js";
import type { Io } from "./io.js";

/** On a terminal the bar appears once the work has taken this long, and redraws at most this often. */
export const TTY_FIRST_MS = 1_000;
export const TTY_EVERY_MS = 100;
/** Elsewhere a line once the work has taken this long, then at most one this often. */
export const LINE_EVERY_MS = 5_000;

const BAR_WIDTH = 20;

/** What a progress display needs to say at one moment. */
interface Moment {
  fraction: number;
  /** After the bar on a terminal, e.g. "4 min of 10 min simulated · 1.2M events/s". */
  what: string;
  /** The plain line's middle part, e.g. "4 min of 10 min simulated, 1.2M events/s". */
  whatLine: string;
  /** Milliseconds left, if they can be estimated yet. */
  leftMs: number | null;
}

/** One progress display: decides when to draw, draws, and clears the terminal line at the end. */
class Display {
  private readonly started: number;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private onScreen = false;

  constructor(
    private readonly io: Io,
    private readonly label: string,
  ) {
    this.started = io.now();
  }

  /** Milliseconds since the display was made. */
  elapsed(): number {
    return this.io.now() - this.started;
  }

  /** Draws `moment()` if a draw is due (the moment is only computed then). */
  update(moment: (elapsedMs: number) => Moment): void {
    const elapsed = this.elapsed();
    const tty = this.io.errIsTTY;
    const due = tty ? elapsed >= TTY_FIRST_MS && elapsed - this.lastDrawn >= TTY_EVERY_MS : elapsed >= LINE_EVERY_MS && elapsed - this.lastDrawn >= LINE_EVERY_MS;
    if (!due) return;
    this.lastDrawn = elapsed;
    const m = moment(elapsed);
    const percent = `${Math.floor(Math.min(1, Math.max(0, m.fraction)) * 100)}%`;
    const left = m.leftMs === null || m.fraction >= 1 ? "" : m.leftMs < 1_000 ? "< 1 s left" : `about ${wallTime(m.leftMs)} left`;
    if (tty) {
      const filled = Math.round(Math.min(1, Math.max(0, m.fraction)) * BAR_WIDTH);
      const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
      // \x1b[K erases what a longer previous line left to the right.
      this.io.err(`\r${this.label} [${bar}] ${percent.padStart(4)} · ${m.what}${left ? ` · ${left}` : ""}\x1b[K`);
      this.onScreen = true;
    } else {
      this.io.err(`shardcast: ${this.label} ${percent}: ${m.whatLine}, ${wallTime(elapsed)} elapsed${left ? `, ${left}` : ""}\n`);
    }
  }

  /** Clears the terminal line (whatever follows starts on a clean line). */
  end(): void {
    if (this.onScreen) this.io.err("\r\x1b[K");
    this.onScreen = false;
  }
}

/** Wall time for people: "< 1 s", "18 s", "3 min 5 s", "1 h 2 min". */
export function wallTime(ms: number): string {
  if (!(ms >= 1_000)) return "< 1 s";
  return formatDuration(Math.round(ms / 1_000) * 1_000_000);
}

/** 950, 12.3k, 1.2M: a rate at a glance. */
export function compactCount(n: number): string {
  if (n < 1_000) return `${Math.round(n)}`;
  if (n < 1_000_000) return `${+(n / 1_000).toPrecision(3)}k`;
  return `${+(n / 1_000_000).toPrecision(3)}M`;
}

export interface RunProgress {
  /** For runScenario's onProgress; undefined when progress is off, so the run is not sliced at all. */
  onProgress?: (p: SimProgress) => void;
  /** Clears the terminal line; call when the simulation ends, also when it throws. */
  end(): void;
}

/** Progress of one simulation: virtual time reached, events per second and the time left. */
export function runProgress(io: Io, enabled: boolean): RunProgress {
  if (!enabled) return { end: () => {} };
  const display = new Display(io, "run");
  return {
    onProgress: (p) =>
      display.update((elapsedMs) => {
        const seconds = elapsedMs / 1_000;
        const rate = seconds > 0 ? `${compactCount(p.events / seconds)} events/s` : "";
        const where = `${formatDuration(p.virtualUs)} of ${formatDuration(p.durationUs)} simulated`;
        // Virtual time left × wall time per virtual time so far.
        const leftMs = p.virtualUs > 0 ? ((p.durationUs - p.virtualUs) * elapsedMs) / p.virtualUs : null;
        return { fraction: p.durationUs > 0 ? p.virtualUs / p.durationUs : 1, what: rate ? `${where} · ${rate}` : where, whatLine: rate ? `${where}, ${rate}` : where, leftMs };
      }),
    end: () => display.end(),
  };
}

export interface SweepProgress {
  /** One more run finished, having run this many events. */
  runDone(events: number): void;
  /** More runs planned (a --precision sweep plans each round's runs as it starts it). */
  plan(more: number): void;
  /** Clears the terminal line; call when the runs end, also when one throws. */
  end(): void;
}

/**
 * Progress of a sweep: runs finished of runs planned, events per second (the finished runs' events over the wall
 * time so far, all workers together), and the time left at the pace so far.
 */
export function sweepProgress(io: Io, initiallyPlanned: number, enabled: boolean): SweepProgress {
  let planned = initiallyPlanned;
  if (!enabled) return { runDone: () => {}, plan: () => {}, end: () => {} };
  const display = new Display(io, "sweep");
  let done = 0;
  let events = 0;
  return {
    runDone: (runEvents) => {
      done++;
      events += runEvents;
      display.update((elapsedMs) => {
        const runs = `${done} of ${planned} runs`;
        const rate = elapsedMs > 0 ? `${compactCount(events / (elapsedMs / 1_000))} events/s` : "";
        return {
          fraction: planned > 0 ? done / planned : 1,
          what: rate ? `${runs} · ${rate}` : runs,
          whatLine: rate ? `${runs}, ${rate}` : runs,
          leftMs: done > 0 ? ((planned - done) * elapsedMs) / done : null,
        };
      });
    },
    plan: (more) => {
      planned += more;
    },
    end: () => display.end(),
  };
}
