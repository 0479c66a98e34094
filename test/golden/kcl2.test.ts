// `kcl.version: 2` reproduces the KCL 2.x model exactly as it was before KCL 3.x came in (issue 16): three samples
// with KCL consumers (polling and fan-out; a throttled provisioned lease table losing leases; a reshard's child
// leases), every consumer pinned to version 2, give the report.json committed for them at 64ec1f4 — the last
// commit before KCL 3.x — byte for byte, apart from what pinning the version changes by itself: the echoed scenario
// (its consumers' `kcl` settings), the scenario file's hash and the report schema's version. The references are the
// SHA-256 of those committed reports with these parts removed (`git show 64ec1f4:reports/<name>/report.json`, and
// report.md without its `| scenario file |` line). The fields report.json's schema 4 added are left out (to a missed
// put-throttling SLO's cause; each consumer's fallingBehind, reads, fetch and catchUp), and three sentences are put
// back in their old words before comparing (olderWording): the verdict on consumers throttled by the shard's read
// limits (it now says whether they read at the limit, with the rate read), the why of that SLO (it now names who
// throttled and how many attempts), and the lease-table sentence (it has gained thousands separators and names the
// lease takes). The numbers behind them are compared as they are.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderSample } from "./samples.js";

const root = join(import.meta.dirname, "..", "..");

const BEFORE_KCL3: Record<string, { json: string; md: string }> = {
  "fanout-vs-polling": { json: "e562b45c096d28a00a47429db9d1c011ddc2bd8d593dae68325ab2cbf2930bef", md: "c5f66b34c90b5533a848f41686805a81cb9a454c4542e6c5dbf6b1455267c3c4" },
  "lease-table-throttling": { json: "779c905cbf9b12dae2188b40bf316a4cd2ffe54e465828930a80046f087ecc2a", md: "eca483836de925de50d23995768a7f01b86ecb568e7be2eabf70656d97d7f0f9" },
  "reshard-hot-shard": { json: "cc67c67f19652817ce70a31c17f7705ec43f9f2b7fe6cac2f10d27544f3f2e5c", md: "7a14e0d488e6de823f7dfb2644a2a956763b2619d1cc47f01034e7a080e75c1a" },
};
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The read-limit verdict's and the put-throttling SLO's words as they were at 64ec1f4 ("… need more than the shared 2 MiB/s per shard", with its full stop where it had one). */
function olderWording(text: string): string {
  return text
    .replace(/the polling consumers together read [^,]+ from the busiest shard(?:, at its shared 2 MiB\/s: they need more than it| on average, under its shared 2 MiB\/s; calls were refused while their shard's byte budget was overdrawn \([^)]*\))(\.?)/g, "the polling consumers together need more than the shared 2 MiB/s per shard$1")
    .replace(
      /stream (\S+) throttled [\d,]+ put attempts, mainly by its (shard write (?:records|bytes)) limit \((\d+ shards?) throttled(?:; hottest: ([^)]+))?\)/g,
      (_, stream: string, limit: string, shards: string, hottest: string | undefined) => `the ${limit} limit of stream ${stream} binds on ${shards}${hottest ? ` (hottest: ${hottest})` : ""}`,
    )
    .replace(
      /lease table \(([^)]*)\) throttled ([\d,]+) lease renewals(?:, | and )([\d,]+) checkpoints(?: and [\d,]+ lease takes?)?; ([\d,]+) leases were lost and ([\d,]+) records processed again/g,
      (_, cap: string, ...n: string[]) => `lease table (${cap}) throttled ${n[0]!.replaceAll(",", "")} lease renewals and ${n[1]!.replaceAll(",", "")} checkpoints; ${n[2]!.replaceAll(",", "")} leases were lost and ${n[3]!.replaceAll(",", "")} records processed again`,
    )
    .replace(/the polling consumers together call the busiest shard [\d.]+ times a second \(refused calls included\), (?:at or over its shared 5 calls\/s|under its shared 5 calls\/s, but bunched: at times more than 5 fall within a second)(\.?)/g, "the polling consumers together need more than the shared 5 calls/s per shard$1");
}

/** Every consumer of the scenario text gets `kcl: { version: 2 }` (block or flow style). */
export function pinVersion2(text: string): string {
  const flow = text.replace(/(\{ name: [\w-]+, kind: (?:kcl|fanout),)/g, "$1 kcl: { version: 2 },");
  return flow.replace(/\n(\s+)kind: (kcl|fanout)\n/g, "\n$1kind: $2\n$1kcl: { version: 2 }\n");
}

describe("kcl.version: 2 is the KCL model as it was before 3.x", () => {
  for (const [name, sha] of Object.entries(BEFORE_KCL3)) {
    it(`${name} with every consumer at version 2 gives the pre-3.x report.json and report.md`, () => {
      // Old shard-log entries are not merged (fidelity.mergeOldLogEntries came after 64ec1f4 too).
      const files = renderSample(root, name, (t) => pinVersion2(t) + "fidelity:\n  mergeOldLogEntries: false\n");
      // report.md: all but the line with the scenario file's hash.
      expect(sha256(olderWording(files["report.md"]!.split("\n").filter((l) => !l.startsWith("| scenario file |")).join("\n")))).toBe(sha.md);
      const report = JSON.parse(files["report.json"]!) as Record<string, unknown> & {
        provenance: Record<string, unknown>;
        scenario: { consumers: Record<string, unknown>[] };
        consumers: Record<string, unknown>[];
      };
      expect(report.scenario.consumers.length).toBeGreaterThan(0);
      for (const c of report.scenario.consumers) {
        expect((c.kcl as { version: number }).version).toBe(2);
        delete c.kcl;
      }
      for (const c of report.consumers) expect(c.leaseAssignment).toBeUndefined();
      // The numbers behind each consumer's bottleneck, which schema 4 added.
      for (const c of report.consumers) for (const k of ["fallingBehind", "reads", "fetch", "catchUp"]) delete c[k];
      delete (report.scenario as { fidelity?: { mergeOldLogEntries?: boolean } }).fidelity?.mergeOldLogEntries;
      for (const slo of (report as { verdict?: { slos?: { cause?: Record<string, unknown> }[] } }).verdict?.slos ?? []) {
        if (slo.cause?.kind !== "writes") continue;
        delete slo.cause.streamThrottledAttempts;
        delete slo.cause.directPutThrottledAttempts;
        delete slo.cause.directPutStreams;
      }
      delete report.schema;
      delete report.provenance.scenarioSha256;
      expect(sha256(olderWording(JSON.stringify(report)))).toBe(sha.json);
    });
  }
});
