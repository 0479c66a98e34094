// A provisioned DynamoDB table drawing on its burst credit at the end of a run: the write units a second it took beyond
// its capacity, and when the credit ran out, or runs out at that pace (closed form: the credit left ÷ that deficit).
// DynamoDB keeps up to 300 s of unused capacity for bursts (DynamoDB developer guide, burst capacity:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html), and AWS works the
// same closed form: 150 RCU unused for 5 minutes hold 45,000 units, which serve 200 RCU "for 15 minutes",
// 45,000 / (200 - 150) = 900 seconds (https://repost.aws/knowledge-center/dynamodb-spiky-workloads-short-intervals).
// A table that takes more than its capacity keeps up only until that credit is spent, and throttles the excess then.

import { S as MICROS_PER_SECOND } from "../spec/index.js";

/** A table's write credit drawn at the end of a run (burstCreditDrawn). */
export interface BurstCredit {
  /** The credit when full: the write capacity × the table's burst seconds (the table starts with it full). */
  fullUnits: number;
  /** The credit left at the end of the run. */
  endUnits: number;
  /** Write units a second drawn beyond the capacity: the credit's fall from `fromUs` to `toUs`, ÷ that time. */
  deficitPerSecond: number;
  fromUs: number;
  toUs: number;
  /** When it ran out, to stay out to the end (µs); null: some is left at the end. */
  ranOutAtUs: number | null;
  /** With some left at the end: when it runs out at that pace, the end + endUnits ÷ deficitPerSecond (µs); null when it ran out. */
  lastsUntilUs: number | null;
}

/** A credit under this share of a second of the capacity counts as spent (a throttling table keeps a few units between writes). */
export const CREDIT_SPENT_SECONDS = 0.1;
/** A table holding less than this share of its full credit (and CREDIT_SPENT_SECONDS of capacity) has none to draw on. */
export const CREDIT_KEPT_SHARE = 0.1;
/** A deficit from this share of the capacity up counts as drawing on the credit: the table takes over 101% of its capacity. */
export const CREDIT_DRAWN_SHARE = 0.01;

/**
 * The credit a table drew at the end of a run, or null when it drew none. It has credit while it holds at least
 * CREDIT_KEPT_SHARE of it full (a table out of credit still gathers a little between its writes, as much as its
 * capacity for the time between them, retries included). The span measured ends at the last step with credit (the end
 * of the run, or before it ran out, which must be in the last quarter after warmup: a table out of credit before then
 * throttles in plain sight) and reaches a quarter of the time after warmup back (not before warmup); over it the credit
 * fell by at least CREDIT_DRAWN_SHARE of the capacity a second. Where it ran out: at that pace from the span's end,
 * and by the first step after it that ended under CREDIT_SPENT_SECONDS of capacity.
 * `credit`: the credit at the end of each series step (DynamoTable.writeCredit); `capacityPerSecond`: the write capacity.
 */
export function burstCreditDrawn(
  credit: ArrayLike<number>,
  fullUnits: number,
  capacityPerSecond: number,
  warmup: number,
  duration: number,
  resolution: number,
): BurstCredit | null {
  const n = credit.length;
  if (n === 0 || duration <= warmup || capacityPerSecond <= 0) return null;
  const endOf = (k: number) => (k < 0 ? 0 : Math.min((k + 1) * resolution, duration));
  const level = (k: number) => (k < 0 ? fullUnits : credit[k]!);
  const kept = Math.max(CREDIT_SPENT_SECONDS * capacityPerSecond, CREDIT_KEPT_SHARE * fullUnits);
  // Steps j.. end with no credit kept.
  let j = n;
  while (j > 0 && credit[j - 1]! < kept) j--;
  const out = j < n;
  const quarter = (duration - warmup) / 4;
  const kt = out ? j - 1 : n - 1;
  const toUs = endOf(kt);
  const kf = Math.round(Math.max(warmup, toUs - quarter) / resolution) - 1;
  if (kf >= kt) return null;
  const fromUs = endOf(kf);
  const deficitPerSecond = (level(kf) - level(kt)) / ((toUs - fromUs) / MICROS_PER_SECOND);
  if (!(deficitPerSecond >= CREDIT_DRAWN_SHARE * capacityPerSecond)) return null;
  const endUnits = credit[n - 1]!;
  if (!out) return { fullUnits, endUnits, deficitPerSecond, fromUs, toUs, ranOutAtUs: null, lastsUntilUs: Math.round(duration + (endUnits / deficitPerSecond) * MICROS_PER_SECOND) };
  let spent = j;
  while (spent < n && credit[spent]! >= CREDIT_SPENT_SECONDS * capacityPerSecond) spent++;
  const paced = Math.round(toUs + (level(kt) / deficitPerSecond) * MICROS_PER_SECOND);
  const ranOutAtUs = spent < n ? Math.min(endOf(spent), paced) : Math.min(duration, paced);
  if (ranOutAtUs <= duration - quarter) return null;
  return { fullUnits, endUnits, deficitPerSecond, fromUs, toUs, ranOutAtUs, lastsUntilUs: null };
}

/** A table's credit spent and kept spent to the end of a run (creditSpent). */
export interface CreditSpent {
  /** From when the credit stayed spent: the end of the first step that ended under what counts as kept, after which every step did (µs). */
  sinceUs: number;
  /**
   * The most write units the table can have held at any moment since then: the highest credit at a step's end from
   * that step on, plus a step's capacity (between takes the credit rises at the capacity, within a step at most that
   * much above the previous step's end), never above the full credit.
   */
  mostUnits: number;
}

/**
 * When a provisioned table's write credit ran out to stay out to the end of the run (every step's end from then on
 * under what counts as kept, as burstCreditDrawn reckons it: CREDIT_KEPT_SHARE of the full credit, or CREDIT_SPENT_SECONDS
 * of capacity), and the most it can have held at any moment since; null when it has some at the end, or ran out in the
 * last step only. A write of `units` write units since then takes at least (units − mostUnits) ÷ capacity seconds, the
 * table giving no more than it holds and its capacity a second (DynamoDB developer guide, burst capacity:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html).
 * `credit`: the credit at the end of each series step (DynamoTable.writeCredit).
 */
export function creditSpent(credit: ArrayLike<number>, fullUnits: number, capacityPerSecond: number, duration: number, resolution: number): CreditSpent | null {
  const n = credit.length;
  if (n === 0 || capacityPerSecond <= 0) return null;
  const kept = Math.max(CREDIT_SPENT_SECONDS * capacityPerSecond, CREDIT_KEPT_SHARE * fullUnits);
  let j = n;
  while (j > 0 && credit[j - 1]! < kept) j--;
  // Steps j.. end under it: from the end of step j on, every moment is within a step whose previous step ended under it.
  const sinceUs = Math.min((j + 1) * resolution, duration);
  if (j >= n || sinceUs >= duration) return null;
  let most = 0;
  for (let k = j; k < n; k++) if (credit[k]! > most) most = credit[k]!;
  return { sinceUs, mostUnits: Math.min(fullUnits, most + (capacityPerSecond * resolution) / MICROS_PER_SECOND) };
}
