// Runs a sweep's tasks, in this thread (--jobs 1) or on worker threads (piscina). Results come back in task
// order whatever the number of workers, so a sweep's outputs do not depend on --jobs. A pool serves several
// batches of tasks (the rounds of a --precision sweep) with the same worker threads.

import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { runTask, type RunSummary } from "../sweep/summary.js";

export type TaskInput = Parameters<typeof runTask>[0];

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface TaskPool {
  run(inputs: TaskInput[], onDone: (summary: RunSummary) => void): Promise<RunSummary[]>;
  close(): Promise<void>;
}

/** A pool of `jobs` worker threads, started when a batch first needs more than one (one task runs here). */
export function openPool(jobs: number): TaskPool {
  let pool: Piscina<TaskInput, RunSummary> | undefined;
  return {
    async run(inputs, onDone) {
      if (jobs <= 1 || inputs.length <= 1) {
        const out: RunSummary[] = [];
        for (const input of inputs) {
          const summary = runTask(input);
          out.push(summary);
          onDone(summary);
          // Let the progress bar draw.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return out;
      }
      // The worker file matches how this code runs: TypeScript under tsx (the execArgv carries its loader), or
      // compiled JavaScript under node.
      const filename = new URL(import.meta.url.endsWith(".ts") ? "./sweepWorker.ts" : "./sweepWorker.js", import.meta.url).href;
      // A larger young generation than a worker's default: runs allocate many short-lived batches (measured ~3% faster).
      pool ??= new Piscina<TaskInput, RunSummary>({ filename, minThreads: jobs, maxThreads: jobs, execArgv: process.execArgv, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      const p = pool;
      return Promise.all(
        inputs.map((input) =>
          p.run(input).then((r) => {
            onDone(r);
            return r;
          }),
        ),
      );
    },
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}

/** Runs the tasks; `onDone` hears of each run as it finishes (in the order they finish). */
export async function runTasks(inputs: TaskInput[], jobs: number, onDone: (summary: RunSummary) => void): Promise<RunSummary[]> {
  const pool = openPool(jobs);
  try {
    return await pool.run(inputs, onDone);
  } finally {
    await pool.close();
  }
}
