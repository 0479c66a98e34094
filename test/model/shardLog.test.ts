// ShardLog: a shard's stored records as entries (records that arrived at one instant), read by sequence number.
// Hand-computed cases for each operation, then a property test that drives long random sequences of appends,
// reads and compactions against a plain array model of the same entries.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../../src/model/build.js";
import { ShardLog, Slices, type ReadResult, type Slice } from "../../src/model/kinesis/shardLog.js";
import { simulate } from "../../src/model/simulate.js";
import { scenarioOf } from "./scenarioOf.js";

const ALL = Number.MAX_SAFE_INTEGER;

/** Entries at 1,000 µs (seq 0..2), 2,000 µs (seq 3..4) and 3,000 µs (seq 5..9). */
function threeEntries(): ShardLog {
  const log = new ShardLog();
  log.append(1_000, 3, 3, 300, 0, 900);
  log.append(2_000, 2, 2, 400, 1_000, 1_900);
  log.append(3_000, 5, 5, 500, 2_000, 2_900);
  return log;
}

describe("ShardLog.append", () => {
  it("appends at the same instant coalesce into one entry: counts and bytes add, born range is the union", () => {
    const log = new ShardLog();
    log.append(1_000, 3, 3, 300, 100, 400);
    log.append(1_000, 2, 2, 50, 0, 700);
    expect(log.entries).toBe(1);
    expect(log.endSeq).toBe(5);
    expect(log.read(0, 1_000, ALL, ALL)).toEqual({
      slices: [{ users: 5, bytes: 350, keyBytes: 0, firstBorn: 0, lastBorn: 700, arrival: 1_000 }],
      users: 5,
      kinesis: 5,
      bytes: 350,
      next: 5,
    });
  });

  it("appends at different instants make separate entries; zero-record appends are ignored", () => {
    const log = new ShardLog();
    log.append(1_000, 3, 3, 300, 0, 0);
    log.append(1_000, 0, 0, 0, 0, 0);
    log.append(1_001, 1, 1, 10, 0, 0);
    log.append(1_001, 1, 1, 10, 0, 0);
    log.append(2_000, 0, 0, 0, 0, 0);
    expect(log.entries).toBe(2);
    expect(log.endSeq).toBe(5);
  });

  it("sequence numbers count records from 0: firstSeq 0 and endSeq = records appended", () => {
    const log = new ShardLog();
    expect([log.firstSeq, log.endSeq]).toEqual([0, 0]);
    log.append(10, 7, 7, 70, 0, 0);
    expect([log.firstSeq, log.endSeq]).toEqual([0, 7]);
    log.append(20, 4, 4, 40, 0, 0);
    expect([log.firstSeq, log.endSeq]).toEqual([0, 11]);
    // The second entry's first record is seq 7: reading from 7 returns only it.
    expect(log.read(7, 20, ALL, ALL).slices).toEqual([{ users: 4, bytes: 40, keyBytes: 0, firstBorn: 0, lastBorn: 0, arrival: 20 }]);
  });

  it("onAppend listeners fire once per append (coalesced ones too) with the arrival time, not for empty appends", () => {
    const log = new ShardLog();
    const a: number[] = [];
    const b: number[] = [];
    log.onAppend((t) => a.push(t));
    log.append(5, 1, 1, 1, 0, 0);
    log.onAppend((t) => b.push(t));
    log.append(5, 2, 2, 2, 0, 0);
    log.append(9, 0, 0, 0, 0, 0);
    log.append(9, 1, 1, 1, 0, 0);
    expect(a).toEqual([5, 5, 9]);
    expect(b).toEqual([5, 9]);
  });
});

describe("ShardLog.readSlices (columns)", () => {
  it("reading seq 1..7 of the three entries gives each entry's part, column by column (hand-computed)", () => {
    // From seq 1 at most 6 records: entry 1 gives seq 1..2 (2 of 3: bytes 300·3/3 − 300·1/3 = 200, born 300..900),
    // entry 2 all of seq 3..4, entry 3 seq 5..6 (2 of 5: bytes 500·2/5 = 200, born 2,000..2,360).
    const r = threeEntries().readSlices(1, 3_000, 6, ALL);
    expect([r.users, r.kinesis, r.bytes, r.next]).toEqual([6, 6, 800, 7]);
    const sl = r.slices;
    expect(sl.length).toBe(3);
    const cols = (i: number) => [sl.users(i), sl.bytes(i), sl.keyBytes(i), sl.firstBorn(i), sl.lastBorn(i), sl.arrival(i)];
    expect([0, 1, 2].map(cols)).toEqual([
      [2, 200, 0, 300, 900, 1_000],
      [2, 400, 0, 1_000, 1_900, 2_000],
      [2, 200, 0, 2_000, 2_360, 3_000],
    ]);
    // The object form is the same numbers, and read() returns it.
    expect(sl.toArray()).toEqual(threeEntries().read(1, 3_000, 6, ALL).slices);
    expect(sl.at(2)).toEqual({ users: 2, bytes: 200, keyBytes: 0, firstBorn: 2_000, lastBorn: 2_360, arrival: 3_000 });
  });

  it("a transient read gives the same slices without a copy, valid until the next read", () => {
    const log = threeEntries();
    const copied = log.readSlices(1, 3_000, 6, ALL);
    const transient = log.readSlices(1, 3_000, 6, ALL, true);
    expect(transient.slices.length).toBe(3);
    expect(transient.slices.toArray()).toEqual(copied.slices.toArray());
    expect([transient.users, transient.bytes, transient.next]).toEqual([copied.users, copied.bytes, copied.next]);
    // The next read writes over the transient slices; the copied ones keep their numbers.
    log.readSlices(5, 3_000, 1, ALL, true);
    expect(transient.slices.users(0)).toBe(1);
    expect(copied.slices.users(0)).toBe(2);
  });

  it("a read into reused Slices gives the same slices whatever their storage held", () => {
    const log = threeEntries();
    // Used Slices: storage longer than this read needs, full of stale numbers.
    const reused = new Slices(Array.from({ length: 60 }, (_, i) => 1e9 + i));
    const r = log.readSlices(1, 3_000, 6, ALL, false, reused);
    expect(r.slices).toBe(reused);
    expect(r.slices.length).toBe(3);
    expect(r.slices.toArray()).toEqual(log.readSlices(1, 3_000, 6, ALL).slices.toArray());
    // Read into again (a shorter read: only its own slice counts).
    const again = log.readSlices(5, 3_000, 1, ALL, false, reused);
    expect(again.slices).toBe(reused);
    expect(again.slices.toArray()).toEqual([{ users: 1, bytes: 100, keyBytes: 0, firstBorn: 2_000, lastBorn: 2_180, arrival: 3_000 }]);
    // An empty read into them empties them.
    expect(log.readSlices(0, 999, ALL, ALL, false, reused).slices.length).toBe(0);
  });

  it("an empty read has no slices", () => {
    const r = threeEntries().readSlices(0, 999, ALL, ALL);
    expect(r.slices.length).toBe(0);
    expect(r.slices.toArray()).toEqual([]);
  });
});

describe("ShardLog.read", () => {
  it("respects now: records that arrived after it are invisible", () => {
    const log = threeEntries();
    expect(log.read(0, 999, ALL, ALL)).toEqual({ slices: [], users: 0, kinesis: 0, bytes: 0, next: 0 });
    const r = log.read(0, 1_999, ALL, ALL);
    expect([r.users, r.bytes, r.next]).toEqual([3, 300, 3]);
    expect(log.read(3, 1_999, ALL, ALL)).toEqual({ slices: [], users: 0, kinesis: 0, bytes: 0, next: 3 });
    const all = log.read(0, 2_000, ALL, ALL); // arrival ≤ now is visible
    expect([all.users, all.bytes, all.next]).toEqual([5, 700, 5]);
    expect(all.slices.map((s) => s.arrival)).toEqual([1_000, 2_000]);
  });

  it("stops at maxRecords, splitting an entry", () => {
    const log = threeEntries();
    const r = log.read(0, ALL, 4, ALL);
    expect(r.users).toBe(4);
    expect(r.next).toBe(4);
    // Entry 1 whole (300 B), then 1 of entry 2's 2 records (400 B × 1/2).
    expect(r.slices).toEqual([
      { users: 3, bytes: 300, keyBytes: 0, firstBorn: 0, lastBorn: 900, arrival: 1_000 },
      { users: 1, bytes: 200, keyBytes: 0, firstBorn: 1_000, lastBorn: 1_450, arrival: 2_000 },
    ]);
  });

  it("stops at maxBytes: only whole records that fit, charged at their entry's average size", () => {
    const log = threeEntries(); // 100 B/record, then 200 B/record, then 100 B/record
    // 300 B from entry 1; entry 2 at 200 B each: floor((650 − 300)/200) = 1 more record.
    const r = log.read(0, ALL, ALL, 650);
    expect([r.users, r.bytes, r.next]).toEqual([4, 500, 4]);
    // 350 B: entry 1 whole, not one of entry 2's 200 B records (500 > 350); no forced record once one was read.
    const s = log.read(0, ALL, ALL, 350);
    expect([s.users, s.bytes, s.next]).toEqual([3, 300, 3]);
  });

  it("returns one record when even that exceeds maxBytes (at least one record when any is available)", () => {
    const log = threeEntries();
    expect(log.read(3, ALL, ALL, 1)).toEqual({
      slices: [{ users: 1, bytes: 200, keyBytes: 0, firstBorn: 1_000, lastBorn: 1_450, arrival: 2_000 }],
      users: 1,
      kinesis: 1,
      bytes: 200,
      next: 4,
    });
    // …but none when nothing is visible yet.
    expect(log.read(3, 1_500, ALL, 1).users).toBe(0);
  });

  it("splits 3 records of 10 B born over [0, 1000] one at a time into 3+4+3 B and born ranges [0,333] [333,667] [667,1000]", () => {
    // Bytes: round(10·1/3) − 0 = 3, round(10·2/3) − 3 = 4, 10 − 7 = 3; born cuts at round(1000·k/3).
    const log = new ShardLog();
    log.append(50, 3, 3, 10, 0, 1_000);
    const reads: ReadResult[] = [];
    let from = 0;
    for (let i = 0; i < 3; i++) {
      const r = log.read(from, 50, 1, ALL);
      reads.push(r);
      from = r.next;
    }
    expect(reads.map((r) => r.slices[0]!)).toEqual([
      { users: 1, bytes: 3, keyBytes: 0, firstBorn: 0, lastBorn: 333, arrival: 50 },
      { users: 1, bytes: 4, keyBytes: 0, firstBorn: 333, lastBorn: 667, arrival: 50 },
      { users: 1, bytes: 3, keyBytes: 0, firstBorn: 667, lastBorn: 1_000, arrival: 50 },
    ]);
    expect(from).toBe(3);
    expect(log.read(from, 50, 1, ALL).users).toBe(0);
  });

  it("reading an entry in pieces of any size sums exactly to its records and bytes, with contiguous born ranges", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }),
        (records, bytes, span, pieces) => {
          const log = new ShardLog();
          log.append(7, records, records, bytes, 1_000, 1_000 + span);
          const slices: Slice[] = [];
          let from = 0;
          for (let i = 0; from < records; i++) {
            const r = log.read(from, 7, pieces[i % pieces.length]!, ALL);
            expect(r.users).toBe(Math.min(pieces[i % pieces.length]!, records - from));
            slices.push(...r.slices);
            from = r.next;
          }
          expect(slices.reduce((s, x) => s + x.users, 0)).toBe(records);
          expect(slices.reduce((s, x) => s + x.bytes, 0)).toBe(bytes);
          expect(slices[0]!.firstBorn).toBe(1_000);
          expect(slices.at(-1)!.lastBorn).toBe(1_000 + span);
          for (let i = 1; i < slices.length; i++) expect(slices[i]!.firstBorn).toBe(slices[i - 1]!.lastBorn);
          for (const s of slices) expect(s.lastBorn).toBeGreaterThanOrEqual(s.firstBorn);
        },
      ),
      { numRuns: 200, seed: 4242 },
    );
  });
});

describe("ShardLog positions", () => {
  it("trimHorizon(cutoff) is the first record that arrived at or after the cutoff (endSeq when none did)", () => {
    const log = threeEntries();
    expect([0, 1_000, 1_001, 2_000, 2_500, 3_000, 3_001].map((c) => log.trimHorizon(c))).toEqual([0, 0, 3, 3, 5, 5, 10]);
  });

  it("arrivalOf(seq) is the arrival time of that record's entry, undefined outside the held records", () => {
    const log = threeEntries();
    expect([0, 2, 3, 4, 5, 9, 10].map((s) => log.arrivalOf(s))).toEqual([1_000, 1_000, 2_000, 2_000, 3_000, 3_000, undefined]);
    log.compact(3);
    expect(log.arrivalOf(2)).toBeUndefined();
    expect(log.arrivalOf(3)).toBe(2_000);
  });

  it("visibleEnd(now) is just after the last record that arrived by now (the first held record when none did)", () => {
    const log = threeEntries();
    expect([999, 1_000, 1_999, 2_500, 3_000, 9_999].map((t) => log.visibleEnd(t))).toEqual([0, 3, 3, 5, 10, 10]);
    log.compact(3);
    expect(log.visibleEnd(999)).toBe(3);
    expect(log.visibleEnd(2_000)).toBe(5);
  });
});

describe("ShardLog reads from where the last read ended", () => {
  it("a read that took everything, then an append at the newest entry's instant: the next read starts inside that entry", () => {
    const log = threeEntries();
    expect(log.read(0, 3_000, ALL, ALL).next).toBe(10);
    // Two more records at 3,000 µs join entry 3 (seq 5..11), then three at 4,000 µs make entry 4 (seq 12..14).
    log.append(3_000, 2, 2, 100, 2_900, 3_000);
    log.append(4_000, 3, 3, 300, 3_100, 4_000);
    // From seq 10: the last 2 of entry 3's 7 records (bytes 600·7/7 − 600·5/7 = 171, born 2,000 + 1,000·5/7 …), then entry 4.
    expect(log.read(10, 4_000, ALL, ALL)).toEqual({
      slices: [
        { users: 2, bytes: 171, keyBytes: 0, firstBorn: 2_714, lastBorn: 3_000, arrival: 3_000 },
        { users: 3, bytes: 300, keyBytes: 0, firstBorn: 3_100, lastBorn: 4_000, arrival: 4_000 },
      ],
      users: 5,
      kinesis: 5,
      bytes: 471,
      next: 15,
    });
  });

  it("a read that stopped inside an entry, then compaction past it: the next read starts at the first record held", () => {
    const log = threeEntries();
    expect(log.read(0, 3_000, 4, ALL).next).toBe(4); // stopped inside entry 2 (seq 3..4)
    log.compact(5);
    expect(log.read(4, 3_000, ALL, ALL)).toMatchObject({ users: 5, next: 10 });
    expect(log.read(4, 3_000, ALL, ALL).slices).toEqual([{ users: 5, bytes: 500, keyBytes: 0, firstBorn: 2_000, lastBorn: 2_900, arrival: 3_000 }]);
  });
});

describe("ShardLog.compact", () => {
  it("drops only whole entries that end at or before the given sequence number", () => {
    const log = threeEntries();
    log.compact(4); // entry [3, 5) still holds record 4
    expect([log.firstSeq, log.entries]).toEqual([3, 2]);
    log.compact(5);
    expect([log.firstSeq, log.entries]).toEqual([5, 1]);
    log.compact(2); // never moves back
    expect([log.firstSeq, log.entries]).toEqual([5, 1]);
  });

  it("a read from a dropped position starts at the first held record", () => {
    const log = threeEntries();
    log.compact(3);
    const r = log.read(0, ALL, ALL, ALL);
    expect([r.users, r.bytes, r.next]).toEqual([7, 900, 10]);
    expect(log.trimHorizon(0)).toBe(3);
  });

  it("dropping everything keeps sequence numbers running: later appends continue at endSeq", () => {
    const log = threeEntries();
    log.compact(10);
    expect([log.firstSeq, log.endSeq, log.entries]).toEqual([10, 10, 0]);
    expect(log.read(0, ALL, ALL, ALL)).toEqual({ slices: [], users: 0, kinesis: 0, bytes: 0, next: 10 });
    log.append(3_000, 2, 2, 20, 0, 0); // same instant as the dropped last entry: a new entry, not merged into a ghost
    expect([log.firstSeq, log.endSeq, log.entries]).toEqual([10, 12, 1]);
    expect(log.read(10, ALL, ALL, ALL).slices).toEqual([{ users: 2, bytes: 20, keyBytes: 0, firstBorn: 0, lastBorn: 0, arrival: 3_000 }]);
  });

  it("compacting to beyond the end (nothing is needed) drops what is held, and so again after later appends", () => {
    const log = threeEntries();
    log.compact(Infinity);
    expect([log.firstSeq, log.endSeq, log.entries]).toEqual([10, 10, 0]);
    log.append(4_000, 2, 2, 20, 0, 0);
    log.append(5_000, 3, 3, 30, 0, 0);
    log.compact(10); // what was dropped: nothing more
    expect([log.firstSeq, log.entries]).toEqual([10, 2]);
    log.compact(Infinity);
    expect([log.firstSeq, log.endSeq, log.entries]).toEqual([15, 15, 0]);
  });

  it("the same compaction asked again after appends keeps what it kept; the oldest entry's start and arrival follow each drop", () => {
    const log = threeEntries(); // [0, 3) at 1,000, [3, 5) at 2,000, [5, 10) at 3,000
    log.compact(4);
    log.append(4_000, 2, 2, 20, 0, 0);
    log.compact(4);
    expect([log.firstSeq, log.entries, log.trimHorizon(0), log.trimHorizon(2_001)]).toEqual([3, 3, 3, 5]);
    log.compact(6);
    expect([log.firstSeq, log.entries, log.trimHorizon(0), log.trimHorizon(3_001)]).toEqual([5, 2, 5, 10]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Model: a plain array of entries, read record by record.

interface ModelEntry {
  start: number;
  count: number;
  bytes: number;
  born0: number;
  born1: number;
  arrival: number;
}

class ArrayModel {
  entries: ModelEntry[] = [];
  end = 0;

  append(arrival: number, count: number, bytes: number, born0: number, born1: number): void {
    const last = this.entries.at(-1);
    if (last && last.arrival === arrival) {
      last.count += count;
      last.bytes += bytes;
      last.born0 = Math.min(last.born0, born0);
      last.born1 = Math.max(last.born1, born1);
    } else {
      this.entries.push({ start: this.end, count, bytes, born0, born1, arrival });
    }
    this.end += count;
  }

  compact(seq: number): void {
    this.entries = this.entries.filter((e) => e.start + e.count > seq);
  }

  get first(): number {
    return this.entries[0]?.start ?? this.end;
  }

  /** One record at a time: take it while it is visible and within maxRecords, and (unless it is the first) its entry's average size still fits. */
  read(from: number, now: number, maxRecords: number, maxBytes: number): ReadResult {
    const slices: Slice[] = [];
    let seq = Math.max(from, this.first);
    let records = 0;
    let bytes = 0;
    for (const e of this.entries) {
      if (e.start + e.count <= seq) continue;
      if (e.arrival > now || records >= maxRecords) break;
      const offset = seq - e.start;
      const per = e.bytes / e.count;
      let k = 0;
      while (offset + k < e.count && records + k < maxRecords && (records + k === 0 || per === 0 || bytes + (k + 1) * per <= maxBytes)) k++;
      if (k === 0) break;
      const sliceBytes = Math.round((e.bytes * (offset + k)) / e.count) - Math.round((e.bytes * offset) / e.count);
      const span = e.born1 - e.born0;
      slices.push({
        users: k,
        bytes: sliceBytes,
        keyBytes: 0,
        firstBorn: e.born0 + Math.round((span * offset) / e.count),
        lastBorn: e.born0 + Math.round((span * (offset + k)) / e.count),
        arrival: e.arrival,
      });
      records += k;
      bytes += sliceBytes;
      seq += k;
      if (offset + k < e.count) break;
    }
    return { slices, users: records, kinesis: records, bytes, next: seq };
  }
}

type AppendOp = { kind: "append"; gap: number; records: number; size: number; extra: number };
type ReadOp = { kind: "read"; back: number; maxRecords: number; maxBytes: number; lag: number };
type CompactOp = { kind: "compact"; keep: number };
/** A read by one of six readers from where its last read ended (how every reader reads a shard). */
type NextOp = { kind: "next"; reader: number; maxRecords: number; maxBytes: number; lag: number };
type Op = AppendOp | ReadOp | CompactOp | NextOp;

const appendOp: fc.Arbitrary<AppendOp> = fc.record({
  kind: fc.constant("append" as const),
  gap: fc.constantFrom(0, 0, 1, 1, 1, 7), // 0: same instant, coalesces with the last entry
  records: fc.integer({ min: 1, max: 40 }),
  size: fc.integer({ min: 0, max: 300 }),
  extra: fc.integer({ min: 0, max: 99 }), // bytes not a multiple of the count
});
/** A read's limits, the same for both kinds of read. */
const limits = { maxRecords: fc.integer({ min: 1, max: 300 }), maxBytes: fc.integer({ min: 1, max: 60_000 }) };
const readOp: fc.Arbitrary<ReadOp> = fc.record({
  kind: fc.constant("read" as const),
  back: fc.integer({ min: 0, max: 2_000 }),
  ...limits,
  lag: fc.integer({ min: 0, max: 30 }),
});
const nextOp: fc.Arbitrary<NextOp> = fc.record({ kind: fc.constant("next" as const), reader: fc.integer({ min: 0, max: 5 }), ...limits, lag: fc.integer({ min: 0, max: 3 }) });
// A reader `keep` records behind the tip: near it (few entries left) or far behind (many kept).
const compactOp: fc.Arbitrary<CompactOp> = fc.record({
  kind: fc.constant("compact" as const),
  keep: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 80_000 })),
});

const op: fc.Arbitrary<Op> = fc.oneof({ weight: 6, arbitrary: appendOp }, { weight: 2, arbitrary: readOp }, { weight: 1, arbitrary: compactOp }, { weight: 3, arbitrary: nextOp });

/**
 * Long runs in phases: hundreds of appends (the arrays grow past 1,024 held entries), a few reads, then one
 * compaction. A compaction that drops more than 1,024 entries while fewer are kept shifts the arrays down.
 */
const longRun: fc.Arbitrary<Op[]> = fc
  .array(
    fc.tuple(fc.array(appendOp, { minLength: 600, maxLength: 1_500 }), fc.array(fc.oneof(readOp, nextOp), { maxLength: 30 }), compactOp),
    { minLength: 3, maxLength: 6 },
  )
  .map((phases) => phases.flatMap(([appends, reads, compact]) => [...appends, ...reads, compact, ...reads]));

/** expect(actual).toEqual(expected), but cheap when they agree (the long runs compare thousands of reads). */
function agree(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, what).toEqual(expected);
}

/** Runs `ops` on a ShardLog and the model side by side, comparing every read and position. */
function runAgainstModel(ops: Op[]): void {
  const log = new ShardLog();
  const model = new ArrayModel();
  let now = 0;
  const positions = [0, 0, 0, 0, 0, 0];
  ops.forEach((o, i) => {
    if (o.kind === "append") {
      now += o.gap;
      const bytes = o.records * o.size + o.extra;
      log.append(now, o.records, o.records, bytes, now - 50 * o.records, now);
      model.append(now, o.records, bytes, now - 50 * o.records, now);
    } else if (o.kind === "compact") {
      const seq = Math.max(0, model.end - o.keep); // a reader that is `keep` records behind the tip
      log.compact(seq);
      model.compact(seq);
    } else if (o.kind === "next") {
      const at = now - o.lag;
      const expected = model.read(positions[o.reader]!, at, o.maxRecords, o.maxBytes);
      agree(log.read(positions[o.reader]!, at, o.maxRecords, o.maxBytes), expected, `next read #${i}`);
      positions[o.reader] = expected.next;
    } else {
      const from = Math.max(0, model.end - o.back);
      const at = now - o.lag;
      agree(log.read(from, at, o.maxRecords, o.maxBytes), model.read(from, at, o.maxRecords, o.maxBytes), `read #${i}`);
      let lastVisible: ModelEntry | undefined;
      for (const e of model.entries) if (e.arrival <= at) lastVisible = e;
      agree(log.visibleEnd(at), lastVisible ? lastVisible.start + lastVisible.count : model.first, `visibleEnd #${i}`);
      const held = model.entries.find((e) => e.start <= from && from < e.start + e.count);
      agree(log.arrivalOf(from) ?? null, held?.arrival ?? null, `arrivalOf #${i}`);
      agree(log.trimHorizon(at), model.entries.find((e) => e.arrival >= at)?.start ?? model.end, `trimHorizon #${i}`);
    }
    agree([log.firstSeq, log.endSeq, log.entries], [model.first, model.end, model.entries.length], `positions after #${i}`);
  });
  // Everything still held reads back in full.
  const all = log.read(0, now, ALL, ALL);
  expect(all).toEqual(model.read(0, now, ALL, ALL));
  expect(all.users).toBe(model.end - model.first);
}

describe("ShardLog against an array model", () => {
  it("reads, positions and compaction agree with the model for short random runs", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300 }), runAgainstModel),
      { numRuns: 300, seed: 20260807 },
    );
  });

  it("agree over runs of thousands of appends, where the log grows its arrays and shifts out compacted entries", () => {
    // Too long to shrink usefully: a failure reports the unshrunk run (endOnFailure).
    fc.assert(
      fc.property(longRun, runAgainstModel),
      { numRuns: 12, seed: 7, endOnFailure: true },
    );
  });
});

describe("a log that a reader far behind holds stays bounded (old entries merged)", () => {
  // 100 ms windows for 3 hours with nothing compacted: 108,000 appends of 10 records (100 B each, 5 B of keys), born
  // over their window. Merged: the last minute stays at 600 entries, the minute to the hour before at one a second
  // (3,540), the rest at one a minute (120): about 4,260 after a merge. The log merges when its buffer is full and
  // grows it only if a merge leaves it over three quarters full: it stays at 8,192 entries (512 KiB).
  const WINDOW = 100_000;
  const appends = 3 * 3_600 * 10;
  const log = new ShardLog();
  for (let i = 1; i <= appends; i++) log.append(i * WINDOW, 10, 10, 1_000, (i - 1) * WINDOW, i * WINDOW, 50);

  it("holds thousands of entries, not 108,000", () => {
    expect(log.entries).toBeLessThanOrEqual(8_192);
    expect(log.entries).toBeGreaterThanOrEqual(600 + 3_540 + 120 - 2);
  });

  it("keeps every record, byte and key byte, in sequence order, and the born range of the whole", () => {
    const r = log.read(0, ALL, ALL, ALL);
    expect(r.users).toBe(appends * 10);
    expect(r.kinesis).toBe(appends * 10);
    expect(r.bytes).toBe(appends * 1_000);
    expect(r.slices.reduce((a, s) => a + s.keyBytes, 0)).toBe(appends * 50);
    expect(r.slices[0]!.firstBorn).toBe(0);
    expect(r.slices[r.slices.length - 1]!.lastBorn).toBe(appends * WINDOW);
    for (let i = 1; i < r.slices.length; i++) expect(r.slices[i]!.arrival).toBeGreaterThan(r.slices[i - 1]!.arrival);
  });

  it("the last minute is untouched: a reader a few seconds behind reads 100 ms entries", () => {
    const end = appends * WINDOW;
    const from = log.endSeq - 50 * 10; // the last 5 s
    const r = log.read(from, end, ALL, ALL);
    expect(r.slices).toHaveLength(50);
    expect(r.slices.every((s) => s.users === 10 && s.lastBorn - s.firstBorn === WINDOW)).toBe(true);
  });

  it("records older than a minute arrive in 1 s entries, older than an hour in 1 min entries; expiry by arrival moves by at most that", () => {
    const end = appends * WINDOW;
    // The records that arrived in [end − 30 min, end − 30 min + 1 s): one entry of 10 windows.
    const cutoff = end - 30 * 60 * 1_000_000;
    const seq = log.trimHorizon(cutoff);
    expect(seq).toBeGreaterThanOrEqual((cutoff / WINDOW - 1) * 10);
    expect(seq).toBeLessThanOrEqual((cutoff / WINDOW + 10) * 10);
    const deep = end - 2 * 3_600 * 1_000_000;
    const deepSeq = log.trimHorizon(deep);
    expect(deepSeq).toBeGreaterThanOrEqual((deep / WINDOW - 1) * 10);
    expect(deepSeq).toBeLessThanOrEqual((deep / WINDOW + 600) * 10);
  });
});

describe("a KCL application that falls behind for two hours holds a bounded log", () => {
  it("its shard's log stays within 8,192 entries where one per 100 ms window would be 72,000", () => {
    // 500 records/s on one shard; the record processor takes 3 ms a record (333/s): it falls further behind all run,
    // and the log must keep everything from its position on.
    const model = build(
      scenarioOf({
        duration: "2h",
        warmup: "0s",
        stream: { shards: 1, retention: "24h" },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "100B" } }],
        consumers: [{ name: "slow", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", processing: { perRecord: "3ms" } }],
      }),
    );
    simulate(model);
    const log = model.streams[0]!.logs![0]!;
    const behind = log.endSeq - log.firstSeq;
    expect(behind).toBeGreaterThan(0.3 * 500 * 7_200); // most of the run's records are still unprocessed
    expect(log.entries).toBeLessThanOrEqual(8_192);
  });

  it("with fidelity.mergeOldLogEntries: false it keeps a 100 ms entry per window of its backlog (over 21,000)", () => {
    const model = build(
      scenarioOf({
        duration: "2h",
        warmup: "0s",
        fidelity: { mergeOldLogEntries: false },
        stream: { shards: 1, retention: "24h" },
        producers: [{ name: "p", client: "sdk", rate: { shape: "constant", value: "500/s" }, recordSize: { dist: "fixed", size: "100B" } }],
        consumers: [{ name: "slow", kind: "kcl", kcl: { version: 2 }, initialPosition: "TRIM_HORIZON", processing: { perRecord: "3ms" } }],
      }),
    );
    simulate(model);
    const log = model.streams[0]!.logs![0]!;
    // 50 records a window: the backlog of over 0.3 × 3.6 M records is over 21,600 entries.
    expect(log.entries).toBeGreaterThan((0.3 * 500 * 7_200) / 50);
  });
});

describe("reads on from where the last reads stopped, as the entries move", () => {
  it("two readers reading on every second across merges and shifts get what the gallop from the newest entry gives", () => {
    // Two logs with the same appends, compactions and reads. In `hinted` each reader starts where its last read stopped
    // (the log keeps where its last two reads stopped). In `searched` two reads from elsewhere come before each of
    // them, so the log's hints point elsewhere and it searches from its newest entry. A reader far behind makes old
    // entries merge (they move); the near one's compactions shift them.
    const WINDOW = 100_000;
    const hinted = new ShardLog();
    const searched = new ShardLog();
    const positions = [0, 0];
    const limits = [
      [40, 3_000], // far behind: at most 40 records a second (of 70), and fewer where the bytes limit them
      [100_000, 10_000_000],
    ];
    let reads = 0;
    for (let i = 1; i <= 30_000; i++) {
      for (const log of [hinted, searched]) log.append(i * WINDOW, 7, 7, 700 + (i % 13), (i - 1) * WINDOW, i * WINDOW, 35);
      if (i % 10 !== 0) continue;
      const now = i * WINDOW;
      for (const r of [0, 1]) {
        const [maxRecords, maxBytes] = limits[r]!;
        searched.read(searched.firstSeq, now, 3, ALL);
        searched.read(searched.endSeq - 1, now, 1, ALL);
        const a = hinted.read(positions[r]!, now, maxRecords!, maxBytes!);
        const b = searched.read(positions[r]!, now, maxRecords!, maxBytes!);
        agree(a, b, `read ${reads} (reader ${r} at ${positions[r]})`);
        reads++;
        positions[r] = a.next;
      }
      for (const log of [hinted, searched]) log.compact(Math.min(...positions));
    }
    expect(reads).toBe(6_000);
    // The far reader is over a minute behind (its entries merged) and the near one at the tip.
    expect(hinted.endSeq - positions[0]!).toBeGreaterThan(70 * 600);
    expect(positions[1]).toBe(hinted.endSeq);
  });
});
