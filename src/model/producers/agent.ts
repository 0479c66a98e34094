// The Kinesis Agent tailing log files (awslabs/amazon-kinesis-agent): a buffer is sent with PutRecords (to a stream;
// PutRecordBatch to a delivery stream, api named PutRecords here) at maxBufferSizeRecords, maxBufferSizeBytes (at most
// the target's request limit: maxRequestBytes) or maxBufferAge; a failed buffer is queued for retry without a limit,
// backing off from retryInitialBackoff doubling up to retryMaxBackoff. Its rate is in lines: linesPerRecord lines
// make a record, and sizeFactor is its data conversion's size change.

import type { AgentProducerSpec } from "../../spec/index.js";
import type { ClientConfig } from "./client.js";

export function agentClient(spec: AgentProducerSpec, maxRequestBytes: number): ClientConfig {
  const a = spec.agent;
  return {
    api: "PutRecords",
    linger: a.maxBufferAge,
    maxBatchRecords: a.maxBufferSizeRecords,
    maxRequestSize: Math.min(a.maxBufferSizeBytes, maxRequestBytes),
    latency: spec.latency,
    maxAttempts: Infinity,
    delay: (attempt) => Math.min(a.retryMaxBackoff, a.retryInitialBackoff * 2 ** (attempt - 1)),
  };
}

/** What the agent's lines make of a producer's traffic: records of linesPerRecord lines, converted by sizeFactor. */
export function agentTraffic(spec: AgentProducerSpec): { rateDivisor: number; sizeFactor: number } {
  return { rateDivisor: spec.agent.linesPerRecord, sizeFactor: spec.agent.linesPerRecord * spec.agent.sizeFactor };
}
