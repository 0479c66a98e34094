// What the loader reports: one thing wrong with a scenario file, at file:line:column, and how it is written
// (the field's path as in JavaScript, the `file:line:col: path: message` line, the order of a file's problems);
// and a warning: something valid that is likely wrong, written the same way after `warning:`.

export { formatPath } from "../spec/common.js";

/** One thing wrong with a scenario file. Lines and columns count from 1; columns count characters. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** The field, as in `producers[0].rate.value`; "" for the file as a whole (syntax errors). */
  path: string;
  /** What is wrong, in words; includes found, allowed and suggestion where they help. */
  message: string;
  /** The offending value or key as written, e.g. `"fast"`, `20000`, `partitonKey`. */
  found?: string;
  /** What is allowed there, e.g. `1..10000` or `constant, poisson, step`. */
  allowed?: string;
  /** The nearest valid spelling, e.g. `partitionKey`. */
  suggestion?: string;
}

/** `file:line:col: path: message`, the form editors and terminals turn into links. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

/** A warning about a valid scenario at the field it is about: the spec's warning with its file:line:column. */
export interface Warning {
  file: string;
  line: number;
  column: number;
  /** The field, as in `streams` or `stream.shards`. */
  path: string;
  /** What kind of warning (ScenarioWarning's code). */
  code: string;
  message: string;
}

/** `file:line:col: warning: path: message`, like a problem with `warning:` after the position. */
export function formatWarning(w: Warning): string {
  return `${w.file}:${w.line}:${w.column}: warning: ${w.path ? `${w.path}: ` : ""}${w.message}`;
}

/** In file order (line, then column, then as found), each distinct problem once. */
export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .map((pr, i) => ({ pr, i }))
    .sort((a, b) => a.pr.line - b.pr.line || a.pr.column - b.pr.column || a.i - b.i)
    .map(({ pr }) => pr)
    .filter((pr) => {
      const key = formatProblem(pr);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
