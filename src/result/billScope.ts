// What a run's bill (monthlyCost, src/result/cost.ts) holds beyond its Kinesis Data Streams part, by the scenario's
// parts: what `shardcast estimate`, which prices the streams alone at the workload's mean, leaves out.

import type { Scenario } from "../spec/index.js";

export interface BilledBeyondStreams {
  /** KCL applications (kind kcl or fanout): their lease tables in DynamoDB (with KCL 3.x's lease-owner index and metadata tables). */
  leaseTables: string[];
  /** Lambda consumers: their requests and duration (GB-seconds). */
  lambdas: string[];
  /** Consumer sinks the bill counts: a DynamoDB sink's table, an S3 or Redshift sink's S3 PUTs (an OpenSearch domain's bill is not modelled). */
  sinks: { consumer: string; kind: "dynamodb" | "s3" | "redshift" }[];
  /** Firehose delivery streams: ingestion, S3 PUTs, and with a transformation its Lambda's requests and duration. */
  firehose: { name: string; transform: boolean }[];
}

/** The parts of a scenario whose run bills more than its streams (each list empty when it has none). */
export function billedBeyondStreams(s: Scenario): BilledBeyondStreams {
  return {
    leaseTables: s.consumers.filter((c) => c.kind === "kcl" || c.kind === "fanout").map((c) => c.name),
    lambdas: s.consumers.filter((c) => c.kind === "lambda").map((c) => c.name),
    sinks: s.consumers.flatMap((c) => {
      const sink = c.kind === "flink" || c.kind === "spark" ? undefined : c.sink;
      return sink && sink.kind !== "opensearch" ? [{ consumer: c.name, kind: sink.kind }] : [];
    }),
    firehose: s.firehose.map((f) => ({ name: f.name, transform: f.transform !== undefined })),
  };
}
