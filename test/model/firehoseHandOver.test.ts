// A source reader's GetRecords result handed over whole (DeliveryStream.ingestRead) against the same slices
// ingested one by one: with a Lambda transformation the transformation's buffer must see every slice where it
// would (a size cut between two slices cuts the born range those slices span, not the whole read's), and the
// counts, invocations and the destination buffer must come out the same. Hand-built slices, hand-computed cuts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulator } from "../../src/engine/simulator.js";
import { RandomStream } from "../../src/engine/random.js";
import { DeliveryStream } from "../../src/model/firehose/deliveryStream.js";
import { ShardLog, type Slices } from "../../src/model/kinesis/shardLog.js";
import { FirehoseSchema } from "../../src/spec/index.js";
import { FIREHOSE_BILLING_INCREMENT_BYTES } from "../../src/aws/prices.js";

const S = 1_000_000;

/** A delivery stream with a transformation (1 MB Lambda buffer, 100 ms + 200 ms/MB, sizes × 1.2) to S3. */
function stream(transform: Record<string, unknown> = {}) {
  const sim = new Simulator();
  const spec = FirehoseSchema.parse({
    name: "fh",
    source: "direct-put",
    buffer: { size: "64MiB", interval: "300s" },
    transform: { buffer: { size: "1MB", interval: "60s" }, duration: { perInvocation: "100ms", perMB: "200ms" }, sizeFactor: 1.2, ...transform },
    destination: { kind: "s3" },
  });
  const ds = new DeliveryStream(spec, { sim, rng: RandomStream.root(1).fork("fh"), warmup: 0, duration: 600 * S, resolution: S, stream: undefined, faults: [] });
  ds.start();
  return { sim, ds };
}

/** A slice of `users` records of 1,000 B of data plus a 36 B partition key each, born over [b0, b1] s. */
const slice = (users: number, b0: number, b1: number) => ({ users, b0, b1 });

/** A GetRecords result holding these slices: each appended to a shard's log at its own instant (so none merge), then read. */
function read(...parts: ReturnType<typeof slice>[]): Slices {
  const log = new ShardLog();
  parts.forEach((p, j) => log.append(4 * S + j, p.users, p.users, p.users * 1_036, p.b0 * S, p.b1 * S, p.users * 36));
  const r = log.readSlices(0, 5 * S, 10_000, 10 * 1_048_576);
  expect(r.slices.length).toBe(parts.length);
  return r.slices;
}

/** Everything the two paths may differ in, at `end`. */
function state(ds: DeliveryStream, sim: Simulator, end: number) {
  sim.runUntil(end);
  ds.sample(end);
  const t = ds.transform!;
  return {
    // Every event run: an interval timer scheduled where the other path does not schedule one shows here.
    events: sim.eventsProcessed,
    stats: ds.stats,
    transform: { ...t.stats },
    inTransform: t.insideChunks().map((c) => ({ ...c })),
    inside: ds.inside(),
    bufferBytes: ds.bufferBytesSeries[Math.floor(end / S)],
    freshness: ds.freshnessSeries[Math.floor(end / S)],
  };
}

describe("a GetRecords result handed over whole through a transformation", () => {
  // 600 + 600 + 600 records of 1,000 B (keys left out: Firehose delivers the data blobs).
  const first = () => read(slice(600, 0, 1), slice(600, 10, 11), slice(600, 20, 21));

  it("cuts the Lambda buffer where slice-by-slice ingestion does: after the second slice, over the born range of the first two", () => {
    const { sim, ds } = stream();
    sim.scheduleAt(5 * S, (t) => ds.ingestRead(first(), t));
    const s = state(ds, sim, 5 * S);
    // 1.2 MB reaches the 1 MB buffer at the second slice: the first 1,000 records (1 MB) go to one invocation.
    // The cut falls at 1,000/1,200 of the born range [0, 11 s] the buffer held then: 9,166,667 µs (not at 1,000/1,800
    // of [0, 21 s], which merging the whole read first would give). The third slice joins the 200 left over.
    expect(s.transform.invocations).toBe(1);
    expect(s.inTransform).toHaveLength(2);
    expect(s.inTransform[0]).toMatchObject({ records: 800, bytes: 800_000, firstBorn: 9_166_667, lastBorn: 21 * S, entered: 5 * S });
    expect(s.inTransform[1]).toMatchObject({ records: 1_000, bytes: 1_000_000, firstBorn: 0, lastBorn: 9_166_667, entered: 5 * S });
    expect(s.stats.in).toBe(1_800);
    expect(s.stats.inBytesAfterWarmup).toBe(1_800_000);
    // Each 1,000 B record is billed as one 5 KB increment.
    expect(s.stats.billedBytesAfterWarmup).toBe(1_800 * FIREHOSE_BILLING_INCREMENT_BYTES);
    // The invocation takes 100 ms + 200 ms × 1 MB = 300 ms; its 1,000 Ok records reach the destination buffer at 1.2 MB.
    const { sim: sim2, ds: ds2 } = stream();
    sim2.scheduleAt(5 * S, (t) => ds2.ingestRead(first(), t));
    const after = state(ds2, sim2, 5.3 * S);
    expect(after.transform.ok).toBe(1_000);
    expect(after.inside).toEqual({ transform: 800, buffer: 1_000, destination: 0 });
    expect(after.bufferBytes).toBe(1_200_000 + 800_000);
  });

  it("gives the same counts, invocations, buffers and DataFreshness as the slices one by one", () => {
    // Three reads a second apart, into a 0.2 MB Lambda buffer (several cuts a read), with Dropped and ProcessingFailed shares.
    const reads = [first(), read(slice(333, 30, 30.5), slice(1, 31, 31), slice(777, 32, 40)), read(slice(450, 41, 42), slice(450, 42, 43))];
    const run = (whole: boolean, end: number) => {
      const { sim, ds } = stream({ buffer: { size: "0.2MB", interval: "3s" }, results: { dropped: 0.1, processingFailed: 0.05 } });
      reads.forEach((r, i) =>
        sim.scheduleAt((5 + i) * S, (t) => {
          if (whole) ds.ingestRead(r, t);
          else for (let j = 0; j < r.length; j++) ds.ingest({ records: r.users(j), bytes: r.bytes(j) - r.keyBytes(j), firstBorn: r.firstBorn(j), lastBorn: r.lastBorn(j), entered: t }, t, t);
        }),
      );
      return state(ds, sim, end);
    };
    for (const end of [5 * S, 6.5 * S, 20 * S]) expect(run(true, end)).toEqual(run(false, end));
    const s = run(true, 20 * S);
    // 3,811 records of 1,000 B in 0.2 MB invocations: 19 of 200 records, and the last 11 cut by the 3 s interval.
    expect(s.transform.invocations).toBe(20);
    expect(s.transform.ok + s.transform.dropped + s.transform.processingFailed).toBe(3_811);
    expect(s.inside.transform).toBe(0);
  });
});

describe("reads that cannot fill the transformation's buffer, handed over whole", () => {
  // A 1 MB Lambda buffer, 60 s interval. Reads of 350 and 350 records (1,000 B each) at 5 s and 5.5 s do not fill it: each
  // goes in as its first slice and one part, and both merge into the buffer's chunk of second 5. The read at 6 s (500 records) takes it past
  // 1 MB: slice by slice, cut after 1,000 records. The one at 8 s (100 records) starts a chunk of its own.
  const reads = () => [
    read(slice(200, 0, 1), slice(150, 1, 2)),
    read(slice(100, 2, 3), slice(250, 3, 4)),
    read(slice(300, 4, 5), slice(200, 5, 6)),
    read(slice(60, 6, 7), slice(40, 7, 7.5)),
  ];
  const at = [5, 5.5, 6, 8];
  const run = (whole: boolean, end: number) => {
    const { sim, ds } = stream();
    reads().forEach((r, i) =>
      sim.scheduleAt(at[i]! * S, (t) => {
        if (whole) ds.ingestRead(r, t);
        else for (let j = 0; j < r.length; j++) ds.ingest({ records: r.users(j), bytes: r.bytes(j) - r.keyBytes(j), firstBorn: r.firstBorn(j), lastBorn: r.lastBorn(j), entered: t }, t, t);
      }),
    );
    return state(ds, sim, end);
  };

  it("give the same buffer, invocations, counts and DataFreshness as the slices one by one", () => {
    for (const end of [5.5 * S, 6 * S, 6.2 * S, 8 * S, 70 * S]) expect(run(true, end)).toEqual(run(false, end));
  });

  it("merge into the buffer's chunk of their second, its born range the reads' (hand-computed)", () => {
    const s = run(true, 5.5 * S);
    expect(s.transform.invocations).toBe(0);
    expect(s.inTransform).toEqual([{ records: 700, bytes: 700_000, firstBorn: 0, lastBorn: 4 * S, entered: 5 * S }]);
    // At 6 s the third read goes slice by slice: its first slice (300 records) fills the buffer to exactly 1 MB, cut into
    // one invocation; its second slice's 200 records, born over [5 s, 6 s], stay.
    const t = run(true, 6 * S);
    expect(t.transform.invocations).toBe(1);
    expect(t.inTransform[0]).toMatchObject({ records: 200, bytes: 200_000, firstBorn: 5 * S, lastBorn: 6 * S });
  });
});

describe("a read whose first slice fills the buffer exactly (helper-36's case)", () => {
  it("schedules the interval timer where the slices one by one do: the next slice sets it, before any later cut", () => {
    // A 1 MB Lambda buffer, 1 s interval. The read at 5 s holds 1,000 + 100 + 900 records of 1,000 B: the first fills the
    // buffer exactly and the cut leaves it empty, so no timer is pending; the second starts the buffer and sets one.
    // Reads at 5.5 s, and at 6.5 s scheduled by an event at 5.8 s (as a poll schedules the next).
    const run = (whole: boolean, end: number) => {
      const { sim, ds } = stream({ buffer: { size: "1MB", interval: "1s" } });
      const give = (r: Slices, t: number) => {
        if (whole) ds.ingestRead(r, t);
        else for (let j = 0; j < r.length; j++) ds.ingest({ records: r.users(j), bytes: r.bytes(j) - r.keyBytes(j), firstBorn: r.firstBorn(j), lastBorn: r.lastBorn(j), entered: t }, t, t);
      };
      sim.scheduleAt(5 * S, (t) => give(read(slice(1_000, 0, 1), slice(100, 1, 2), slice(900, 2, 3)), t));
      sim.scheduleAt(5.5 * S, (t) => give(read(slice(100, 3, 4)), t));
      sim.scheduleAt(5.8 * S, () => sim.scheduleAt(6.5 * S, (t) => give(read(slice(100, 4, 5)), t)));
      return state(ds, sim, end);
    };
    for (const end of [5.2 * S, 6 * S, 6.5 * S, 7.5 * S, 20 * S]) expect(run(true, end)).toEqual(run(false, end));
    // One by one: a cut at 1,000 records (empty); the 100 set the timer for 6 s; the 900 fill 1 MB with them: a cut.
    // The 100 at 5.5 s restart the buffer; the timer at 6 s finds them 0.5 s old and waits until 6.5 s; the read at
    // 6.5 s (scheduled earlier) comes first, and the timer cuts both into the third invocation.
    const s = run(true, 6.5 * S);
    expect(s.transform.invocations).toBe(3);
    expect(s.inTransform).toMatchObject([
      { records: 100, entered: 5.5 * S },
      { records: 100, entered: 6.5 * S },
    ]);
  });
});

describe("any reads, handed over whole or slice by slice", () => {
  it("give the same state: random reads, Lambda buffer sizes and intervals (none included)", () => {
    // Round counts too, so that a read's slices often fill a buffer exactly and a cut leaves it empty.
    const users = fc.oneof(fc.integer({ min: 0, max: 900 }), fc.constantFrom(100, 200, 300, 500, 800, 1_000));
    const sliceArb = fc.record({ users, b0: fc.integer({ min: 0, max: 30 }), span: fc.integer({ min: 0, max: 3 }) });
    // A chained read is scheduled by an event 0.3 s before it (as a poll schedules the next): it runs after events due then.
    const readArb = fc.record({ at: fc.integer({ min: 0, max: 2_000 }), chained: fc.boolean(), slices: fc.array(sliceArb, { minLength: 1, maxLength: 12 }) });
    const caseArb = fc.record({
      size: fc.constantFrom("0.2MB", "0.5MB", "1MB", "2.5MB"),
      interval: fc.constantFrom("0s", "1s", "60s"),
      reads: fc.array(readArb, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(caseArb, ({ size, interval, reads }) => {
        // Reads at 5 s plus `at` ms, in order (several within a second, so they share its chunk).
        const times = reads.map((r) => r.at).sort((a, b) => a - b);
        const run = (whole: boolean, end: number) => {
          const { sim, ds } = stream({ buffer: { size, interval } });
          reads.forEach((r, i) => {
            const parts = r.slices.filter((x) => x.users > 0);
            if (parts.length === 0) return;
            const slices = read(...parts.map((x) => slice(x.users, x.b0, x.b0 + x.span)));
            const at = 5 * S + times[i]! * 1_000;
            const give = (t: number) => {
              if (whole) ds.ingestRead(slices, t);
              else for (let j = 0; j < slices.length; j++) ds.ingest({ records: slices.users(j), bytes: slices.bytes(j) - slices.keyBytes(j), firstBorn: slices.firstBorn(j), lastBorn: slices.lastBorn(j), entered: t }, t, t);
            };
            if (r.chained) sim.scheduleAt(at - 300_000, () => sim.scheduleAt(at, give));
            else sim.scheduleAt(at, give);
          });
          return state(ds, sim, end);
        };
        for (const end of [7 * S + 1, 70 * S]) expect(run(true, end)).toEqual(run(false, end));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("a transformation's invocations, reused once done", () => {
  it("each holds exactly its own cut's chunks, whether the one before held more or fewer", () => {
    // 1 MB Lambda buffer, 100 ms + 200 ms/MB an invocation; records of 1,000 B entering at whole seconds.
    const { sim, ds } = stream();
    const put = (at: number, records: number, b0: number, b1: number) =>
      sim.scheduleAt(at * S, (t) => ds.ingest({ records, bytes: records * 1_000, firstBorn: b0 * S, lastBorn: b1 * S, entered: t }, t, t));
    // What the transformation holds at `at` (its buffer, then its invocations): the buffer is empty whenever a cut took it all.
    const running = (at: number) => {
      sim.runUntil(at * S);
      return ds.transform!.insideChunks().map(({ records, bytes, firstBorn, lastBorn, entered }) => ({ records, bytes, firstBorn, lastBorn, entered }));
    };
    // 600 + 400 records fill the buffer at 6 s: one invocation of two chunks (entered 5 s and 6 s), done at 6.3 s.
    put(5, 600, 4, 5);
    put(6, 400, 5, 6);
    expect(running(6.1)).toEqual([
      { records: 600, bytes: 600_000, firstBorn: 4 * S, lastBorn: 5 * S, entered: 5 * S },
      { records: 400, bytes: 400_000, firstBorn: 5 * S, lastBorn: 6 * S, entered: 6 * S },
    ]);
    // 1,000 records at 7 s: one chunk, in the first invocation's object (released at 6.3 s).
    put(7, 1_000, 6, 7);
    expect(running(7.1)).toEqual([{ records: 1_000, bytes: 1_000_000, firstBorn: 6 * S, lastBorn: 7 * S, entered: 7 * S }]);
    // 500 + 500 at 8 s and 9 s: two chunks again, one more than the reused object held.
    put(8, 500, 7.5, 8);
    put(9, 500, 8.5, 9);
    expect(running(8.5)).toEqual([{ records: 500, bytes: 500_000, firstBorn: 7.5 * S, lastBorn: 8 * S, entered: 8 * S }]); // in the buffer
    expect(running(9.1)).toEqual([
      { records: 500, bytes: 500_000, firstBorn: 7.5 * S, lastBorn: 8 * S, entered: 8 * S },
      { records: 500, bytes: 500_000, firstBorn: 8.5 * S, lastBorn: 9 * S, entered: 9 * S },
    ]);
    // Every Ok record reaches the destination buffer at 1.2 × its size: 3,000 records, 3.6 MB.
    sim.runUntil(10 * S);
    expect(ds.transform!.stats).toMatchObject({ invocations: 3, ok: 3_000 });
    expect(ds.inside()).toEqual({ transform: 0, buffer: 3_000, destination: 0 });
  });
});
