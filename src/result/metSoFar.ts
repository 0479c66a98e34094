// Met so far: an SLO whose figure is within its target only because the run ended when it did. Two reasons, as numbers
// (judge.ts sets them on the SLO's verdict; src/report words them, src/sweep counts them):
// - "growingBacklog": a latency figure that is a lower bound (records still inside at the end, at their age then) on
//   a backlog that grows at the end (SloVerdict.onGrowingBacklog): a longer run shows it higher;
// - "writeBurst": a throttling or put-latency figure met while a shard still draws on its write burst at the end, which
//   runs out after it (SloVerdict.onWriteBurst): from then the shard refuses writes.

/** Why a met SLO is met so far only. */
export type SoFar = "growingBacklog" | "writeBurst";

/**
 * Whether the records a lower-bound SLO figure counts at their age at the end are a backlog that grows: a consumer that
 * falls further behind, by its age or its backlog's growth at the end (fallingBehind; helper-60: a KCL application
 * 1 minute behind and growing slowly was "did not grow"), or a delivery stream whose records inside grow, not draining (backlogGrows; helper-60: a
 * Direct PUT stream throttled at its quota, or draining after an outage, was "a backlog that grows"). Such a figure rises
 * with the run's length: a met SLO is met so far only.
 */
export function growsAtEnd(
  v: { consumers: readonly { name: string; fallingBehind: boolean }[]; firehose: readonly { name: string; backlogGrows: boolean }[] },
  of: string | undefined,
): boolean {
  return v.firehose.some((f) => f.name === of && f.backlogGrows) || v.consumers.some((c) => c.name === of && c.fallingBehind);
}

/** Why a met SLO is met so far only, or null when it is met outright (or missed). */
export function soFarOf(s: { met: boolean; onGrowingBacklog?: unknown; onWriteBurst?: unknown }): SoFar | null {
  if (!s.met) return null;
  if (s.onWriteBurst !== undefined) return "writeBurst";
  if (s.onGrowingBacklog !== undefined) return "growingBacklog";
  return null;
}
