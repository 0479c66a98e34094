// In words, what a run's bill holds beyond its Kinesis Data Streams part (src/result/billScope.ts): what `shardcast
// estimate` leaves out, said by the estimate and by the run report's cost note.

import type { BilledBeyondStreams } from "../result/billScope.js";
import { andList } from "./format.js";

/** "the lease table of KCL application a (DynamoDB)", "the requests and duration of Lambda consumer f", …; [] with none. */
export function beyondStreamsParts(b: BilledBeyondStreams): string[] {
  const parts: string[] = [];
  const several = (xs: readonly unknown[]) => xs.length > 1;
  if (b.leaseTables.length > 0) {
    parts.push(several(b.leaseTables) ? `the lease tables of KCL applications ${andList(b.leaseTables)} (DynamoDB)` : `the lease table of KCL application ${b.leaseTables[0]!} (DynamoDB)`);
  }
  if (b.lambdas.length > 0) parts.push(`the requests and duration of Lambda consumer${several(b.lambdas) ? "s" : ""} ${andList(b.lambdas)}`);
  const tables = b.sinks.filter((k) => k.kind === "dynamodb").map((k) => k.consumer);
  if (tables.length > 0) parts.push(several(tables) ? `the DynamoDB tables of the sinks of ${andList(tables)}` : `the DynamoDB table of ${tables[0]!}'s sink`);
  const puts = b.sinks.filter((k) => k.kind !== "dynamodb").map((k) => k.consumer);
  if (puts.length > 0) parts.push(several(puts) ? `the S3 PUTs of the sinks of ${andList(puts)}` : `the S3 PUTs of ${puts[0]!}'s sink`);
  if (b.firehose.length > 0) {
    const all = b.firehose.map((f) => f.name);
    const transformed = b.firehose.filter((f) => f.transform).map((f) => f.name);
    const lambda =
      transformed.length === 0 ? "" : transformed.length < all.length ? `, the Lambda transformation of ${andList(transformed)}` : several(all) ? ", their Lambda transformations" : ", its Lambda transformation";
    parts.push(`Firehose delivery stream${several(all) ? "s" : ""} ${andList(all)} (ingestion, S3 PUTs${lambda})`);
  }
  return parts;
}

/**
 * Under a monthly cost computed from a run's window: why the window matters (a scenario is often its peak: helper-77),
 * and what `shardcast estimate` prices instead: the Kinesis Data Streams part at the scenario's mean rate, not `beyond`
 * (beyondStreamsParts: the rest of this bill, which only a run prices; helper-94: a run's $4,904.92 against the
 * estimate's $805.92, the $3,796 table and $303 of Lambda left out without a word).
 */
export function monthlyCostCaveat(beyond: readonly string[] = []): string {
  const rest = beyond.length > 0 ? `, not ${andList(beyond)}, which only a run prices` : "";
  return `A window around a peak overstates a month's bill, and a quiet one understates it; \`shardcast estimate\` prices only its Kinesis Data Streams part, at the scenario's mean rate${rest}.`;
}
