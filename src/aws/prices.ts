// The prices of the monthly bill: a versioned table per Region, each item with its amount, unit and source. What
// is billed (the structure: shard-hours, PUT payload units, on-demand stream-hours and GB in and out with each
// record rounded up to 1 KB, retention, enhanced fan-out) is on the pricing pages:
// https://aws.amazon.com/kinesis/data-streams/pricing/, https://aws.amazon.com/dynamodb/pricing/,
// https://aws.amazon.com/firehose/pricing/, https://aws.amazon.com/s3/pricing/, https://aws.amazon.com/lambda/pricing/.
// The amounts come from copies of the AWS Price List API (infracost's golden test files, a Price List extract
// quoted in komiser's pull request 1137) or from AWS's own pricing examples; where no public source shows an
// amount, the item says UNCONFIRMED. docs/limits.md lists every item with its source. A scenario picks a table
// and overrides items (`prices:`, src/spec/prices.ts); the report states the table, its date and the overrides.

/** What one item of a price table costs, in what unit, and where the amount comes from. */
export interface PriceEntry {
  usd: number;
  unit: string;
  source: string;
  /** False when no public source shows the amount (an assumption to check before publishing). */
  confirmed: boolean;
}

export interface PriceTable {
  id: string;
  region: string;
  /** When the table was compiled from its sources (each item's source gives its own date where it has one). */
  date: string;
  items: Record<PriceItem, PriceEntry>;
}

const KDS = "Kinesis Data Streams pricing page (https://aws.amazon.com/kinesis/data-streams/pricing/)";
const IC = "infracost kinesis_stream_test.golden (AWS Price List API values, date unknown)";
const KOMISER = "AWS Price List API us-east-1 extract, effective 2023-06-01, quoted in mlabouardy/komiser pull request 1137";
const ADVANTAGE =
  "'Choose the right mode' (https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html): no per-stream fee, ingest, retrieval and extended retention at least 60% below On-demand Standard; amount UNCONFIRMED (an assumption within that: data in and out 60% below Standard's, enhanced fan-out retrieval 68% and extended retention 77% below)";
const LAMBDA = "AWS Lambda pricing (https://aws.amazon.com/lambda/pricing/, examples in US East (N. Virginia)) and 'How AWS Pricing Works: Lambda'";

/** us-east-1 (US East, N. Virginia). */
const US_EAST_1_ITEMS = {
  // Provisioned.
  shardHour: { usd: 0.015, unit: "per shard-hour", source: `${KDS}; amount: ${IC}; ${KOMISER}`, confirmed: true },
  putPayloadUnitPerMillion: { usd: 0.014, unit: "per million 25 KB PUT payload units", source: `${KDS}; amount: ${IC}`, confirmed: true },
  extendedRetentionShardHour: { usd: 0.02, unit: "per shard-hour (retention 24 h .. 7 days)", source: `${KDS}; amount: ${KOMISER}; ${IC}`, confirmed: true },
  longTermRetentionGbMonth: { usd: 0.023, unit: "per GB-month stored beyond 7 days (every mode)", source: `${KDS}; amount: ${IC}`, confirmed: true },
  longTermRetrievalGb: { usd: 0.021, unit: "per GB read of data older than 7 days", source: `${KDS}; amount: ${IC} ("Extended retention retrieval (7D+)"); UNCONFIRMED elsewhere`, confirmed: false },
  efoConsumerShardHour: { usd: 0.015, unit: "per enhanced fan-out consumer-shard-hour (provisioned)", source: `${KDS}; amount: ${KOMISER}; ${IC}`, confirmed: true },
  efoRetrievalGb: { usd: 0.013, unit: "per GB pushed to enhanced fan-out consumers (provisioned)", source: `${KDS}; amount: ${KOMISER}; ${IC}`, confirmed: true },
  // On-demand Standard.
  onDemandStreamHour: { usd: 0.04, unit: "per stream-hour", source: `${KDS}; amount: ${IC}`, confirmed: true },
  onDemandDataInGb: { usd: 0.08, unit: "per GB written, each record rounded up to 1 KB (1,024 B)", source: `${KDS}; amount: ${IC}`, confirmed: true },
  onDemandDataOutGb: { usd: 0.04, unit: "per GB read with GetRecords", source: `${KDS}; amount: ${IC}`, confirmed: true },
  onDemandEfoRetrievalGb: { usd: 0.05, unit: "per GB pushed to enhanced fan-out consumers (no consumer-shard-hour fee)", source: `${KDS}; amount: ${IC}`, confirmed: true },
  onDemandExtendedRetentionGbMonth: { usd: 0.1, unit: "per GB-month stored between 24 h and 7 days", source: `${KDS}; amount: ${IC}`, confirmed: true },
  // On-demand Advantage: no stream-hour fee, no consumer-shard-hour fee.
  advantageDataInGb: { usd: 0.032, unit: "per GB written, each record rounded up to 1 KB", source: ADVANTAGE, confirmed: false },
  advantageDataOutGb: { usd: 0.016, unit: "per GB read with GetRecords", source: ADVANTAGE, confirmed: false },
  advantageEfoRetrievalGb: { usd: 0.016, unit: "per GB pushed to enhanced fan-out consumers", source: ADVANTAGE, confirmed: false },
  advantageExtendedRetentionGbMonth: { usd: 0.023, unit: "per GB-month stored between 24 h and 7 days", source: ADVANTAGE, confirmed: false },
  advantageCommitmentMiBps: {
    usd: 25,
    unit: "MiB/s of data in and of data out billed at least, account-wide (not USD: the minimum-throughput commitment)",
    source:
      "MinimumThroughputBillingCommitment (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MinimumThroughputBillingCommitmentInput.html): a minimum throughput, at least 24 hours; the 25 MiB/s level is UNCONFIRMED (third-party calculator write-ups)",
    confirmed: false,
  },
  // DynamoDB (the KCL lease tables).
  dynamoWcuHour: { usd: 0.00065, unit: "per provisioned WCU-hour", source: "DynamoDB provisioned pricing; amount: infracost dynamodb_table_test.golden", confirmed: true },
  dynamoRcuHour: { usd: 0.00013, unit: "per provisioned RCU-hour", source: "DynamoDB provisioned pricing; amount: infracost dynamodb_table_test.golden", confirmed: true },
  dynamoWruPerMillion: { usd: 0.625, unit: "per million on-demand write request units (since the 2024-11-01 price cut; $1.25 before)", source: "DynamoDB on-demand pricing; amount UNCONFIRMED", confirmed: false },
  dynamoRruPerMillion: { usd: 0.125, unit: "per million on-demand read request units (since 2024-11-01; $0.25 before)", source: "DynamoDB on-demand pricing; amount UNCONFIRMED", confirmed: false },
  // Firehose, S3 and the Lambda that transforms.
  firehoseIngestGb: { usd: 0.029, unit: "per GB ingested, first 500 TB a month, each record rounded up to 5 KB", source: "Firehose pricing (https://aws.amazon.com/firehose/pricing/); amount UNCONFIRMED", confirmed: false },
  s3PutPerThousand: { usd: 0.005, unit: "per 1,000 S3 Standard PUT requests", source: "S3 pricing (https://aws.amazon.com/s3/pricing/); amount UNCONFIRMED", confirmed: false },
  lambdaRequestPerMillion: { usd: 0.2, unit: "per million Lambda requests (x86; free tier not counted)", source: LAMBDA, confirmed: true },
  lambdaGbSecond: { usd: 0.0000166667, unit: "per GB-second of Lambda duration (x86, first 6 billion GB-s a month; free tier not counted)", source: LAMBDA, confirmed: true },
} as const satisfies Record<string, PriceEntry>;

export type PriceItem = keyof typeof US_EAST_1_ITEMS;

/** Every item a price table has, in the table's order (the scenario's `prices.override` takes these names). */
export const PRICE_ITEMS = Object.keys(US_EAST_1_ITEMS) as PriceItem[];

/** The built-in price tables, by id. */
export const PRICE_TABLES: Readonly<Record<string, PriceTable>> = {
  "us-east-1": { id: "us-east-1", region: "us-east-1", date: "2026-12-05", items: US_EAST_1_ITEMS },
};

/** The table a scenario without `prices.table` uses. */
export const DEFAULT_PRICE_TABLE = "us-east-1";

/** An item's amount in force, and the table's where a scenario overrode it. */
export interface ResolvedPrices {
  table: string;
  date: string;
  usd: Record<PriceItem, number>;
  /** Items the scenario overrode, in the table's order: the amount used and the table's. */
  overridden: { item: PriceItem; usd: number; tableUsd: number }[];
}

/**
 * The prices of a table with a scenario's overrides. The caller (the scenario language) has checked the table id
 * and the item names; an unknown one here is a bug.
 */
export function resolvePrices(table: string = DEFAULT_PRICE_TABLE, override: Readonly<Record<string, number>> = {}): ResolvedPrices {
  const t = PRICE_TABLES[table];
  if (!t) throw new Error(`no price table "${table}" (tables: ${Object.keys(PRICE_TABLES).join(", ")})`);
  const usd = Object.fromEntries(PRICE_ITEMS.map((k) => [k, t.items[k].usd])) as Record<PriceItem, number>;
  const overridden: ResolvedPrices["overridden"] = [];
  for (const item of PRICE_ITEMS) {
    const v = override[item];
    if (v === undefined) continue;
    overridden.push({ item, usd: v, tableUsd: usd[item] });
    usd[item] = v;
  }
  for (const k of Object.keys(override)) if (!(PRICE_ITEMS as string[]).includes(k)) throw new Error(`no price item "${k}"`);
  return { table: t.id, date: t.date, usd, overridden };
}

/** The default table's amounts, by item (for callers that take no scenario's prices). */
export const PRICE: Readonly<Record<PriceItem, number>> = resolvePrices().usd;

/** Printed into every sweep (and, without overrides, every report): the table and when it was compiled. */
export const PRICES_VERSION = `price table ${DEFAULT_PRICE_TABLE} of ${PRICE_TABLES[DEFAULT_PRICE_TABLE]!.date} (sources and unconfirmed amounts in docs/limits.md)`;

export const HOURS_PER_MONTH = 730;

/** GB in the prices per GB: 10^9 B (an assumption: the pricing pages do not say whether their GB is decimal). */
export const BYTES_PER_BILLED_GB = 1_000_000_000;

/** A record is billed in 25 KB PUT payload units (5 KB → 1 unit, 45 KB → 2, 1 MB → 40). */
export const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;

/** On-demand bills data in per record rounded up to 1 KB, 1,024 B: a 4.5 KB record counts as 5 KB (pricing page). */
export const ON_DEMAND_BILLING_INCREMENT_BYTES = 1_024;

/** Firehose bills ingestion per GB, each record rounded up to a multiple of 5 KB (Firehose pricing page). */
export const FIREHOSE_BILLING_INCREMENT_BYTES = 5 * 1_024;
