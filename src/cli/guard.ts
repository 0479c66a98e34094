// The resource guard: before `run` (and each configuration of a `sweep`) simulates anything, the run's compute and
// memory are estimated from the scenario (src/sweep/resources.ts) and a run that would pass a limit is refused,
// exit 1, naming the estimate, the limit and the setting that raises it. The limits: --max-time (compute on the
// reference machine; default 1 h) and --max-memory (default: half of what this Node.js process may give its
// heap, shared by the sweep's worker threads). A run whose counts would pass 2^53 is refused whatever the limits.

import { getHeapStatistics } from "node:v8";
import { totalmem } from "node:os";
import { InvalidArgumentError, type Command } from "commander";
import { parseDuration, parseSize, type Scenario } from "../scenario/index.js";
import { resourceEstimate, resourceRefusal, type ResourceLimits } from "../sweep/resources.js";
import type { Trace } from "../workload/trace.js";
import { CliError, EXIT } from "./errors.js";

/** Compute a run may take unless --max-time says otherwise: an hour on the reference machine. */
export const DEFAULT_MAX_SECONDS = 3_600;

export interface GuardOptions {
  maxTime?: number;
  maxMemory?: number;
}

/** Adds --max-time and --max-memory to a command. */
export function addGuardOptions(command: Command): Command {
  return command
    .option("--max-time <duration>", "refuse a run whose estimated compute passes this (e.g. 30m, 6h; default 1h)", (v: string) => {
      try {
        const us = parseDuration(v);
        if (us > 0) return us / 1e6;
      } catch {
        // the message below
      }
      throw new InvalidArgumentError(`--max-time is a duration above 0 such as 30m, 6h or 2d, got "${v}"`);
    })
    .option("--max-memory <size>", "refuse a run whose estimated memory passes this (e.g. 8GiB; default: half the Node.js heap limit)", (v: string) => {
      try {
        const b = parseSize(v);
        if (b > 0) return b;
      } catch {
        // the message below
      }
      throw new InvalidArgumentError(`--max-memory is a size above 0 such as 512MiB or 8GiB, got "${v}"`);
    });
}

/** Memory one run may hold by default: half the heap this process may grow to, and its share of the machine's memory when `jobs` runs share it. */
export function defaultMaxMemory(jobs = 1): number {
  return Math.min(getHeapStatistics().heap_size_limit / 2, totalmem() / 2 / Math.max(1, jobs));
}

export function limitsOf(opts: GuardOptions, jobs = 1): ResourceLimits {
  return { maxSeconds: opts.maxTime ?? DEFAULT_MAX_SECONDS, maxMemoryBytes: opts.maxMemory ?? defaultMaxMemory(jobs) };
}

const NAMES = {
  time: (s: number) => `--max-time ${Math.ceil(s / 3_600)}h`,
  memory: (b: number) => `--max-memory ${Math.ceil(b / 2 ** 30)}GiB`,
};

/** Throws the exit-1 refusal when the run would pass a limit. `what` names it: the scenario file, and for a sweep its configuration. */
export function guardRun(what: string, scenario: Scenario, traces: ReadonlyMap<string, Trace>, limits: ResourceLimits, granularity?: "batch" | "record"): void {
  const refusal = resourceRefusal(resourceEstimate(scenario, traces, granularity ?? scenario.fidelity.granularity), limits, NAMES);
  if (refusal) throw new CliError(`${what}: ${refusal}`, EXIT.badInput);
}
