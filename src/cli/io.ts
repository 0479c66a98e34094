// Where the command line writes, and its wall clock: the process's stdout, stderr and clock, or (in tests)
// strings and a clock the test moves.

import { performance } from "node:perf_hooks";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress draws a bar there, and writes a line every few seconds elsewhere). */
  readonly errIsTTY: boolean;
  /** Wall-clock milliseconds from any fixed origin (monotonic): for elapsed times, rates and progress ETAs only. */
  now(): number;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  get errIsTTY() {
    return process.stderr.isTTY === true;
  },
  now: () => performance.now(),
};
