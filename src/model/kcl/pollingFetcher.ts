// The polling record fetcher (amazon-kinesis-client PrefetchRecordsPublisher with a SynchronousGetRecords
// retrieval): per held shard, GetRecords up to maxRecords, one call per idleTimeBetweenReads after the last
// successful call, into a prefetch cache bounded in batches, bytes and records (KclState.readyToRead). Calls
// share the shard's 5 calls/s and 2 MiB/s with every polling consumer. A throttled call is retried by the AWS SDK for Java with equal-jitter
// backoff; when its attempts run out the KCL waits the whole idle time before its next call: since KCL 2.4.7
// (amazon-kinesis-client PR #1062, "avoid immediate-retry storms") PrefetchRecordsPublisher.sleepBeforeNextCall
// forgets the last successful call before each call, so after a failed one KinesisSleepTimeController sleeps
// the full idleMillisBetweenCalls. Other polling readers are the same code with their own PollPlan: a stream
// processor's connector (src/model/processors/: paced from the start of its calls, its own backoff, fetching again
// only once its batch is processed), and a Lambda event source mapping's poller (src/model/lambda/: once a second,
// at once again while it is behind, PollPlan.whileBehind).

import type { Micros } from "../../engine/time.js";
import { GET_RECORDS_MAX_BYTES } from "../../aws/limits.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import type { Delivery, Reader } from "./reader.js";
import { ACTIVITY, fetchedFrom, type PollPlan, type Session, type ShardReaders } from "./state.js";

export class PollingFetcher implements Reader {
  private readonly latency: LatencySampler;
  private readonly poll: PollPlan;

  constructor(
    private readonly s: ShardReaders,
    private readonly delivery: Delivery,
    poll: PollPlan,
  ) {
    this.poll = poll;
    this.latency = latencySampler(poll.latency);
  }

  begin(session: Session, t: Micros): void {
    this.resume(session, t);
  }

  resume(session: Session, t: Micros): void {
    session.busyFetching = true;
    this.s.ctx.sim.scheduleAt(t, this.callOf(session));
  }

  /** The session's GetRecords call as an action, made once. */
  private callOf(session: Session): (now: Micros) => void {
    return (session.readerCall ??= (now) => this.fetch(session, now));
  }

  /** One GetRecords call. */
  private fetch(session: Session, t: Micros): void {
    const s = this.s;
    if (!s.readyToRead(session, t)) return;
    const { stream, sim } = s.ctx;
    const shard = session.shard;
    const latency = this.latency(s.rngLatency);
    session.busyFetching = true;
    if (session.loopStart === null) session.loopStart = t;
    s.counts.getRecordsCalls.add(t);
    s.activity.add(ACTIVITY.getRecordsCalls, t, 1);
    if (stream.getRecordsCall(shard, t) !== "ok") {
      s.counts.readThrottles.add(t);
      s.activity.add(ACTIVITY.readThrottles, t, 1);
      sim.scheduleAt(t + latency + this.throttleBackoff(session, t), this.callOf(session));
      return;
    }
    session.throttleStreak = 0;
    const poll = this.poll;
    const loopStart = session.loopStart;
    session.loopStart = null;
    s.skipExpired(session, t);
    const from = session.position;
    const log = stream.logs![shard]!;
    const batch = s.batches.take();
    const r = log.readSlices(from, t, poll.maxRecords, GET_RECORDS_MAX_BYTES, false, batch.slices);
    if (r.users === 0) s.batches.give(batch); // nothing is delivered
    stream.chargeRead(shard, t, r.bytes);
    session.position = r.next;
    // GetRecords.IteratorAgeMilliseconds: the age of the last record the call returned (0 when none).
    s.observeIteratorAge(shard, t, r.slices.length > 0 ? t - r.slices.arrival(r.slices.length - 1) : 0);
    s.counts.recordsRead.add(t, r.users);
    s.counts.bytesRead.add(t, r.bytes);
    const interval = r.users === 0 ? poll.emptyInterval : poll.whileBehind && r.next < log.visibleEnd(t) ? 0 : poll.interval;
    // A closed shard read to its end: GetRecords returns no NextShardIterator (SHARD_END).
    const ended = stream.closedAtOf[shard]! <= t && r.next >= log.endSeq;
    sim.scheduleAt(t + latency, (now) => {
      if (!session.alive) return;
      if (r.users > 0) this.delivery.deliver(session, fetchedFrom(from, r, batch), now);
      if (ended) s.onShardEnd?.(session, now);
      else if (s.keepReading && !s.keepReading(session, { records: r.users, caughtUp: r.next >= log.visibleEnd(t) }, now)) session.busyFetching = false;
      else sim.scheduleAt(poll.from === "start" ? this.loopEnd(loopStart!, now, interval) : now + interval, this.callOf(session));
    });
  }

  /**
   * A loop paced from its start, answered at `now`: when it calls again, once what is left of its period is slept. With
   * a sleep grain the time it has run counts in whole grains, rounded down (PollPlan.sleepGrain).
   */
  private loopEnd(loopStart: Micros, now: Micros, interval: Micros): Micros {
    const grain = this.poll.sleepGrain;
    if (!grain) return Math.max(now, loopStart + interval);
    const ran = now - loopStart;
    const sleep = interval - (ran - (ran % grain));
    return sleep > 0 ? now + sleep : now;
  }

  /**
   * After a throttled call (KCL): the SDK retries with equal jitter, delay in [c/2, c], c = min(cap, base·2^retry);
   * when its attempts run out the ProvisionedThroughputExceededException reaches the KCL's fetcher, which sleeps
   * the whole idle time between reads before its next call (a new round of SDK attempts). A stream processor's
   * plan sets its own factor, jitter and wait after the last attempt.
   */
  private throttleBackoff(session: Session, t: Micros): Micros {
    const { maxAttempts, base, cap, factor, jitter, exhaustedWait, sdk } = this.poll.retry;
    const calls = sdk?.maxAttempts ?? 1;
    const streak = session.throttleStreak;
    session.throttleStreak++;
    if (sdk && streak % calls < calls - 1) {
      // The SDK client below retries first, with equal jitter.
      const c = Math.min(sdk.cap, sdk.base * 2 ** (streak % calls));
      return Math.round(c / 2 + this.s.rngLatency.uniform() * (c / 2));
    }
    const retry = Math.floor(streak / calls) % maxAttempts;
    if (retry === maxAttempts - 1) {
      this.s.counts.retriesExhausted.add(t);
      return exhaustedWait;
    }
    const c = Math.min(cap, base * factor ** retry);
    if (jitter === "none") return Math.round(c);
    if (jitter === "full") return Math.floor(this.s.rngLatency.uniform() * c);
    return Math.round(c / 2 + this.s.rngLatency.uniform() * (c / 2));
  }
}
