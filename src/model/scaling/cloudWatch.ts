// CloudWatch as the policies read it: 1-minute datapoints, each readable a publication lag after its minute ends.

import * as L from "../../aws/limits.js";
import { MICROS_PER_SECOND, type Micros } from "../../engine/index.js";
import type { PolicyView } from "./types.js";

export const MINUTE_US: Micros = L.CLOUDWATCH_METRIC_PERIOD_S * MICROS_PER_SECOND;

/**
 * The minutes CloudWatch has published at t: minute m is readable once it has ended and the lag has passed,
 * (m + 1) minutes + lag ≤ t, so the published minutes are those below the returned number (which may be ≤ 0).
 */
export function publishedMinutes(t: Micros, lagUs: Micros): number {
  return Math.floor((t - lagUs) / MINUTE_US);
}

/** A policy's per-minute view: the highest utilisation it computed for a datapoint covering each minute. */
export class MinuteView {
  private readonly pct: (number | null)[] = [];

  constructor(
    private readonly policy: string,
    private readonly scaleUpThresholdPct: number,
  ) {}

  /** Minutes [from, to) were seen at `utilisationPct`. */
  see(from: number, to: number, utilisationPct: number): void {
    for (let m = Math.max(0, from); m < to; m++) {
      while (this.pct.length <= m) this.pct.push(null);
      const old = this.pct[m]!;
      if (old === null || utilisationPct > old) this.pct[m] = utilisationPct;
    }
  }

  snapshot(): PolicyView {
    return { policy: this.policy, scaleUpThresholdPct: this.scaleUpThresholdPct, utilisationPctByMinute: [...this.pct] };
  }
}
