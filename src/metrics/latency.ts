// Latency histograms: HDR histograms (hdr-histogram-js) of microseconds, 3 significant digits, recorded
// with per-batch counts so cost follows batches, not records.

import * as hdr from "hdr-histogram-js";

export interface LatencySummary {
  count: number;
  /** Microseconds. HDR values are the highest value equivalent to the recorded one (within 0.1%). */
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

const HIGHEST_TRACKABLE_US = 366 * 24 * 3_600 * 1_000_000;

// hdr-histogram-js's WebAssembly build records several times faster than its pure-JS one (the same algorithm, the
// same buckets and results). Its memory is outside the JS heap: a histogram frees it when it is garbage collected.
hdr.initWebAssemblySync();
const freeWasm = new FinalizationRegistry<hdr.Histogram>((h) => h.destroy());

export class LatencyHistogram {
  private readonly h: hdr.Histogram;

  /** `from`: observations made before it (the warmup) are left out by recordAt. */
  constructor(readonly from = 0) {
    this.h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: HIGHEST_TRACKABLE_US,
      numberOfSignificantValueDigits: 3,
      bitBucketSize: 64,
      useWebAssembly: true,
    });
    freeWasm.register(this, this.h);
  }

  /** Records `count` observations of `valueUs` microseconds. */
  record(valueUs: number, count = 1): void {
    if (count <= 0) return;
    const v = valueUs < 0 ? 0 : Math.round(valueUs);
    this.h.recordValueWithCount(v > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : v, count);
  }

  /** Records `count` observations of `valueUs` made at `at`, unless `at` is before `from` (the warmup). */
  recordAt(at: number, valueUs: number, count = 1): void {
    if (at >= this.from) this.record(valueUs, count);
  }

  add(other: LatencyHistogram): void {
    this.h.add(other.h);
  }

  get count(): number {
    return this.h.totalCount;
  }

  percentile(p: number): number {
    return this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p);
  }

  summary(): LatencySummary {
    const h = this.h;
    if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    return {
      count: h.totalCount,
      mean: h.mean,
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
    };
  }

  /** Cumulative distribution at a few hundred points (value µs, fraction ≤ value), for CDF charts. */
  cdf(points = 200): { value: number; fraction: number }[] {
    const h = this.h;
    if (h.totalCount === 0) return [];
    const out: { value: number; fraction: number }[] = [];
    for (let i = 1; i <= points; i++) {
      const p = (100 * i) / points;
      out.push({ value: h.getValueAtPercentile(Math.min(p, 100)), fraction: i / points });
    }
    return out;
  }
}
