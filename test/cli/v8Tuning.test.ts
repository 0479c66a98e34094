// The V8 flags the command line sets (src/cli/v8Tuning.ts) are ones this Node knows: the bench passes them on its
// runs' command lines, where an unknown flag stops node before it starts. What they do to speed is the bench's
// to measure (`npm run bench`, docs/model.md "V8 settings"), not a test's.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { V8_FLAGS } from "../../src/cli/v8Tuning.js";

const nodeWith = (flags: readonly string[]) => spawnSync(process.execPath, [...flags, "-e", "0"], { encoding: "utf8" });

describe("V8_FLAGS", () => {
  it("are accepted by this Node on its command line", () => {
    const r = nodeWith(V8_FLAGS);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("an unknown flag is refused there (so the check above can fail)", () => {
    const r = nodeWith(["--no-such-shardcast-flag"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bad option|unrecognized/i);
  });
});
