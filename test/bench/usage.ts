// What the bench's child processes report about themselves.

/**
 * Loaded into a run's process before the command line (--import): when the process exits, it writes the whole
 * process's CPU (user + system of every thread, worker threads and start-up included: what the targets count)
 * and peak RSS to the file named by SHARDCAST_BENCH_USAGE.
 */
export const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(
  'import { writeFileSync } from "node:fs"; process.on("exit", () => { const u = process.cpuUsage(); ' +
    'writeFileSync(process.env.SHARDCAST_BENCH_USAGE, JSON.stringify({ cpuSeconds: (u.user + u.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 })); });',
)}`;

export interface Usage {
  cpuSeconds: number;
  maxRssMiB: number;
}
