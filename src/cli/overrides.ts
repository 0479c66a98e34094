// `--set PATH=VALUE`: one scenario field given a value on the command line, for one run, without editing the
// file. PATH reads like sweep's --vary (src/sweep/vary.ts parses and applies it: `stream.shards`,
// `streams[enriched].shards`, `producers[web].rate.value`); VALUE is one value as the file would write it
// (`2`, `5m`, `3000/s`, `true`).
//
// Every --set that goes wrong is a usage mistake, as a bad --vary is: exit 2 with a one-line message naming the
// --set and what is wrong, before anything is read or simulated when it cannot be read at all (no `=`, a path that
// does not parse or reaches into an object's prototype, several values), and after the file is read when it does
// not fit the scenario (no such element, a value out of range, a field that does not exist), naming the field
// and what is allowed.

import { scenarioData, validateScenarioData, type Scenario } from "../scenario/index.js";
import { applyVary, parseVary, SweepError, type Vary } from "../sweep/vary.js";
import { CliError, EXIT } from "./errors.js";

export interface Override {
  /** `path=value` as the reports show it. */
  text: string;
  vary: Vary;
  value: string | number | boolean;
}

/** commander's collector for a repeatable --set: the arguments as given, read by parseOverrides. */
export function collectSet(arg: string, previous: string[] = []): string[] {
  return [...previous, arg];
}

/** The --set arguments read (each PATH=VALUE with one value, each path once); throws the exit-2 error otherwise. */
export function parseOverrides(args: readonly string[]): Override[] {
  const out: Override[] = [];
  for (const arg of args) {
    const bad = (why: string) => new CliError(`--set "${arg}": ${why}`, EXIT.usage);
    const eq = arg.indexOf("=");
    if (eq <= 0) throw bad("expected PATH=VALUE, e.g. stream.shards=2 or producers[web].rate.value=3000/s");
    const path = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1).trim();
    let vary: Vary;
    try {
      vary = parseVary(`${path}=${value}`);
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
      // The same reading as --vary; its messages name --vary and its argument, which this names itself.
      throw bad(withoutVaryPrefix(e.message));
    }
    if (vary.values.length !== 1) throw bad(`one value, not ${vary.values.length} (to compare several, use \`shardcast sweep --vary ${path}=${value}\`)`);
    const key = vary.segments.join("\u0000");
    if (out.some((o) => o.vary.segments.join("\u0000") === key)) throw new CliError(`--set ${path} is given twice`, EXIT.usage);
    out.push({ text: `${path}=${value}`, vary, value: vary.values[0]! });
  }
  return out;
}

function withoutVaryPrefix(message: string): string {
  return message.replace(/^--vary (?:"[^"]*"|\S+): /, "");
}

/**
 * The scenario with the overrides applied to the file's data and validated again. `scenario` is the file's
 * own (already valid) scenario: problems of the file itself are reported with their line and column before this.
 */
export function applyOverrides(scenario: Scenario, text: string, file: string, overrides: Override[]): Scenario {
  if (overrides.length === 0) return scenario;
  const named = overrides.map((o) => `--set ${o.text}`).join(" ");
  let data = scenarioData(text, file);
  const noStream = typeof data === "object" && data !== null && !("stream" in data);
  for (const o of overrides) {
    // Setting a field of a stream the scenario does not have would quietly add one.
    if (noStream && o.vary.segments[0] === "stream") {
      const listed = (data as { streams?: unknown }).streams;
      const first = Array.isArray(listed) ? (listed[0] as { name?: unknown } | undefined)?.name : undefined;
      const instead = typeof first === "string" ? `its streams are under \`streams\`: e.g. --set streams[${first}].${o.vary.segments.slice(1).join(".")}=${o.vary.values[0]}` : "every producer writes to Firehose with Direct PUT";
      throw new CliError(`--set ${o.text}: ${file} has no \`stream\` (${instead})`, EXIT.usage);
    }
    try {
      data = applyVary(data, o.vary, o.value);
    } catch (e) {
      if (e instanceof SweepError) throw new CliError(`--set ${o.text}: ${withoutVaryPrefix(e.message)}`, EXIT.usage);
      throw e;
    }
  }
  const checked = validateScenarioData(data);
  if (!checked.ok) throw new CliError(checked.messages.map((m) => `${named}: ${m}`).join("\nshardcast: "), EXIT.usage);
  return checked.scenario;
}
