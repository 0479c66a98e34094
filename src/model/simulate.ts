// Runs a built model to the end of the scenario and settles what is measured at the end (peak-second
// trackers, producers' in-flight counts, consumers' last iterator ages and what expired unread, and the records
// still inside at the end as censored latency observations).

import type { Model } from "./build.js";

export function simulate(model: Model): Model {
  const { sim, duration } = model;
  sim.runUntil(duration);
  for (const s of model.streams) s.finish();
  for (const p of model.producers) p.model.finish?.();
  for (const c of model.consumers) {
    c.sampleAges(duration);
    c.finish(duration);
  }
  for (const f of model.firehoses) f.finish(duration);
  return model;
}
