// The engine micro-benchmark's models (test/bench/engine.ts times them; test/engine/holdModel.test.ts checks them):
// the classic hold model on shardcast's Simulator and on a bare typed-array binary heap, and an M/M/1 queue on
// the Simulator. Time is in whole microseconds, as in the engine; increments are drawn from the engine's own
// RandomStream, forked by name, so both queues of the hold model run the very same event times.

import { Simulator, type Action } from "../../src/engine/simulator.js";
import { RandomStream } from "../../src/engine/random.js";
import { MICROS_PER_SECOND, type Micros } from "../../src/engine/time.js";

/**
 * A binary min-heap over typed arrays: event times (Float64Array), insertion sequence numbers (Float64Array, the
 * tie-break: equal times come out in insertion order, as in the engine) and an Int32Array payload. What an event
 * queue costs with no callbacks and no checks: the hold model's yardstick.
 */
export class BareHeap {
  private times: Float64Array;
  private seqs: Float64Array;
  private payloads: Int32Array;
  private count = 0;
  private nextSeq = 0;
  /** The payload of the last pop. */
  popped = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.payloads = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  peekTime(): number {
    return this.count === 0 ? Infinity : this.times[0]!;
  }

  push(time: number, payload: number): void {
    if (this.count === this.times.length) throw new RangeError(`BareHeap full (${this.count} entries)`);
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const seq = this.nextSeq++;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = payload;
  }

  /** Removes the earliest entry and returns its time; its payload is left in `popped`. */
  pop(): number {
    if (this.count === 0) throw new RangeError("pop() on an empty BareHeap");
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const topTime = times[0]!;
    this.popped = payloads[0]!;
    const last = --this.count;
    const time = times[last]!;
    const seq = seqs[last]!;
    const payload = payloads[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && (times[right]! < times[child]! || (times[right] === times[child] && seqs[right]! < seqs[child]!))) child = right;
      const ct = times[child]!;
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    if (last > 0) {
      times[i] = time;
      seqs[i] = seq;
      payloads[i] = payload;
    }
    return topTime;
  }
}

/** What a hold-model run did: events run, the sum and the last of their times (a cheap check both queues agree). */
export interface HoldResult {
  events: number;
  sumOfTimes: number;
  lastTime: Micros;
}

export interface HoldOptions {
  /** Events pending at once (the heap's size in the steady state). */
  pending: number;
  /** Events run in all: the first events − pending reschedule (a hold: pop + push); the last `pending` only pop. */
  events: number;
  seed: number;
  /** When given, every event's time is appended (tests only; the bench leaves it out). */
  trace?: number[];
}

/** The hold model's increment stream: exponential, mean 1 s, in whole microseconds. */
function holdIncrements(seed: number): () => Micros {
  const rng = RandomStream.root(seed).fork("bench-hold");
  return () => Math.round(rng.exponential(1 / MICROS_PER_SECOND));
}

/** Only the hold model's increments, `events` of them: what drawing them costs, inside both queues' figures. */
export function holdIncrementsOnly(events: number, seed: number): number {
  const inc = holdIncrements(seed);
  let sum = 0;
  for (let i = 0; i < events; i++) sum += inc();
  return sum;
}

/**
 * The hold model on shardcast's Simulator: `pending` events, each of which, when it runs, schedules one new event
 * at now + an exponential increment, until `events` have been scheduled in all. `closures`: a fresh closure per
 * event (false: one shared action, as most of the model's hot paths are).
 */
export function holdOnSimulator(opts: HoldOptions, closures: boolean): HoldResult {
  const { pending, events, trace } = opts;
  if (pending > events) throw new RangeError(`pending (${pending}) > events (${events})`);
  const inc = holdIncrements(opts.seed);
  const sim = new Simulator();
  let scheduled = 0;
  let sum = 0;
  let last = 0;
  const shared: Action = (now) => {
    sum += now;
    last = now;
    if (trace !== undefined) trace.push(now);
    if (scheduled < events) {
      scheduled++;
      sim.scheduleAt(now + inc(), shared);
    }
  };
  const fresh = (): Action => (now) => {
    sum += now;
    last = now;
    if (trace !== undefined) trace.push(now);
    if (scheduled < events) {
      scheduled++;
      sim.scheduleAt(now + inc(), fresh());
    }
  };
  for (let i = 0; i < pending; i++) {
    scheduled++;
    sim.scheduleAt(inc(), closures ? fresh() : shared);
  }
  sim.runUntil(Number.MAX_SAFE_INTEGER);
  return { events: sim.eventsProcessed, sumOfTimes: sum, lastTime: last };
}

/** The same hold model, same increments, on a BareHeap: the event loop inlined, the payload an event number. */
export function holdOnBareHeap(opts: HoldOptions): HoldResult {
  const { pending, events, trace } = opts;
  if (pending > events) throw new RangeError(`pending (${pending}) > events (${events})`);
  const inc = holdIncrements(opts.seed);
  const heap = new BareHeap(pending);
  let scheduled = 0;
  let run = 0;
  let sum = 0;
  let last = 0;
  for (let i = 0; i < pending; i++) heap.push(inc(), scheduled++);
  while (heap.size > 0) {
    const now = heap.pop();
    run++;
    sum += now;
    last = now;
    if (trace !== undefined) trace.push(now);
    if (scheduled < events) heap.push(now + inc(), scheduled++);
  }
  return { events: run, sumOfTimes: sum, lastTime: last };
}

export interface MM1Result {
  /** Events the simulator ran (an arrival and a departure per customer). */
  events: number;
  customers: number;
  /** Mean time in system (waiting + service), seconds. */
  meanSojourn: number;
  /** Standard error of meanSojourn by 20 batch means (customers are correlated; this is the honest spread). */
  sojournStandardError: number;
  /** Fraction of the run's time the server was busy (ρ = λ/μ in the long run). */
  utilisation: number;
}

/**
 * An M/M/1 queue on shardcast's Simulator: Poisson arrivals at `lambda` per second, exponential service at `mu`
 * per second, one server, first come first served; runs until `customers` have left. Two events per customer:
 * its arrival and its departure. Closed form (λ < μ): mean time in system 1/(μ − λ), utilisation λ/μ.
 */
export function mm1OnSimulator(lambda: number, mu: number, customers: number, seed: number): MM1Result {
  const root = RandomStream.root(seed);
  const arrivalsRng = root.fork("bench-mm1/arrivals");
  const serviceRng = root.fork("bench-mm1/service");
  const arrivalRate = lambda / MICROS_PER_SECOND;
  const serviceRate = mu / MICROS_PER_SECOND;
  const sim = new Simulator();
  // Arrival times of the customers in the system, a ring buffer (the one in service at `head`).
  let ring = new Float64Array(1024);
  let head = 0;
  let inSystem = 0;
  let arrived = 0;
  let departed = 0;
  let busySince = 0;
  let busy = 0;
  let end = 0;
  const batches = 20;
  const perBatch = Math.max(1, Math.floor(customers / batches));
  const batchSums = new Float64Array(batches);
  let sojournSum = 0;

  const depart: Action = (now) => {
    const sojourn = now - ring[head]!;
    head = (head + 1) & (ring.length - 1);
    inSystem--;
    const b = Math.floor(departed / perBatch);
    if (b < batches) batchSums[b]! += sojourn;
    sojournSum += sojourn;
    departed++;
    if (inSystem > 0) sim.scheduleAt(now + Math.round(serviceRng.exponential(serviceRate)), depart);
    else busy += now - busySince;
    end = now;
  };
  const arrive: Action = (now) => {
    if (inSystem === ring.length) {
      // Grow the ring, unrolling it so the customer in service is at 0.
      const bigger = new Float64Array(ring.length * 2);
      for (let k = 0; k < inSystem; k++) bigger[k] = ring[(head + k) & (ring.length - 1)]!;
      ring = bigger;
      head = 0;
    }
    ring[(head + inSystem) & (ring.length - 1)] = now;
    inSystem++;
    arrived++;
    if (inSystem === 1) {
      busySince = now;
      sim.scheduleAt(now + Math.round(serviceRng.exponential(serviceRate)), depart);
    }
    if (arrived < customers) sim.scheduleAt(now + Math.round(arrivalsRng.exponential(arrivalRate)), arrive);
  };
  sim.scheduleAt(Math.round(arrivalsRng.exponential(arrivalRate)), arrive);
  sim.runUntil(Number.MAX_SAFE_INTEGER);
  if (departed !== customers) throw new Error(`M/M/1: ${departed} of ${customers} customers left`);

  const means = Array.from(batchSums, (s) => s / perBatch / MICROS_PER_SECOND);
  const grand = means.reduce((a, b) => a + b, 0) / batches;
  const variance = means.reduce((a, m) => a + (m - grand) ** 2, 0) / (batches - 1);
  return {
    events: sim.eventsProcessed,
    customers: departed,
    meanSojourn: sojournSum / departed / MICROS_PER_SECOND,
    sojournStandardError: Math.sqrt(variance / batches),
    utilisation: busy / end,
  };
}

/** SimPy's M/M/1 with the same parameters (the textbook process-and-Resource form), timed inside Python. */
export const SIMPY_MM1 = `
import json, random, sys, time
import simpy

lam, mu, customers, seed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
env = simpy.Environment()
server = simpy.Resource(env, capacity=1)
state = {"done": 0, "sojourn": 0.0}

def customer(env):
    arrived = env.now
    with server.request() as req:
        yield req
        yield env.timeout(rng.expovariate(mu))
    state["done"] += 1
    state["sojourn"] += env.now - arrived

def source(env):
    for _ in range(customers):
        yield env.timeout(rng.expovariate(lam))
        env.process(customer(env))

env.process(source(env))
steps = 0
t0 = time.process_time()
while state["done"] < customers:
    env.step()
    steps += 1
cpu = time.process_time() - t0
print(json.dumps({"cpuSeconds": cpu, "steps": steps, "customers": state["done"],
                  "meanSojourn": state["sojourn"] / state["done"], "version": simpy.__version__}))
`;
