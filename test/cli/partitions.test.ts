// deploy/: a sweep's slices run by a batch scheduler through deploy/run-partition.sh, the container's entrypoint,
// then merged. Here the scheduler is GNU parallel when it is installed and `xargs -P 2` otherwise: each slice is its
// own process, two at a time, told its 0-based index as a Kubernetes Indexed Job or an AWS Batch array job would
// tell it. The merged sweep.json must be byte-identical to the sweep one machine writes.

import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, root } from "./runCli.js";

const tmp = mkdtempSync(join(tmpdir(), "shardcast-partitions-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURE = "test/fixtures/sweep/small-step.yaml";
const ARGS = "--vary stream.shards=2,3,4 --replications 2 --jobs 1 --no-charts";
const SLICES = 3;
const script = join(root, "deploy", "run-partition.sh");
const shardcast = `${process.execPath} --import tsx ${join(root, "src", "cli", "bin.ts")}`;

function hasGnuParallel(): boolean {
  try {
    return execFileSync("parallel", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).includes("GNU parallel");
  } catch {
    return false;
  }
}

/** Runs `command` through sh in the repo root with these environment variables; resolves with its exit code and output. */
function sh(command: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("sh", ["-c", command], { cwd: root, env: { ...process.env, TSX_DISABLE_CACHE: "1", ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const env = (parts: string) => ({ SHARDCAST: shardcast, SHARDCAST_SCENARIO: FIXTURE, SHARDCAST_PARTITIONS: String(SLICES), SHARDCAST_SWEEP_ARGS: ARGS, SHARDCAST_PARTS: parts });

describe("deploy/run-partition.sh under a local scheduler, then merge", () => {
  it(`${SLICES} slices as separate processes (${hasGnuParallel() ? "GNU parallel" : "xargs -P 2"}) merge into the single machine's sweep.json, byte for byte`, async () => {
    const parts = join(tmp, "parts");
    const scheduler = hasGnuParallel() ? `parallel -j 2 ${script} ::: 0 1 2` : `printf '0\\n1\\n2\\n' | xargs -P 2 -n 1 ${script}`;
    const ran = await sh(scheduler, env(parts));
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(readdirSync(parts).sort()).toEqual(["1", "2", "3"]);
    for (const i of [1, 2, 3]) expect(readdirSync(join(parts, String(i)))).toContain(`sweep-part-${i}-of-${SLICES}.json`);

    const merged = await cli("merge", ...[1, 2, 3].map((i) => join(parts, String(i))), "--out", join(tmp, "merged"));
    expect(merged.code).toBe(0);
    const single = await cli("sweep", FIXTURE, ...ARGS.split(" "), "--out", join(tmp, "single"));
    expect(single.code).toBe(0);
    expect(readFileSync(join(tmp, "merged", "sweep.json"), "utf8")).toBe(readFileSync(join(tmp, "single", "sweep.json"), "utf8"));
  });

  it("the index comes from JOB_COMPLETION_INDEX (Kubernetes) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch), 0-based: index 2 of 3 writes part 3", async () => {
    const k8s = await sh(script, { ...env(join(tmp, "k8s")), JOB_COMPLETION_INDEX: "2" });
    expect(k8s.code).toBe(0);
    expect(readdirSync(join(tmp, "k8s", "3"))).toContain("sweep-part-3-of-3.json");
    const batch = await sh(script, { ...env(join(tmp, "batch")), AWS_BATCH_JOB_ARRAY_INDEX: "0" });
    expect(batch.code).toBe(0);
    expect(readdirSync(join(tmp, "batch", "1"))).toContain("sweep-part-1-of-3.json");
  });

  it("a missing or out-of-range index is a usage error (exit 2) that says what to set", async () => {
    const none = await sh(script, env(join(tmp, "none")));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no slice index \(set JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX/);
    const out = await sh(`${script} 3`, env(join(tmp, "out")));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/slice index 3 is not below SHARDCAST_PARTITIONS \(3\)/);
    const bad = await sh(`${script} x`, env(join(tmp, "bad")));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must be a whole number, got x/);
  });

  it("the Kubernetes Job and the AWS Batch array job run the entrypoint with the slice count they are cut into", () => {
    const job = readFileSync(join(root, "deploy", "kubernetes", "sweep-job.yaml"), "utf8");
    expect(job).toMatch(/completionMode: Indexed/);
    const completions = Number(/completions: (\d+)/.exec(job)![1]);
    expect(job).toContain(`{ name: SHARDCAST_PARTITIONS, value: "${completions}" }`);
    const definition = JSON.parse(readFileSync(join(root, "deploy", "aws-batch", "job-definition.json"), "utf8")) as { containerProperties: { environment: { name: string; value: string }[] } };
    const submit = JSON.parse(readFileSync(join(root, "deploy", "aws-batch", "submit-job.json"), "utf8")) as { arrayProperties: { size: number }; jobDefinition: string };
    expect(definition.containerProperties.environment.find((e) => e.name === "SHARDCAST_PARTITIONS")!.value).toBe(String(submit.arrayProperties.size));
    expect(readFileSync(join(root, "deploy", "Dockerfile"), "utf8")).toMatch(/ENTRYPOINT \["\/opt\/shardcast\/deploy\/run-partition\.sh"\]/);
  });
});
