// Request latency samplers (send → response), in whole microseconds.

import { lognormalFromMedianP99, type RandomStream } from "../engine/random.js";
import type { Micros } from "../engine/time.js";
import type { LatencySpec } from "../spec/index.js";

export type LatencySampler = (rng: RandomStream) => Micros;

export function latencySampler(spec: LatencySpec): LatencySampler {
  switch (spec.dist) {
    case "fixed":
      return () => spec.value;
    case "uniform":
      return (rng) => spec.min + Math.floor(rng.uniform() * (spec.max - spec.min + 1));
    case "lognormal": {
      const { mu, sigma } = lognormalFromMedianP99(spec.median, spec.p99);
      return (rng) => Math.max(1, Math.round(rng.lognormal(mu, sigma)));
    }
  }
}

/** Mean of a latency distribution, µs (closed form). */
export function latencyMean(spec: LatencySpec): number {
  switch (spec.dist) {
    case "fixed":
      return spec.value;
    case "uniform":
      return (spec.min + spec.max) / 2;
    case "lognormal": {
      const { mu, sigma } = lognormalFromMedianP99(spec.median, spec.p99);
      return Math.exp(mu + (sigma * sigma) / 2);
    }
  }
}

/** The least a latency distribution's sampler returns, µs: a fixed latency's value, a uniform's minimum, a lognormal's 1 µs (latencySampler). */
export function latencyLeast(spec: LatencySpec): number {
  switch (spec.dist) {
    case "fixed":
      return spec.value;
    case "uniform":
      return spec.min;
    case "lognormal":
      return 1;
  }
}
