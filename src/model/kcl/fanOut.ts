// Enhanced fan-out (SubscribeToShard, amazon-kinesis-client FanOutRecordsPublisher): records are pushed about
// 70 ms after they arrive, within 2 MiB/s per shard for this application alone, into the prefetch cache; a
// subscription lasts 5 minutes and the KCL subscribes again. A Lambda event source mapping with a stream consumer
// (src/model/lambda/) and a stream processor reading with fan-out (src/model/processors/) are pushed to the same way.

import { TokenBucket } from "../../engine/tokenBucket.js";
import type { Micros } from "../../engine/time.js";
import { EFO_BYTES_PER_SECOND, EFO_SUBSCRIPTION_SECONDS, GET_RECORDS_MAX_BYTES, GET_RECORDS_MAX_RECORDS } from "../../aws/limits.js";
import type { LatencySpec } from "../../spec/index.js";
import { latencySampler, type LatencySampler } from "../latencySampler.js";
import type { Delivery, Reader } from "./reader.js";
import { fetchedFrom, type ShardReaders, type Session } from "./state.js";

export class FanOutSubscriptions implements Reader {
  private readonly propagation: LatencySampler;

  constructor(
    private readonly s: ShardReaders,
    private readonly delivery: Delivery,
    /** Put-to-push delay. */
    propagation: LatencySpec,
  ) {
    this.propagation = latencySampler(propagation);
  }

  /** Wakes the subscriptions of a shard when records arrive in it. */
  start(): void {
    const stream = this.s.ctx.stream;
    stream.logs!.forEach((log, shard) => log.onAppend((now) => this.onAppend(shard, now)));
    // A reshard closed some shards: their subscriptions push what is left, then the event that ends the shard
    // (SubscribeToShardEvent with ChildShards): wake them.
    stream.onReshard((now) => {
      stream.lives.forEach((l, shard) => {
        if (l.closedAt === now) for (const session of this.s.live[shard]!) if (this.pushable(session)) this.schedulePump(session, now);
      });
    });
  }

  begin(session: Session, t: Micros): void {
    session.efo = new TokenBucket(EFO_BYTES_PER_SECOND, EFO_BYTES_PER_SECOND, { at: t });
    this.subscribe(session, t);
    this.schedulePump(session, t);
  }

  resume(session: Session, t: Micros): void {
    this.schedulePump(session, t);
  }

  /** A new record arrived in a shard; wake its subscriptions. */
  private onAppend(shard: number, now: Micros): void {
    for (const session of this.s.live[shard]!) if (this.pushable(session)) this.schedulePump(session, now);
  }

  /**
   * Whether a session takes a push now: subscribed (a child shard's record processor waits for its parents before it
   * subscribes: its session is live but has no subscription yet), and neither being pushed to nor waiting for room.
   */
  private pushable(session: Session): boolean {
    return session.efo !== null && !session.busyFetching && !session.waitingForRoom;
  }

  private schedulePump(session: Session, at: Micros): void {
    session.busyFetching = true;
    this.s.ctx.sim.scheduleAt(at, (now) => this.pump(session, now));
  }

  private subscribe(session: Session, t: Micros): void {
    const gen = session.worker.generation;
    this.s.counts.subscribeCalls.add(t);
    // A subscription lasts 5 minutes; the KCL subscribes again.
    this.s.ctx.sim.scheduleAt(t + EFO_SUBSCRIPTION_SECONDS * 1_000_000, (now) => {
      if (session.alive && session.worker.generation === gen) this.subscribe(session, now);
    });
  }

  /** Pushes what has arrived, within this consumer's 2 MiB/s for the shard. */
  private pump(session: Session, t: Micros): void {
    const s = this.s;
    if (!s.readyToRead(session, t)) return;
    s.skipExpired(session, t);
    const log = s.ctx.stream.logs![session.shard]!;
    const efo = session.efo!;
    const budget = efo.available(t);
    if (log.visibleEnd(t) <= session.position) {
      // A closed shard pushed to its end: the last event carries the child shards, and the subscription ends.
      const closedAt = s.ctx.stream.lives[session.shard]?.closedAt ?? null;
      if (closedAt !== null && closedAt <= t && session.position >= log.endSeq) s.onShardEnd?.(session, t);
      return; // wait for the next append
    }
    if (budget <= 0) {
      this.schedulePump(session, refillAt(efo, t));
      return;
    }
    const from = session.position;
    const taken = s.batches.take();
    const r = log.readSlices(from, t, GET_RECORDS_MAX_RECORDS, Math.min(budget, GET_RECORDS_MAX_BYTES), false, taken.slices);
    if (r.users === 0) {
      s.batches.give(taken);
      this.schedulePump(session, refillAt(efo, t));
      return;
    }
    efo.take(t, r.bytes);
    session.position = r.next;
    // The event's MillisBehindLatest: 0 when it reaches the tip of the shard, else the age of its last record.
    s.observeIteratorAge(session.shard, t, r.next >= log.visibleEnd(t) ? 0 : t - r.slices.arrival(r.slices.length - 1));
    s.counts.recordsRead.add(t, r.users);
    s.counts.bytesRead.add(t, r.bytes);
    // Pushes keep their order.
    const at = Math.max(t + this.propagation(s.rngLatency), session.lastDelivery);
    session.lastDelivery = at;
    const batch = fetchedFrom(from, r, taken);
    s.ctx.sim.scheduleAt(at, (now) => {
      if (session.alive) this.delivery.deliver(session, batch, now);
    });
    if (log.visibleEnd(t) > session.position) this.schedulePump(session, refillAt(efo, t));
  }
}

/** When a subscription's push may go on: once its bucket holds a tenth of a second's bytes (at least 1 ms on). */
function refillAt(efo: TokenBucket, t: Micros): Micros {
  return t + Math.max(1_000, efo.waitFor(t, Math.min(EFO_BYTES_PER_SECOND / 10, efo.capacity)));
}
