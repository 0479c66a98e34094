// npm run bench, engine part (issue 15): the hold-model micro-benchmark on shardcast's Simulator against a bare
// typed-array heap in the same process, an M/M/1 queue on the Simulator checked against its closed form, and
// SimPy's M/M/1 when SimPy is installed. CPU time of the whole process (process.cpuUsage: user + system, GC
// threads included), medians of BENCH_REPEAT runs (default 3); the variants run interleaved, so a load spike
// on this shared machine hits them alike. Not a test: numbers are printed, not asserted.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { holdIncrementsOnly, holdOnBareHeap, holdOnSimulator, mm1OnSimulator, SIMPY_MM1, type HoldResult } from "./engineModels.js";

const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const HOLD_EVENTS = Number(process.env.BENCH_HOLD_EVENTS ?? 5_000_000);
const HOLD_SIZES = [1_000, 100_000];
const LAMBDA = 0.9;
const MU = 1;
const CUSTOMERS = Number(process.env.BENCH_MM1_CUSTOMERS ?? 1_000_000);
const SEED = 1;
const BARE_TARGET = 0.5;
const SIMPY_TARGET = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (x: number, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const met = (ok: boolean) => (ok ? "met" : "NOT met");

/** Runs `fn` and returns its result and the process's CPU seconds (user + system) it took. */
function cpuTimed<T>(fn: () => T): { result: T; cpu: number } {
  const before = process.cpuUsage();
  const result = fn();
  const d = process.cpuUsage(before);
  return { result, cpu: (d.user + d.system) / 1e6 };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(", ");
console.log(`\nengine micro-benchmark (Node ${process.version}); medians of ${repeat}; CPU time of this process; load average before: ${load()}`);

// Warm-up: let the JIT compile every path before anything is timed.
for (const closures of [false, true]) holdOnSimulator({ pending: 1000, events: 200_000, seed: 2 }, closures);
holdOnBareHeap({ pending: 1000, events: 200_000, seed: 2 });
holdIncrementsOnly(200_000, 2);
mm1OnSimulator(LAMBDA, MU, 50_000, 2);

// 1–2. The hold model: shardcast's Simulator (a shared action; a fresh closure per event) against the bare heap.
const holdRatios: number[] = [];
for (const pending of HOLD_SIZES) {
  const opts = { pending, events: HOLD_EVENTS, seed: SEED };
  const rates: Record<"shared" | "closures" | "bare" | "draws", number[]> = { shared: [], closures: [], bare: [], draws: [] };
  const ratios: number[] = [];
  let reference: HoldResult | undefined;
  for (let r = 0; r < repeat; r++) {
    const shared = cpuTimed(() => holdOnSimulator(opts, false));
    const closures = cpuTimed(() => holdOnSimulator(opts, true));
    const bare = cpuTimed(() => holdOnBareHeap(opts));
    const draws = cpuTimed(() => holdIncrementsOnly(HOLD_EVENTS, SEED));
    for (const x of [shared.result, closures.result]) {
      if (x.events !== bare.result.events || x.sumOfTimes !== bare.result.sumOfTimes || x.lastTime !== bare.result.lastTime) {
        throw new Error(`hold model, ${pending} pending: the Simulator and the bare heap ran different events`);
      }
    }
    reference = bare.result;
    rates.shared.push(shared.result.events / shared.cpu);
    rates.closures.push(closures.result.events / closures.cpu);
    rates.bare.push(bare.result.events / bare.cpu);
    rates.draws.push(HOLD_EVENTS / draws.cpu);
    ratios.push(bare.cpu / shared.cpu);
  }
  const ratio = median(ratios);
  holdRatios.push(ratio);
  console.log(
    `hold model, ${f(pending)} pending, ${f(reference!.events)} events (exponential increments from the engine's RandomStream; same event times on both queues):\n` +
      `  shardcast Simulator, one shared action: ${f(median(rates.shared))} events/s\n` +
      `  shardcast Simulator, a closure per event: ${f(median(rates.closures))} events/s\n` +
      `  bare typed-array heap (Float64Array times, Int32Array payload): ${f(median(rates.bare))} events/s\n` +
      `  (drawing the increments alone: ${f(median(rates.draws))} draws/s; both queues' figures include it)\n` +
      `  shardcast (shared action) / bare heap: ${f(ratio, 2)}× (median of paired runs; target ≥ ${BARE_TARGET}×: ${met(ratio >= BARE_TARGET)})`,
  );
}

// 3. M/M/1 on the Simulator, checked against the closed form.
const expected = 1 / (MU - LAMBDA);
const mm1Runs = Array.from({ length: repeat }, () => cpuTimed(() => mm1OnSimulator(LAMBDA, MU, CUSTOMERS, SEED)));
const mm1 = mm1Runs[0]!.result;
const mm1Cpu = median(mm1Runs.map((x) => x.cpu));
const relError = (mm1.meanSojourn - expected) / expected;
const mm1Counts = Math.abs(relError) <= 0.05;
console.log(
  `M/M/1 on the shardcast Simulator (λ = ${LAMBDA}/s, μ = ${MU}/s, ${f(CUSTOMERS)} customers, ${f(mm1.events)} events): ` +
    `${f(mm1.events / mm1Cpu)} events/s, ${f(mm1.customers / mm1Cpu)} customers/s\n` +
    `  mean time in system ${f(mm1.meanSojourn, 3)} s (± ${f(mm1.sojournStandardError, 3)} s, batch means) against 1/(μ − λ) = ${f(expected, 3)} s: ` +
    `relative error ${f(100 * relError, 2)}% ${mm1Counts ? "(within 5%: the run counts)" : "(MORE THAN 5%: the model or the run is off; this measurement does not count)"}; ` +
    `utilisation ${f(mm1.utilisation, 4)} against ρ = ${f(LAMBDA / MU, 4)}`,
);

// 4. SimPy's M/M/1, same parameters, timed inside Python; the ratio is in customers per CPU second (SimPy's
// events are finer grained than the Simulator's two per customer, so events/s would not compare like with like).
function pythonWithSimpy(): string | undefined {
  for (const py of ["python3", "/usr/bin/python3"]) {
    try {
      execFileSync(py, ["-c", "import simpy"], { stdio: "ignore" });
      return py;
    } catch {
      // not this one
    }
  }
  return undefined;
}
const py = pythonWithSimpy();
if (py === undefined) {
  console.log(
    `SimPy not installed (Debian package python3-simpy3): ratio not measured (target ≥ ${SIMPY_TARGET}× SimPy's M/M/1). ` +
      "Without root: apt-get download python3-simpy3 && dpkg -x python3-simpy3_*.deb simpy, then run with PYTHONPATH=$PWD/simpy/usr/lib/python3/dist-packages",
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), "shardcast-bench-simpy-"));
  try {
    const script = join(dir, "mm1.py");
    writeFileSync(script, SIMPY_MM1);
    const runs = Array.from({ length: repeat }, () =>
      JSON.parse(execFileSync(py, [script, String(LAMBDA), String(MU), String(CUSTOMERS), String(SEED)], { encoding: "utf8" })) as {
        cpuSeconds: number;
        steps: number;
        customers: number;
        meanSojourn: number;
        version: string;
      },
    );
    const cpu = median(runs.map((x) => x.cpuSeconds));
    const s = runs[0]!;
    const ratio = mm1.customers / mm1Cpu / (s.customers / cpu);
    console.log(
      `M/M/1 on SimPy ${s.version} (${py}; same λ, μ and customers): ${f(s.customers / cpu)} customers/s, ${f(s.steps / cpu)} SimPy events/s ` +
        `(${f(s.steps / s.customers, 1)} per customer), mean time in system ${f(s.meanSojourn, 3)} s\n` +
        `  shardcast / SimPy, customers per CPU second: ${f(ratio, 1)}× (target ≥ ${SIMPY_TARGET}×: ${met(ratio >= SIMPY_TARGET)})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`load average after: ${load()}`);
