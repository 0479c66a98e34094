/**
 * A trace file (CSV) or CloudWatch export that cannot be read: `file:line:col: problem` like the scenario
 * loader's problems, or `file: problem` where the input has no useful position (a parsed JSON export).
 */
export class TraceError extends Error {
  override readonly name = "TraceError";

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    /** What is wrong and what is allowed, without the position. */
    readonly problem: string,
  ) {
    super(line === undefined ? `${file}: ${problem}` : `${file}:${line}:${column ?? 1}: ${problem}`);
  }
}
