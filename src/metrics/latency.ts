// Latency histograms: HDR histograms (hdr-histogram-js) of microseconds, 3 significant digits, recorded
// with per-batch counts so cost follows batches, not records.

import * as hdr from "hdr-histogram-js";

export interface LatencySummary {
  count: number;
  /** Microseconds. HDR values are the highest value equivalent to the recorded one (within 0.1%), never above `max`. */
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
const freeWasm = new FinalizationRegistry<hdr.Histogram>((h) => {
  h.destroy();
  alive--;
});

/**
 * The histograms whose HDR histogram was made while releasingHistograms runs (the innermost call's), released when it
 * returns. The finalizer alone frees their WebAssembly memory only after a garbage collection, and only once the event
 * loop turns: a loop of runs in one synchronous call (a library user's, a test's) grew by megabytes a run.
 */
let scope: LatencyHistogram[] | null = null;
let alive = 0;

/**
 * Runs `fn`, then frees the WebAssembly memory of every HDR histogram made while it ran: for a run's summary, after
 * which nothing reads its model's histograms (one read afterwards throws). Nested calls release their own.
 */
export function releasingHistograms<T>(fn: () => T): T {
  const outer = scope;
  const mine: LatencyHistogram[] = [];
  scope = mine;
  try {
    return fn();
  } finally {
    scope = outer;
    for (const l of mine) l.release();
  }
}

/** HDR histograms made and not yet freed (by releasingHistograms or the finalizer), for tests. */
export function hdrHistogramsAlive(): number {
  return alive;
}

/**
 * hdr-histogram-js's bucket layout for these histograms (lowest discernible value 1, 3 significant digits): 2,048
 * sub-buckets, the counts array's index of value v is ((bucket + 1) << 10) + (v >> bucket) − 1,024, where bucket is
 * the position of v's highest set bit above bit 10 (0 below 2,048).
 */
const HALF_MAGNITUDE = 10;
const HALF = 1 << HALF_MAGNITUDE;
const TWO_32 = 4_294_967_296;

/** The HDR counts-array index of a whole, non-negative value up to HIGHEST_TRACKABLE_US. */
export function hdrIndex(v: number): number {
  const top = v < TWO_32 ? 31 - Math.clz32(v | (2 * HALF - 1)) : 63 - Math.clz32(Math.floor(v / TWO_32));
  const bucket = top - HALF_MAGNITUDE;
  const sub = bucket === 0 ? v : v < 2_147_483_648 ? v >> bucket : Math.floor(v / 2 ** bucket);
  return ((bucket + 1) << HALF_MAGNITUDE) + sub - HALF;
}

/** The lowest value whose HDR counts-array index is `i`. */
export function hdrLowest(i: number): number {
  let bucket = (i >> HALF_MAGNITUDE) - 1;
  let sub = (i & (HALF - 1)) + HALF;
  if (bucket < 0) {
    sub -= HALF;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

/** Counts-array entries: enough for HIGHEST_TRACKABLE_US. */
const INDEXES = hdrIndex(HIGHEST_TRACKABLE_US) + 1;

function buildHdr(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: true,
  });
}

export class LatencyHistogram {
  /**
   * The HDR histogram, made when first read. Until then (and between reads) observations are counted here, in HDR's
   * own layout: a call into WebAssembly per observation cost more than the counting (two per processed slice).
   * Reading hands the counts over (recording each bucket's lowest value, and the extreme values exactly), so the
   * histogram holds what recording every observation into it would have: the same counts, total, minimum and maximum.
   */
  private h: hdr.Histogram | null = null;
  /** Its HDR histogram was freed (releasingHistograms): it cannot be read again. */
  private released = false;
  private counts: Float64Array | null = null;
  /** Counted here and not yet handed over: total, the lowest non-zero and highest values. */
  private pending = 0;
  private minNonZero = Infinity;
  private max = -1;

  /** `from`: observations made before it (the warmup) are left out by recordAt. */
  constructor(readonly from = 0) {}

  /** Records `count` observations of `valueUs` microseconds. */
  record(valueUs: number, count = 1): void {
    if (count <= 0) return;
    const r = valueUs < 0 ? 0 : Math.round(valueUs);
    const v = r > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : r;
    // HDR keeps whole counts (it truncates a fraction at each call): such a count goes straight to it, as does a value
    // that is not a number (whatever HDR makes of it).
    if (!Number.isInteger(count) || Number.isNaN(v)) {
      this.hdr().recordValueWithCount(v, count);
      return;
    }
    const counts = (this.counts ??= new Float64Array(INDEXES));
    const i = hdrIndex(v);
    counts[i]! += count;
    this.pending += count;
    if (v > this.max) this.max = v;
    if (v > 0 && v < this.minNonZero) this.minNonZero = v;
  }

  /** Records `count` observations of `valueUs` made at `at`, unless `at` is before `from` (the warmup). */
  recordAt(at: number, valueUs: number, count = 1): void {
    if (at >= this.from) this.record(valueUs, count);
  }

  /** The HDR histogram with every observation so far. */
  private hdr(): hdr.Histogram {
    let h = this.h;
    if (!h) {
      this.assertLive();
      h = this.h = buildHdr();
      alive++;
      freeWasm.register(this, h, this);
      scope?.push(this);
    }
    const counts = this.counts;
    if (!counts || this.pending === 0) return h;
    const minIndex = this.minNonZero === Infinity ? -1 : hdrIndex(this.minNonZero);
    const maxIndex = hdrIndex(this.max);
    for (let i = 0; i < INDEXES; i++) {
      let c = counts[i]!;
      if (c === 0) continue;
      counts[i] = 0;
      // Any value of an index lands in it; the extremes' indexes get the extremes themselves, so HDR's minimum and
      // maximum are theirs (a bucket's lowest value could be below the minimum).
      if (i === maxIndex) {
        h.recordValueWithCount(this.max, 1);
        c--;
      }
      if (c > 0) h.recordValueWithCount(i === minIndex ? this.minNonZero : hdrLowest(i), c);
    }
    this.pending = 0;
    this.minNonZero = Infinity;
    this.max = -1;
    return h;
  }

  /** Throws once its HDR histogram was released: what it held is gone, and reading it as empty would be wrong. */
  private assertLive(): void {
    if (this.released) throw new Error("a latency histogram read after its run's summary released it");
  }

  /** Frees its HDR histogram's WebAssembly memory (releasingHistograms); reading it afterwards throws. */
  release(): void {
    if (this.h) {
      freeWasm.unregister(this);
      this.h.destroy();
      this.h = null;
      alive--;
    }
    this.released = true;
  }

  add(other: LatencyHistogram): void {
    this.hdr().add(other.hdr());
  }

  /**
   * Records what `other` has recorded, as if each of its observations had been recorded here too: its counts, total and
   * extremes, when it holds them all still counted (it was never read and took whole counts only); otherwise add().
   * For a recorder that learns late that a second histogram would have held the same values (the KPL's round trip from
   * send is its round trip until a request first waits for a connection).
   */
  recordAllOf(other: LatencyHistogram): void {
    if (other.h !== null || other.released || this.released) return this.add(other);
    if (!other.counts || other.pending === 0) return;
    const from = other.counts;
    const counts = (this.counts ??= new Float64Array(INDEXES));
    for (let i = 0; i < INDEXES; i++) if (from[i] !== 0) counts[i]! += from[i]!;
    this.pending += other.pending;
    if (other.max > this.max) this.max = other.max;
    if (other.minNonZero < this.minNonZero) this.minNonZero = other.minNonZero;
  }

  get count(): number {
    this.assertLive();
    return (this.h?.totalCount ?? 0) + this.pending;
  }

  /**
   * The value at percentile `p`, never above the maximum: HDR answers with the highest value equivalent to its bucket's
   * (within 0.1%), which for the maximum's bucket is above the maximum itself (a p99 of 836.1 ms beside a max of
   * 835.8 ms: helper-57's 13).
   */
  percentile(p: number): number {
    return this.count === 0 ? 0 : this.atPercentile(this.hdr(), p);
  }

  private atPercentile(h: hdr.Histogram, p: number): number {
    return Math.min(h.getValueAtPercentile(p), h.maxValue);
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const h = this.hdr();
    return {
      count: h.totalCount,
      // HDR's mean counts each bucket at its middle value: the maximum's bucket can set it above the maximum too.
      mean: Math.min(h.mean, h.maxValue),
      p50: this.atPercentile(h, 50),
      p90: this.atPercentile(h, 90),
      p99: this.atPercentile(h, 99),
      p999: this.atPercentile(h, 99.9),
      max: h.maxValue,
    };
  }

  /** Cumulative distribution at a few hundred points (value µs, fraction ≤ value), for CDF charts. */
  cdf(points = 200): { value: number; fraction: number }[] {
    if (this.count === 0) return [];
    const h = this.hdr();
    const out: { value: number; fraction: number }[] = [];
    for (let i = 1; i <= points; i++) {
      const p = (100 * i) / points;
      out.push({ value: this.atPercentile(h, Math.min(p, 100)), fraction: i / points });
    }
    return out;
  }
}
