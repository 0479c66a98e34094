// Faults: things that go wrong at given times.

import { z } from "zod";
import * as L from "../aws/limits.js";
import { H, S } from "./common.js";
import { consumerName } from "./consumers.js";
import { firehoseName } from "./firehose.js";
import { duration } from "./fields.js";


export const FaultSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("worker-crash"),
      consumer: consumerName.describe("The consumer application."),
      workers: z.int().min(1).max(10_000).default(1).describe("How many of its running workers stop (the highest-numbered first)."),
    })
    .describe("Workers stop: no renewals, no processing. Their leases expire after the failover time and are taken by the others."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("worker-restart"),
      consumer: consumerName.describe("The consumer application."),
      workers: z.int().min(1).max(10_000).default(1).describe("How many stopped workers start again (with no leases; they take or steal)."),
    })
    .describe("Stopped workers start again."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("worker-add"),
      consumer: consumerName.describe("The consumer application."),
      workers: z.int().min(1).max(10_000).default(1).describe("How many workers join (a scale-out)."),
    })
    .describe("New workers join the application with no leases: under KCL 2.x they take expired leases or steal one per taker run; under 3.x the leader assigns them leases by utilisation."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("kcl-migration"),
      consumer: consumerName.describe("The consumer application (kcl.version: 2)."),
      indexActiveAfter: duration(0, 24 * H)
        .prefault(`${L.KCL3_INDEX_BUILD_MS / 1_000}s`)
        .describe("How long DynamoDB takes to build the lease-owner index on the existing lease table (not documented; default 5 min, an assumption)."),
    })
    .describe(
      "The 2.x application is redeployed as KCL 3.x in compatible mode (clientVersionConfig CLIENT_VERSION_CONFIG_COMPATIBLE_WITH_2X): workers keep the 2.x lease taker while they report worker metrics and the lease-owner index is built; the leader flips the fleet to 3.x once every lease owner has reported for 10 minutes, and each worker switches within a minute or so.",
    ),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("destination-outage"),
      firehose: firehoseName.describe("The delivery stream."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the destination is down."),
    })
    .describe("The destination refuses every delivery for a while; Firehose retries by its rules."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("destination-slowdown"),
      firehose: firehoseName.describe("The delivery stream."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the slowdown lasts."),
      factor: z.number().min(1).max(1_000).describe("Deliveries started in the window take this many times as long."),
    })
    .describe("The destination answers slowly for a while (S3 puts, COPYs, bulk requests take `factor` times as long)."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("lambda-errors"),
      firehose: firehoseName.describe("The delivery stream (it must have a transform)."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the errors last."),
      share: z.number().min(0).max(1).describe("Share of invocations that fail in the window."),
    })
    .describe("A share of the transformation's invocations fail for a while; Firehose retries them NumberOfRetries times."),
  z
    .strictObject({
      at: duration(0, 366 * 24 * H),
      kind: z.literal("function-errors"),
      consumer: consumerName.describe("The Lambda consumer (kind: lambda) whose function fails."),
      for: duration(1 * S, 366 * 24 * H).describe("How long the errors last."),
      share: z.number().min(0).max(1).describe("Share of the function's invocations that fail in the window (on top of its own error share)."),
    })
    .describe("An error burst: a share of a Lambda consumer's invocations fail for a while; the event source mapping retries, bisects or discards the batches by its rules."),
]);

export type FaultSpec = z.output<typeof FaultSchema>;
