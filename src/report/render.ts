// A run's report: the judgement worded once, then report.json (the contract) and report.md (what a reviewer
// reads) from the same verdict. Pure: the same result gives the same bytes.

import type { Verdict as Judgement } from "../result/judge.js";
import type { RunResult } from "../result/runResult.js";
import { reportJsonText, type Provenance } from "./json.js";
import { buildReportMarkdown } from "./markdown.js";
import { verdictOf, type Verdict } from "./verdict.js";

export interface RenderedReport {
  verdict: Verdict;
  files: { "report.json": string; "report.md": string };
}

export function renderReport(result: RunResult, judgement: Judgement, provenance: Provenance): RenderedReport {
  const verdict = verdictOf(result, judgement);
  return {
    verdict,
    files: {
      "report.json": reportJsonText(result, provenance, verdict),
      "report.md": buildReportMarkdown(result, provenance, verdict),
    },
  };
}
