// Runs a built model to the end of the scenario and settles what is measured at the end (peak-second
// trackers, producers' in-flight counts, consumers' last iterator ages and what expired unread).

import type { Model } from "./build.js";

export function simulate(model: Model): Model {
  const { sim, duration } = model;
  sim.runUntil(duration);
  model.stream?.finish();
  for (const p of model.producers) p.model.finish?.();
  for (const c of model.consumers) {
    c.sampleAges(duration);
    c.finish(duration);
  }
  return model;
}
