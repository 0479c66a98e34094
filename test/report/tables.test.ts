// Issue 11: every table of counts in report.md says whether it covers the whole run or the time after warmup —
// in its heading ("… (whole run)") or in the note under it.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const samples = readdirSync(join(root, "reports")).filter((d) => existsSync(join(root, "reports", d, "report.md")));

/** Each table of a report.md: the heading above it, the text up to the next heading, and its section's introduction. */
function tables(md: string): { heading: string; after: string; intro: string }[] {
  const lines = md.split("\n");
  const out: { heading: string; after: string; intro: string }[] = [];
  let heading = "";
  let intro = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("#")) heading = line;
    if (line.startsWith("## ")) {
      // The text under a "## " heading, before its first table or sub-heading, speaks for the whole section.
      let k = i + 1;
      while (k < lines.length && !lines[k]!.startsWith("#") && !lines[k]!.startsWith("|")) k++;
      intro = lines.slice(i + 1, k).join("\n");
    }
    if (line.startsWith("| ") && !lines[i - 1]!.startsWith("|")) {
      let j = i;
      while (j < lines.length && lines[j]!.startsWith("|")) j++;
      let k = j;
      while (k < lines.length && !lines[k]!.startsWith("#") && !lines[k]!.startsWith("| ")) k++;
      out.push({ heading, after: lines.slice(j, k).join("\n"), intro });
    }
  }
  return out;
}

describe("report.md's tables say what time they cover", () => {
  it.each(samples)("%s", (name) => {
    const md = readFileSync(join(root, "reports", name, "report.md"), "utf8");
    for (const t of tables(md)) {
      // The run's provenance table holds no counts.
      if (t.heading === "## Run") continue;
      const says = /whole run/i.test(t.heading) || /whole run|after warmup/i.test(t.after) || /whole run|after warmup/i.test(t.intro);
      expect(says, `${name}: the table under "${t.heading}"`).toBe(true);
    }
  });
});
