// The JSON grammar (RFC 8259), to report a .json file's first syntax error at its offset, in words, whatever
// the Node version's JSON.parse messages say. It only checks: the values come from the YAML parser (parse.ts),
// which keeps source ranges. Hand-written rather than a library's: its messages name the cause where it is
// (the trailing comma itself, the bad escape inside a string, single quotes on a property name), which a
// general parser's error codes and positions do not (jsonc-parser reports a trailing comma at the bracket,
// a bad escape or control character at the string's start, and `01` as a missing comma after `0`).

class JsonFail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * The first syntax error in a JSON text, or undefined. Whitespace-only text passes (the schema reports it). Lists
 * and objects nested deeper than `maxNesting` are an error too.
 */
export function jsonSyntaxError(text: string, maxNesting = 512): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (offset: number, message: string): never => {
    throw new JsonFail(offset, message);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const describeAt = (j: number) => (j >= text.length ? "the end of the file" : `\`${text[j]}\``);

  const string = () => {
    const startAt = i;
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === "\n") fail(startAt, "unterminated string");
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail(i, `invalid escape \\${e ?? ""} in a string`);
        continue;
      }
      if (c!.charCodeAt(0) < 0x20) fail(i, "control character in a string (write \\t or \\n)");
      i++;
    }
  };

  const value = (depth: number): void => {
    if (depth > maxNesting) fail(i, `nesting too deep (limit ${maxNesting} levels of lists and objects)`);
    ws();
    const c = text[i];
    if (c === "{") return object(depth);
    if (c === "[") return array(depth);
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const match = m.exec(text);
      const end = match ? i + match[0].length : i;
      if (!match || /[\w.+-]/.test(text[end] ?? "")) fail(i, `invalid number ${JSON.stringify(/^[\w.+-]*/.exec(text.slice(i))![0])}`);
      i = end;
      return;
    }
    if (c === "'") fail(i, "strings need double quotes in JSON");
    if (c === "/" || c === "#") fail(i, "comments are not allowed in JSON");
    const word = /[A-Za-z_$][\w$]*/y;
    word.lastIndex = i;
    const w = word.exec(text)?.[0];
    if (w === "true" || w === "false" || w === "null") {
      i += w.length;
      return;
    }
    if (w) fail(i, `expected a value, got \`${w}\` (strings need double quotes)`);
    fail(i, `expected a value, got ${describeAt(i)}`);
  };

  /** An object or a list, from its opening bracket: members and commas up to `close`, no trailing comma. */
  const members = (close: "}" | "]", after: string, member: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    let comma = -1;
    for (;;) {
      ws();
      if (text[i] === close && comma >= 0) fail(comma, `trailing comma before \`${close}\` (not allowed in JSON)`);
      member();
      ws();
      if (text[i] === ",") {
        comma = i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] === "/" || text[i] === "#") fail(i, "comments are not allowed in JSON");
      fail(i, i >= text.length ? `unexpected end of file: missing \`${close}\`` : `expected \`,\` or \`${close}\` after ${after}, got ${describeAt(i)}`);
    }
  };

  const object = (depth: number) =>
    members("}", "a property value", () => {
      if (text[i] === "'") fail(i, "property names need double quotes in JSON");
      if (text[i] === "/" || text[i] === "#") fail(i, "comments are not allowed in JSON");
      if (text[i] !== '"') fail(i, `expected a property name in double quotes, got ${describeAt(i)}`);
      string();
      ws();
      if (text[i] !== ":") fail(i, `expected \`:\` after the property name, got ${describeAt(i)}`);
      i++;
      value(depth + 1);
    });

  const array = (depth: number) => members("]", "a list item", () => value(depth + 1));

  try {
    ws();
    if (i >= text.length) return undefined;
    value(0);
    ws();
    if (i < text.length) fail(i, "unexpected text after the end of the JSON value");
    return undefined;
  } catch (e) {
    if (e instanceof JsonFail) return { offset: e.offset, message: e.message };
    throw e;
  }
}
