// The KCL 3.x leader's decision, as amazon-kinesis-client's LeaseAssignmentManager.InMemoryStorageView and
// VarianceBasedLeaseAssignmentDecider (WORKER_UTILIZATION_AWARE) make it, from one snapshot of the lease table and
// the workers' metrics:
// 1. every lease expired or unowned, oldest counter change first, goes to the worker furthest below the fleet's
//    average utilisation (a priority queue on (average − value) / value, 1 for an idle worker); each assignment
//    adds to that worker's value what the lease is expected to add (its throughput × average / the throughput per
//    worker, or average / leases per worker when no lease has a throughput yet);
// 2. on a rebalancing run: when any worker is more than reBalanceThresholdPercentage away from the average (or
//    above its operating range), each worker at or above average × (1 + threshold) (or the busiest one) gives up
//    throughput = its assigned throughput × (value − average) / value × dampeningPercentage; its leases are drawn
//    at random until that throughput is covered (the smallest one when none fits and allowThroughputOvershoot),
//    and each goes to the worker furthest below average — unless taking it would lift that worker above the
//    average, which ends that worker's moves (that worker leaves the queue for the rest of the run).
// The worker metric is one value per worker: its CPU (WorkerMetricsSelector: operating range 100 %), or, for a
// worker with no CPU metric, the throughput of its leases against the fleet's average × 100.
// Ties in the queue fall where java.util.PriorityQueue puts them: the heap below is its sift-up / sift-down.

export interface DeciderWorker {
  id: number;
  /** Its persisted reports, oldest first (−1: a failed capture). Ignored when `throughputMetric`. */
  reports: readonly number[];
  /** The worker reports no CPU metric: it is weighed by the throughput of its leases. */
  throughputMetric: boolean;
}

export interface DeciderLease {
  shard: number;
  /** The actual owner (the old owner while a handoff is pending), or null. */
  owner: number | null;
  throughputKBps: number | null;
  expiredOrUnassigned: boolean;
  /** When the leader last saw its counter move (µs; 0 for one never owned): the order expired leases are assigned in. */
  lastIncrement: number;
  /** A graceful handoff is pending (checkpointOwner set). */
  pendingShutdown: boolean;
}

export interface DeciderConfig {
  reBalanceThresholdPercentage: number;
  dampeningPercentage: number;
  allowThroughputOvershoot: boolean;
  workerMetricsEMAAlpha: number;
  maxLeasesForWorker: number;
  /** Whether this run balances the variance (every varianceBalancingFrequency-th run). */
  balance: boolean;
  /** The operating range's ceiling of the metric (100 %). */
  operatingMax: number;
}

/** The leases given a new owner, in the order the leader decided them (shard → worker). */
export type Assignments = Map<number, number>;

/** An exponential moving average of the reports, oldest first, skipping failed captures (−1); 0 for none. */
export function metricAverage(reports: readonly number[], alpha: number): number {
  let value = 0;
  let started = false;
  for (const x of reports) {
    if (x === -1) continue;
    value = started ? alpha * x + (1 - alpha) * value : x;
    started = true;
  }
  return value;
}

interface W {
  id: number;
  value: number;
}

/** java.util.PriorityQueue's binary heap (siftUp / siftDown with a comparator), for its order among ties. */
class JavaPriorityQueue<T> {
  private readonly a: T[] = [];
  constructor(private readonly cmp: (x: T, y: T) => number) {}

  add(x: T): void {
    let k = this.a.length;
    this.a.push(x);
    while (k > 0) {
      const parent = (k - 1) >>> 1;
      const e = this.a[parent]!;
      if (this.cmp(x, e) >= 0) break;
      this.a[k] = e;
      k = parent;
    }
    this.a[k] = x;
  }

  poll(): T | undefined {
    if (this.a.length === 0) return undefined;
    const result = this.a[0]!;
    const x = this.a.pop()!;
    const n = this.a.length;
    if (n > 0) {
      let k = 0;
      const half = n >>> 1;
      while (k < half) {
        let child = 2 * k + 1;
        let c = this.a[child]!;
        const right = child + 1;
        if (right < n && this.cmp(c, this.a[right]!) > 0) c = this.a[(child = right)]!;
        if (this.cmp(x, c) <= 0) break;
        this.a[k] = c;
        k = child;
      }
      this.a[k] = x;
    }
    return result;
  }
}

/**
 * The leader's assignments for one run. `workers` are the active ones (metrics reported within the expiry, none
 * failing), in the order the leader read them; `shuffle` draws the order a hot worker's leases are considered in.
 */
export function decideAssignments(snapshot: readonly DeciderLease[], workers: readonly DeciderWorker[], config: DeciderConfig, shuffle: <T>(a: T[]) => void): Assignments {
  // InMemoryStorageView.loadInMemoryStorageView (on copies: the view's owners change as it decides)
  const leases = snapshot.map((l) => ({ ...l }));
  const known = leases.filter((l) => l.throughputKBps !== null);
  const averageLeaseThroughput = known.length > 0 ? known.reduce((n, l) => n + l.throughputKBps!, 0) / known.length : 0;
  const targetAverageThroughput = (averageLeaseThroughput * leases.length) / Math.max(1, workers.length);
  const tp = new Map<DeciderLease, number>(leases.map((l) => [l, l.throughputKBps ?? averageLeaseThroughput]));
  // Per owner its leases, in the order the view holds them (a lease moved to an owner goes last): insertion-ordered
  // sets, so a move is not a search of the list.
  const leasesOf = new Map<number | null, Set<DeciderLease>>();
  const assigned = new Map<number | null, number>();
  const addThroughput = (owner: number | null, x: number) => assigned.set(owner, (assigned.get(owner) ?? 0) + x);
  for (const l of leases) {
    const list = leasesOf.get(l.owner);
    if (list) list.add(l);
    else leasesOf.set(l.owner, new Set([l]));
    addThroughput(l.owner, tp.get(l)!);
  }
  const totalAssigned = (id: number) => assigned.get(id) ?? 0;
  const ws: W[] = workers
    .filter((w) => w.throughputMetric || w.reports.length === 0 || w.reports[w.reports.length - 1] !== -1)
    .map((w) => {
      if (!w.throughputMetric) return { id: w.id, value: metricAverage(w.reports, config.workerMetricsEMAAlpha) };
      // A worker on the default metric: its leases' throughput against the target, × 100 (0 before any throughput).
      const ratio = targetAverageThroughput > 0 ? totalAssigned(w.id) / targetAverageThroughput : 0;
      return { id: w.id, value: ratio * 100 };
    });
  // VarianceBasedLeaseAssignmentDecider.initialize
  const average = ws.length > 0 ? ws.reduce((n, w) => n + w.value, 0) / ws.length : 0;
  const targetLeasePerWorker = Math.max(Math.floor(leases.length / Math.max(ws.length, 1)), 1);
  const percentToAverage = (w: W) => (w.value === 0 ? 1 : (average - w.value) / w.value);
  const queue = new JavaPriorityQueue<W>((a, b) => percentToAverage(b) - percentToAverage(a));
  const underMax = (id: number) => (leasesOf.get(id)?.size ?? 0) < config.maxLeasesForWorker;
  for (const w of ws) if (underMax(w.id)) queue.add(w);
  const added = (leaseThroughput: number) => (targetAverageThroughput > 0 ? (leaseThroughput * average) / targetAverageThroughput : average / targetLeasePerWorker);
  const result: Assignments = new Map();

  const move = (l: DeciderLease, to: number) => {
    leasesOf.get(l.owner)!.delete(l);
    const list = leasesOf.get(to);
    if (list) list.add(l);
    else leasesOf.set(to, new Set([l]));
    addThroughput(to, tp.get(l)!);
    addThroughput(l.owner, -tp.get(l)!);
    result.set(l.shard, to);
    l.owner = to;
  };
  const assignLease = (l: DeciderLease, w: W, expired: boolean) => {
    const pendingExpired = expired && l.pendingShutdown;
    if (!pendingExpired && l.owner === w.id) {
      queue.add(w);
      return;
    }
    w.value += added(tp.get(l)!);
    move(l, w.id);
    if (underMax(w.id)) queue.add(w);
  };

  // assignExpiredOrUnassignedLeases: oldest counter change first (a stable sort, as Collections.sort).
  const expired = leases.filter((l) => l.expiredOrUnassigned).sort((a, b) => a.lastIncrement - b.lastIncrement);
  for (const l of expired) {
    const w = queue.poll();
    if (!w) break;
    assignLease(l, w, true);
  }

  if (config.balance && ws.length > 0) {
    // balanceWorkerVariance, getWorkersToTakeLeasesFromIfRequired
    const upper = average * (1 + config.reBalanceThresholdPercentage / 100);
    const lower = average * (1 - config.reBalanceThresholdPercentage / 100);
    let trigger = false;
    const above: W[] = [];
    let most: W | null = null;
    for (const w of ws) {
      const overRange = w.value > config.operatingMax;
      if (w.value > upper || w.value < lower || overRange) trigger = true;
      if (w.value >= upper || overRange) above.push(w);
      if (most === null || most.value < w.value) most = w;
    }
    if (above.length === 0) above.push(most!);
    const toTake = trigger
      ? above.map((w) => ({ w, throughput: totalAssigned(w.id) * ((w.value - average) / w.value) * (config.dampeningPercentage / 100) }))
      : [];
    // Largest first (ties: the order read).
    toTake.sort((a, b) => b.throughput - a.throughput);
    for (const { w, throughput } of toTake) {
      for (const l of leasesToTake(w.id, throughput)) {
        const to = queue.poll();
        if (to && wouldGoAboveAverage(to, l)) break;
        if (to) assignLease(l, to, false);
      }
    }
  }
  return result;

  /** WorkerMetricStats.willAnyMetricStatsGoAboveAverageUtilizationOrOperatingRange */
  function wouldGoAboveAverage(w: W, l: DeciderLease): boolean {
    const v = w.value + added(tp.get(l)!);
    return v > average || v > config.operatingMax;
  }

  function leasesToTake(id: number, throughput: number): DeciderLease[] {
    const mine = leasesOf.get(id);
    if (!mine || mine.size === 0) return [];
    if (totalAssigned(id) === 0) return [mine.values().next().value!];
    const pool = [...mine];
    shuffle(pool);
    const out: DeciderLease[] = [];
    let remaining = throughput;
    for (const l of pool) {
      if (remaining - tp.get(l)! <= 0) continue;
      remaining -= tp.get(l)!;
      out.push(l);
    }
    if (config.allowThroughputOvershoot && out.length === 0) {
      let min = pool[0]!;
      for (const l of pool) if (tp.get(l)! < tp.get(min)!) min = l;
      out.push(min);
    }
    return out;
  }
}
