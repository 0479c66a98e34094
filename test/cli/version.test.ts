import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SHARDCAST_VERSION } from "../../src/report/version.js";

describe("SHARDCAST_VERSION", () => {
  it("equals package.json's version (bump both together)", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(SHARDCAST_VERSION).toBe(pkg.version);
  });
});
