// The LeaseBook answers what a full scan of the lease table gave the KCL 2.x lease taker (and a scan filtered by
// owner gave 3.x discovery), in the same order. The expectation here is that scan, written out as the taker did it
// before the book (DynamoDBLeaseTaker.computeLeasesToTake's inputs: the very old leases, the expired ones — unowned or
// not renewed within failover —, each worker's unexpired ones, the most loaded worker with ties to the lowest
// index), recomputed over the table after every step of random sequences of lease creations, owner changes,
// renewals, finished shards and time passing.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LeaseBook } from "../../src/model/kcl/leaseBook.js";
import { newLease, type Lease } from "../../src/model/kcl/state.js";

const FAILOVER = 10_000_000;
const VERY_OLD = 3 * FAILOVER;
const WORKERS = 6;

type Op =
  | { kind: "add" }
  | { kind: "owner"; lease: number; owner: number }
  | { kind: "renew"; lease: number }
  | { kind: "renewAt"; lease: number; back: number }
  | { kind: "finish"; lease: number }
  | { kind: "wait"; micros: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant<Op>({ kind: "add" }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("owner" as const), lease: fc.nat(), owner: fc.integer({ min: -1, max: WORKERS - 1 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("renew" as const), lease: fc.nat() }), weight: 6 },
  // A renewal recorded at an earlier time than now (the model always renews now; the book must still sort it).
  { arbitrary: fc.record({ kind: fc.constant("renewAt" as const), lease: fc.nat(), back: fc.integer({ min: 0, max: 5 * FAILOVER }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("finish" as const), lease: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("wait" as const), micros: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * FAILOVER }), fc.constant(FAILOVER)) }), weight: 4 },
);

/** The full scan, as the taker's decide did it over the table's leases in scan order. */
function scan(leases: readonly Lease[], t: number) {
  const veryOld: Lease[] = [];
  const expired: Lease[] = [];
  const perOwner = new Map<number, Lease[]>();
  for (const lease of leases) {
    if (t - lease.lastRenewal > VERY_OLD) veryOld.push(lease);
    if (lease.owner < 0 || t - lease.lastRenewal > FAILOVER) expired.push(lease);
    else {
      const list = perOwner.get(lease.owner);
      if (list) list.push(lease);
      else perOwner.set(lease.owner, [lease]);
    }
  }
  const mostLoaded = (except: number) => {
    let most = -1;
    let mostCount = -1;
    for (const [owner, list] of [...perOwner.entries()].sort((a, b) => a[0] - b[0])) {
      if (owner !== except && list.length > mostCount) {
        most = owner;
        mostCount = list.length;
      }
    }
    return most < 0 ? { owner: -1, count: 0 } : { owner: most, count: mostCount };
  };
  return { veryOld, expired, perOwner, mostLoaded };
}

const shards = (leases: readonly Lease[]) => leases.map((l) => l.shard);

describe("LeaseBook", () => {
  it("agrees with a full scan of the table after every step of random lease histories", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(opArb, { maxLength: 120 }), (initial, ops) => {
        const book = new LeaseBook();
        const table: Lease[] = [];
        let created = 0;
        const add = () => {
          const lease = newLease(created, [], created++);
          table.push(lease);
          book.add(lease);
        };
        for (let i = 0; i < initial; i++) add();
        book.failover = FAILOVER;
        let t = 0;
        for (const op of ops) {
          const lease = table.length > 0 && op.kind !== "add" && op.kind !== "wait" ? table[op.lease % table.length]! : null;
          if (op.kind === "add") add();
          else if (op.kind === "wait") t += op.micros;
          else if (lease && op.kind === "owner") lease.owner = op.owner;
          else if (lease && op.kind === "renew") lease.lastRenewal = t;
          else if (lease && op.kind === "renewAt") lease.lastRenewal = t - op.back;
          else if (lease && op.kind === "finish") {
            table.splice(table.indexOf(lease), 1);
            book.remove(lease);
            // A lease out of the table no longer reaches the book.
            lease.owner = 0;
            lease.lastRenewal = t;
          }
          book.sync(t);
          const expected = scan(table, t);
          expect(shards(book.renewedLongerAgo(VERY_OLD))).toEqual(shards(expected.veryOld));
          expect(book.anyExpired).toBe(expected.expired.length > 0);
          expect(shards(book.expired())).toEqual(shards(expected.expired));
          expect(book.owners).toBe(expected.perOwner.size);
          for (let w = -1; w <= WORKERS; w++) {
            expect(book.freshCount(w)).toBe(w < 0 ? 0 : (expected.perOwner.get(w)?.length ?? 0));
            if (w >= 0) expect(shards(book.freshLeasesOf(w))).toEqual(shards(expected.perOwner.get(w) ?? []));
            expect(book.mostLoaded(w)).toEqual(expected.mostLoaded(w));
            if (w >= 0) expect(shards(book.ownedBy(w))).toEqual(shards(table.filter((l) => l.owner === w)));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the most loaded worker: the lowest index among equals, never the asking one", () => {
    const book = new LeaseBook();
    book.failover = FAILOVER;
    // Workers 1, 2 and 4 hold 2, 3 and 3 unexpired leases.
    const owners = [1, 1, 2, 2, 2, 4, 4, 4];
    owners.forEach((owner, i) => {
      const lease = newLease(i, [], i);
      book.add(lease);
      lease.owner = owner;
      lease.lastRenewal = 0;
    });
    book.sync(FAILOVER);
    expect(book.mostLoaded(0)).toEqual({ owner: 2, count: 3 });
    expect(book.mostLoaded(2)).toEqual({ owner: 4, count: 3 });
    expect(book.mostLoaded(4)).toEqual({ owner: 2, count: 3 });
    // One renewal interval later than failover, all of them are expired: no worker holds an unexpired lease.
    book.sync(FAILOVER + 1);
    expect(book.mostLoaded(0)).toEqual({ owner: -1, count: 0 });
    expect(book.expired().map((l) => l.shard)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
