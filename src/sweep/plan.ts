// A sweep's plan: the cross product of the varied values (the first --vary changes slowest), each run
// `replications` times. Replication r runs with a seed derived from the scenario's seed and r only, so every
// configuration sees the same traffic draws (common random numbers) and replication 0 is the scenario's own
// seed, exactly what `shardcast run` simulates. A sweep with --precision adds replications to some
// configurations (withReplications): replication r keeps its seed, so a configuration that ends with n
// replications has the numbers a sweep with --replications n gives it.

import seedrandom from "seedrandom";
import { validateScenarioData } from "../scenario/load.js";
import type { Scenario } from "../scenario/index.js";
import { applyVary, SweepError, type Vary } from "./vary.js";

export interface SweepConfig {
  index: number;
  /** One value per vary, in --vary order. */
  values: (string | number | boolean)[];
  label: string;
}

export interface SweepTask {
  index: number;
  config: number;
  replication: number;
  seed: number;
}

export interface SweepPlan {
  varies: { path: string; values: (string | number | boolean)[] }[];
  /** Replications each configuration starts with (all of them, without --precision). */
  replications: number;
  baseSeed: number;
  configs: SweepConfig[];
  tasks: SweepTask[];
}

export const MAX_RUNS = 100_000;

/** The seed of replication r: the scenario seed for r = 0, else a 31-bit number drawn from (seed, r). */
export function replicationSeed(seed: number, r: number): number {
  if (r === 0) return seed;
  return Math.floor(seedrandom.alea(`shardcast/replication/${seed}/${r}`)() * 2 ** 31);
}

export function planSweep(baseSeed: number, varies: Vary[], replications: number): SweepPlan {
  if (!Number.isInteger(replications) || replications < 1 || replications > 1_000) {
    throw new SweepError(`--replications must be a whole number from 1 to 1000, got ${replications}`);
  }
  const seen = new Set<string>();
  for (const v of varies) {
    const key = v.segments.join("\u0000");
    if (seen.has(key)) throw new SweepError(`--vary ${v.path} is given twice`);
    seen.add(key);
  }
  // Counted before the cross product is built: 10,000 × 10,000 values must be an error, not out of memory.
  const count = varies.reduce((n, v) => n * v.values.length, 1);
  if (count * replications > MAX_RUNS) {
    throw new SweepError(`the sweep has ${count} configurations × ${replications} replications = ${count * replications} runs; at most ${MAX_RUNS}`);
  }
  let combos: (string | number | boolean)[][] = [[]];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((x) => [...c, x]));
  const configs = combos.map((values, index) => ({
    index,
    values,
    label: varies.length === 0 ? "as written" : varies.map((v, i) => `${v.path}=${values[i]}`).join(", "),
  }));
  const tasks: SweepTask[] = [];
  for (const c of configs) {
    for (let r = 0; r < replications; r++) tasks.push({ index: tasks.length, config: c.index, replication: r, seed: replicationSeed(baseSeed, r) });
  }
  return { varies: varies.map((v) => ({ path: v.path, values: v.values })), replications, baseSeed, configs, tasks };
}

/** The scenario of one configuration: the varied values applied to the file's data, then validated. */
export function configScenario(data: unknown, varies: Vary[], config: SweepConfig): Scenario {
  let d = data;
  const noStream = typeof data === "object" && data !== null && !("stream" in data);
  varies.forEach((v, i) => {
    // Varying a stream the scenario does not have would quietly add one.
    if (noStream && v.segments[0] === "stream") throw new SweepError(`--vary ${v.path}: the scenario has no stream (every producer writes to Firehose with Direct PUT)`);
    d = applyVary(d, v, config.values[i]);
  });
  const checked = validateScenarioData(d);
  if (!checked.ok) throw new SweepError(`configuration ${config.label}: ${checked.messages.join("; ")}`);
  return checked.scenario;
}

/** How many replications the plan runs of each configuration. */
export function replicationCounts(plan: SweepPlan): number[] {
  const counts = plan.configs.map(() => 0);
  for (const t of plan.tasks) counts[t.config]!++;
  return counts;
}

/**
 * The plan with one more replication of each of `configs` (replication r always with seed r's): the new tasks
 * follow the plan's, numbered on, configuration by configuration.
 */
export function withReplications(plan: SweepPlan, configs: readonly number[]): SweepPlan {
  const counts = replicationCounts(plan);
  const tasks = [...plan.tasks];
  for (const c of [...new Set(configs)].sort((a, b) => a - b)) {
    const r = counts[c]!;
    tasks.push({ index: tasks.length, config: c, replication: r, seed: replicationSeed(plan.baseSeed, r) });
  }
  return { ...plan, tasks };
}
