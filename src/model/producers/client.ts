// How a PutRecords client batches and retries: what the SDK application (sdk.ts) and the Kinesis Agent
// (agent.ts) configure, and the put client (putClient.ts) runs.

import type { RandomStream } from "../../engine/random.js";
import type { Micros } from "../../engine/time.js";
import type { LatencySpec } from "../../spec/index.js";

export interface ClientConfig {
  api: "PutRecords" | "PutRecord";
  /** How long a request waits to fill before it is sent. */
  linger: Micros;
  maxBatchRecords: number;
  maxRequestSize: number;
  latency: LatencySpec;
  maxAttempts: number;
  /** Backoff before attempt `attempt + 1`, after `attempt` attempts failed. */
  delay: (attempt: number, rng: RandomStream) => Micros;
}
