// The README and docs/: the quick start CI runs, links that resolve, every limit and price listed with its
// source, and citations only of sources that are public or in the repository.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRICE } from "../../src/aws/prices.js";

const root = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const docs = readdirSync(join(root, "docs"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => `docs/${f}`);

/** The section of a Markdown text under a `## ` heading, up to the next `## ` heading. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe("README", () => {
  it("quick start has exactly the two commands: run the sample, run the tests", () => {
    const quick = section(read("README.md"), "Quick start");
    const commands = [...quick.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
    expect(commands).toEqual(["npm ci && npm start -- run scenarios/quickstart.yaml", "npm ci && npm test"]);
  });

  it("quick start says how long the tests take and that they leave nothing in the temporary folder", () => {
    const quick = section(read("README.md"), "Quick start");
    expect(quick).toMatch(/`npm test` takes \d+–\d+ minutes on a 2-core machine/);
    expect(quick).toContain("leaves nothing in the system's temporary folder");
  });

  it(".ci/run runs the README's test command", () => {
    expect(read(".ci/run")).toContain("npm ci && npm test");
  });

  it("lists every sample scenario, and every sample has a committed report or sweep", () => {
    const samples = section(read("README.md"), "Samples");
    for (const file of readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml"))) {
      expect(samples).toContain(`\`${file}\``);
      const dir = join(root, "reports", file.replace(/\.yaml$/, ""));
      expect(existsSync(join(dir, "report.json")) || existsSync(join(dir, "sweep", "sweep.json")), file).toBe(true);
    }
  });

  it("links every page of docs/ and stays short", () => {
    const readme = read("README.md");
    for (const doc of docs) expect(readme).toContain(`](${doc})`);
    expect(Buffer.byteLength(readme)).toBeLessThan(15_000);
  });
});

describe("links", () => {
  it("every relative link of the README and docs/ points at a file of the repository", () => {
    for (const page of ["README.md", ...docs]) {
      const text = read(page);
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
      for (const target of targets) {
        if (/^[a-z]+:/.test(target) || target.startsWith("#")) continue;
        const path = join(root, dirname(page), target.split("#")[0]!);
        expect(existsSync(path), `${page} links ${target}`).toBe(true);
      }
    }
  });
});

describe("docs/limits.md", () => {
  const limits = read("docs/limits.md");

  it("lists every constant of src/aws/limits.ts and src/aws/prices.ts, and every price", () => {
    const constants = ["src/aws/limits.ts", "src/aws/prices.ts"].flatMap((f) => [...read(f).matchAll(/^export const (\w+)/gm)].map((m) => m[1]!));
    expect(constants.length).toBeGreaterThan(90);
    for (const name of constants) expect(limits, name).toContain(`\`${name}`);
    for (const key of Object.keys(PRICE)) expect(limits, key).toContain(`\`PRICE.${key}\``);
  });

  it("gives every table row a source: a link, or a marked assumption", () => {
    const rows = limits.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| What ") && !l.startsWith("| :---"));
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      const source = row.split(" | ").at(-1)!;
      expect(/\]\[|\]\(|assumption \(|convention|simulator setting/.test(source), row).toBe(true);
    }
  });
});

describe("citations", () => {
  it("the README, docs/, the sources, the tests and the committed reports cite only public sources or files of the repository", () => {
    const under = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? under(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    const files = ["README.md", ...docs, ...under("src"), ...under("test"), ...under("reports")].filter((f) => !f.endsWith("docs.test.ts") && /\.(md|ts|json|yaml)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      if (!statSync(join(root, file)).isFile()) continue;
      expect(read(file), file).not.toMatch(/KINESIS\.md|\.\.\/shared\//);
    }
  });
});
