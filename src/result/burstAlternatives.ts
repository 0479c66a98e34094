// What besides a split would take a burst-throttled cold shard's bursts (SplitProposal.bursts), as its run shows:
// - retries: an SDK producer on the shard that gave records up after warmup, throttled past its retry.maxAttempts. The
//   shard's mean load fits its limits, so its buckets refill after a burst: a retry that waits longer (more attempts, a
//   longer backoff) gets the burst's records through in the seconds after it;
// - requests: an SDK producer whose PutRecords requests put more on the shard at once than its write buckets hold
//   (stream.writeBurst at 1,000 records/s and 1 MiB/s). Each instance sends a request when it holds maxBatchRecords
//   records, when the next would take it past maxRequestSize, or `linger` after its first record
//   (src/model/producers/putClient.ts), so at its mean rate a request carries min(maxBatchRecords, maxRequestSize ÷ its
//   mean record, its rate per instance × linger) records, of which the shard gets its share of the producer's records.
//   A shorter linger sends the same records in smaller bursts.

import type { RunResult, StreamRun } from "./runResult.js";
import type { BurstAlternatives, SplitProposal } from "./splitProposal.js";

export function burstAlternatives(r: RunResult, run: Pick<StreamRun, "stream">, p: Pick<SplitProposal, "writers">): BurstAlternatives {
  const statSeconds = (r.durationUs - r.warmupUs) / 1e6;
  const { limits, writeBurstSeconds } = run.stream;
  const out: BurstAlternatives = { retries: [], requests: [] };
  for (const w of p.writers) {
    const producer = r.producers.find((x) => x.name === w.name && x.stream === run.stream.name);
    const spec = producer && r.scenario.producers.find((x) => x.name === producer.group);
    if (!producer || spec?.client !== "sdk") continue;
    const lost = producer.lostAfterWarmupByReason.throttledPastRetries;
    if (lost > 0) out.retries.push({ writer: w.name, lost, maxAttempts: spec.retry.maxAttempts });
    const perSecond = producer.offeredKinesisAfterWarmup / statSeconds;
    if (spec.api !== "PutRecords" || perSecond <= 0 || w.recordsPerSecond <= 0) continue;
    const meanWrite = producer.offeredWriteBytesAfterWarmup / producer.offeredKinesisAfterWarmup;
    const bounds = { linger: (perSecond / spec.instances) * (spec.linger / 1e6), size: Math.floor(spec.maxRequestSize / meanWrite), records: spec.maxBatchRecords };
    const by = bounds.linger <= Math.min(bounds.size, bounds.records) ? "linger" : bounds.size <= bounds.records ? "maxRequestSize" : "maxBatchRecords";
    const records = Math.max(1, Math.min(bounds.linger, bounds.size, bounds.records));
    const onShardRecords = records * Math.min(1, w.recordsPerSecond / perSecond);
    const onShardBytes = onShardRecords * (w.bytesPerSecond / w.recordsPerSecond);
    if (onShardRecords > writeBurstSeconds * limits.recordsPerSecond || onShardBytes > writeBurstSeconds * limits.bytesPerSecond) {
      out.requests.push({ writer: w.name, lingerUs: spec.linger, by, records, bytes: records * meanWrite, onShardRecords, onShardBytes });
    }
  }
  return out;
}
