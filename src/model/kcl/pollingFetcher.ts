// The polling record fetcher (amazon-kinesis-client PrefetchRecordsPublisher with a SynchronousGetRecords
// retrieval): per held shard, GetRecords up to maxRecords, one call per idleTimeBetweenReads after the last
// successful call, into a prefetch cache bounded in batches, bytes and records (KclState.readyToRead). Calls
// share the shard's 5 calls/s and 2 MiB/s with every polling consumer. A throttled call is retried by the AWS SDK for Java with equal-jitter
// backoff; when its attempts run out the KCL waits the whole idle time before its next call: since KCL 2.4.7
// (amazon-kinesis-client PR #1062, "avoid immediate-retry storms") PrefetchRecordsPublisher.sleepBeforeNextCall
// forgets the last successful call before each call, so after a failed one KinesisSleepTimeController sleeps
// the full idleMillisBetweenCalls. A Lambda event source mapping's poller (src/model/lambda/) reads with it too,
// with its own settings: once a second, at once again while it is behind (PollSettings.whileBehind).

import type { Micros } from "../../engine/time.js";
import { GET_RECORDS_MAX_BYTES } from "../../aws/limits.js";
import type { LatencySpec } from "../../spec/index.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import type { Delivery, Reader } from "./reader.js";
import { ACTIVITY, fetchedFrom, type ShardReaders, type Session } from "./state.js";

/** How a polling reader calls GetRecords. */
export interface PollSettings {
  /** Time from a successful call's response to the next call. */
  interval: Micros;
  /** GetRecords Limit. */
  maxRecords: number;
  latency: LatencySpec;
  /** A throttled call: attempts before the interval, and the equal-jitter backoff between them. */
  retry: { maxAttempts: number; base: Micros; cap: Micros };
  /** Call again at once (not after the interval) when a call returned records and did not reach the tip. */
  whileBehind?: boolean;
}

export class PollingFetcher implements Reader {
  private readonly latency: LatencySampler;
  private readonly poll: PollSettings;

  constructor(
    private readonly s: ShardReaders,
    private readonly delivery: Delivery,
    poll: PollSettings | null,
  ) {
    if (!poll) throw new Error("PollingFetcher: not a polling consumer");
    this.poll = poll;
    this.latency = latencySampler(poll.latency);
  }

  begin(session: Session, t: Micros): void {
    this.resume(session, t);
  }

  resume(session: Session, t: Micros): void {
    session.busyFetching = true;
    this.s.ctx.sim.scheduleAt(t, (now) => this.fetch(session, now));
  }

  /** One GetRecords call. */
  private fetch(session: Session, t: Micros): void {
    const s = this.s;
    if (!s.readyToRead(session)) return;
    const { stream, sim } = s.ctx;
    const shard = session.shard;
    const latency = this.latency(s.rngLatency);
    session.busyFetching = true;
    s.counts.getRecordsCalls.add(t);
    if (stream.getRecordsCall(shard, t) !== "ok") {
      s.counts.readThrottles.add(t);
      s.activity.add(ACTIVITY.readThrottles, t, 1);
      sim.scheduleAt(t + latency + this.throttleBackoff(session), (now) => this.fetch(session, now));
      return;
    }
    session.throttleStreak = 0;
    s.skipExpired(session, t);
    const poll = this.poll;
    const from = session.position;
    const log = stream.logs![shard]!;
    const r = log.read(from, t, poll.maxRecords, GET_RECORDS_MAX_BYTES);
    stream.chargeRead(shard, t, r.bytes);
    session.position = r.next;
    // GetRecords.IteratorAgeMilliseconds: the age of the last record the call returned (0 when none).
    s.observeIteratorAge(shard, t, r.slices.length > 0 ? t - r.slices[r.slices.length - 1]!.arrival : 0);
    s.counts.recordsRead.add(t, r.users);
    s.counts.bytesRead.add(t, r.bytes);
    const interval = poll.whileBehind && r.users > 0 && r.next < log.visibleEnd(t) ? 0 : poll.interval;
    // A closed shard read to its end: GetRecords returns no NextShardIterator (SHARD_END).
    const closedAt = stream.lives[shard]?.closedAt ?? null;
    const ended = closedAt !== null && closedAt <= t && r.next >= log.endSeq;
    sim.scheduleAt(t + latency, (now) => {
      if (!session.alive) return;
      if (r.users > 0) this.delivery.deliver(session, fetchedFrom(from, r), now);
      if (ended) s.onShardEnd?.(session, now);
      else sim.scheduleAt(now + interval, (next) => this.fetch(session, next));
    });
  }

  /**
   * After a throttled call: the SDK retries with equal jitter, delay in [c/2, c], c = min(cap, base·2^retry);
   * when its attempts run out the ProvisionedThroughputExceededException reaches the KCL's fetcher, which sleeps
   * the whole idle time between reads before its next call (a new round of SDK attempts).
   */
  private throttleBackoff(session: Session): Micros {
    const { maxAttempts, base, cap } = this.poll.retry;
    const retry = session.throttleStreak % maxAttempts;
    session.throttleStreak++;
    if (retry === maxAttempts - 1) return this.poll.interval;
    const c = Math.min(cap, base * 2 ** retry);
    return Math.round(c / 2 + this.s.rngLatency.uniform() * (c / 2));
  }
}
