// How long records wait in a backlog that a constant processing rate drains: a fluid first-in, first-out queue of a
// shard's arrivals (a series of counts per step, each step's records arriving evenly over it) served at R records a
// second while anything is queued. A record arriving when Q are queued waits Q ÷ R. A spike above R leaves a backlog
// that grows by (arrivals − R) a second while it lasts and drains at (R − arrivals) after it: a 2-minute spike of 875 a
// second on lanes of 700 leaves 120 × 175 = 21,000 records, the last of them waiting 21,000 ÷ 700 = 30 s, drained in
// 21,000 ÷ (700 − 375) = 65 s at 375 a second after it. What the report proposes for lanes that miss an end-to-end
// latency SLO is sized by it (src/result/lambdaRemedy.ts): the lowest rate whose waits' quantile is within the SLO.

/** A stretch of arrivals: `n` records whose waits run evenly from `from` to `to` (µs). */
interface Stretch {
  n: number;
  from: number;
  to: number;
}

/** The waits of the records arriving from step `fromStep` on, served at `perSecond` (fluid, from an empty queue at step 0). */
function stretchesOf(arrivals: readonly number[], stepUs: number, fromStep: number, perSecond: number): Stretch[] {
  const out: Stretch[] = [];
  const step = stepUs / 1e6;
  const served = perSecond * step;
  let q = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!;
    const end = q + a - served;
    const keep = i >= fromStep && a > 0;
    if (end >= 0 || q + a === 0) {
      // Queued all through the step (or nothing at all): the wait runs from q ÷ R to end ÷ R.
      if (keep) out.push({ n: a, from: (1e6 * q) / perSecond, to: (1e6 * Math.max(0, end)) / perSecond });
      q = Math.max(0, end);
    } else {
      // Drained within the step, at x of it: the records before x wait from q ÷ R down to 0, the rest none.
      const x = served - a > 0 ? q / (served - a) : 1;
      if (keep) {
        out.push({ n: a * x, from: (1e6 * q) / perSecond, to: 0 });
        out.push({ n: a * (1 - x), from: 0, to: 0 });
      }
      q = 0;
    }
  }
  return out;
}

/** Of `stretches`, the records that wait longer than `w` µs. */
function over(stretches: readonly Stretch[], w: number): number {
  let n = 0;
  for (const s of stretches) {
    const hi = Math.max(s.from, s.to);
    const lo = Math.min(s.from, s.to);
    if (hi <= w) continue;
    n += lo >= w || hi === lo ? s.n : (s.n * (hi - w)) / (hi - lo);
  }
  return n;
}

/**
 * The `q` quantile (0.99: the p99) of the waits (µs) of the records arriving from step `fromStep` on, `arrivals` a count
 * per step of `stepUs` from the start, served at `perSecond`; Infinity when perSecond is 0.
 */
export function backlogWaitQuantile(arrivals: readonly number[], stepUs: number, fromStep: number, perSecond: number, q = 0.99): number {
  if (!(perSecond > 0)) return Infinity;
  const s = stretchesOf(arrivals, stepUs, fromStep, perSecond);
  let total = 0;
  let most = 0;
  for (const x of s) {
    total += x.n;
    most = Math.max(most, x.from, x.to);
  }
  const allowed = (1 - q) * total;
  if (total <= 0 || over(s, 0) <= allowed) return 0;
  let lo = 0;
  let hi = most;
  for (let k = 0; k < 60 && hi - lo > 1; k++) {
    const mid = (lo + hi) / 2;
    if (over(s, mid) > allowed) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The longest wait (µs) of a record arriving from step `fromStep` on, served at `perSecond`, and how long the backlog it waits in took to drain (µs from its largest: 0 when it never builds; Infinity when it never drains). */
export function backlogPeak(arrivals: readonly number[], stepUs: number, fromStep: number, perSecond: number): { waitUs: number; drainUs: number } {
  const served = (perSecond * stepUs) / 1e6;
  let q = 0;
  let most = 0;
  let mostAt = -1;
  let drainedAt = -1;
  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!;
    const before = q;
    q = Math.max(0, q + a - served);
    if (i >= fromStep && q > most) {
      most = q;
      mostAt = i;
      drainedAt = -1;
    }
    if (mostAt >= 0 && drainedAt < 0 && q === 0) drainedAt = i - 1 + (served - a > 0 ? Math.min(1, before / (served - a)) : 1);
  }
  const waitUs = perSecond > 0 ? (1e6 * most) / perSecond : Infinity;
  const drainUs = mostAt < 0 ? 0 : drainedAt < 0 ? Infinity : (drainedAt - mostAt) * stepUs;
  return { waitUs, drainUs };
}

/**
 * The lowest rate (records a second, to 0.1%) at which the `q` quantile of the waits is at most `waitUs`: at least the
 * mean arrival rate from `fromStep` on, at most the busiest step's; Infinity when waitUs is not positive.
 */
export function rateForWait(arrivals: readonly number[], stepUs: number, fromStep: number, waitUs: number, q = 0.99): number {
  if (!(waitUs > 0)) return Infinity;
  let sum = 0;
  let steps = 0;
  let peak = 0;
  for (let i = fromStep; i < arrivals.length; i++) {
    sum += arrivals[i]!;
    steps++;
    peak = Math.max(peak, arrivals[i]!);
  }
  if (steps === 0 || sum <= 0) return 0;
  let lo = (sum / steps) * (1e6 / stepUs);
  let hi = Math.max(lo, peak * (1e6 / stepUs));
  if (backlogWaitQuantile(arrivals, stepUs, fromStep, lo, q) <= waitUs) return lo;
  while (hi - lo > 0.001 * hi) {
    const mid = (lo + hi) / 2;
    if (backlogWaitQuantile(arrivals, stepUs, fromStep, mid, q) <= waitUs) hi = mid;
    else lo = mid;
  }
  return hi;
}
