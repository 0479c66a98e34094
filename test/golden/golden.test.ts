import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLES, renderSample } from "./samples.js";

const root = join(import.meta.dirname, "..", "..");

describe("committed sample reports (golden files; `npm run golden` regenerates them)", () => {
  for (const name of SAMPLES) {
    it(`reports/${name}/ matches a fresh run of scenarios/${name}.yaml byte for byte`, () => {
      const fresh = renderSample(root, name);
      for (const [file, content] of Object.entries(fresh)) {
        const committed = readFileSync(join(root, "reports", name, file), "utf8");
        expect(content, `reports/${name}/${file} is stale: run npm run golden and commit the result`).toBe(committed);
      }
    });
  }
});
