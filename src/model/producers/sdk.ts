// An application writing with the AWS SDK: PutRecords (or PutRecord) requests filled up to maxBatchRecords,
// maxRequestSize or `linger`; failed records resent by the SDK's standard retry mode, exponential backoff with
// full jitter (delay = U(0, min(cap, base · 2^attempt))), until maxAttempts (defaults: docs/limits.md).

import type { SdkProducerSpec } from "../../spec/index.js";
import type { ClientConfig } from "./client.js";

export function sdkClient(spec: SdkProducerSpec, maxRequestBytes: number): ClientConfig {
  const { base, cap, maxAttempts } = spec.retry;
  return {
    api: spec.api,
    linger: spec.linger,
    maxBatchRecords: spec.maxBatchRecords,
    maxRequestSize: Math.min(spec.maxRequestSize, maxRequestBytes),
    latency: spec.latency,
    maxAttempts,
    delay: (attempt, rng) => Math.floor(rng.uniform() * Math.min(cap, base * 2 ** attempt)),
  };
}
