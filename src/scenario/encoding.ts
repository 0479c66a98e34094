// The bytes of an input file (a scenario, a trace, a CloudWatch export, a sweep's part file) → its text, or the
// reason it is not UTF-8 text at the line:column and byte offset where that shows. A UTF-8 byte order mark is
// allowed; UTF-16 and UTF-32 (with a byte order mark, or recognised by their zero bytes) are named with what to
// do; the first byte that is not UTF-8 (RFC 3629: no overlong forms, no encoded surrogates) is located; zero
// bytes (a binary file) are refused. Messages name bytes in hexadecimal and never quote the file's text. Takes
// bytes, never touches the file system (src/cli reads).

/**
 * A file that the loader was handed a reader for and could not use (refused, unreadable or not UTF-8 text): the
 * message names the file and why, and never quotes its content. Thrown by the readers src/cli injects.
 */
export class InputFileError extends Error {
  override readonly name = "InputFileError";
}

/** Why a file's bytes are not UTF-8 text: where (1-based line and column, 0-based byte offset) and what. */
export interface EncodingProblem {
  line: number;
  column: number;
  offset: number;
  message: string;
}

const SAVE = "save it as UTF-8";

/** UTF-16/UTF-32 by their byte order mark, or by the zero bytes of mostly-ASCII text without one. */
function otherEncoding(b: Uint8Array): { name: string; how: string } | undefined {
  const at = (i: number) => (i < b.length ? b[i] : -1);
  if (at(0) === 0xff && at(1) === 0xfe && at(2) === 0 && at(3) === 0) return { name: "UTF-32LE", how: "it starts with the byte order mark FF FE 00 00" };
  if (at(0) === 0 && at(1) === 0 && at(2) === 0xfe && at(3) === 0xff) return { name: "UTF-32BE", how: "it starts with the byte order mark 00 00 FE FF" };
  if (at(0) === 0xff && at(1) === 0xfe) return { name: "UTF-16LE", how: "it starts with the byte order mark FF FE" };
  if (at(0) === 0xfe && at(1) === 0xff) return { name: "UTF-16BE", how: "it starts with the byte order mark FE FF" };
  if (b.length >= 4 && at(0) !== 0 && at(1) === 0 && at(2) === 0 && at(3) === 0) return { name: "UTF-32LE", how: "every character takes four bytes, three of them zero" };
  if (b.length >= 4 && at(0) === 0 && at(1) === 0 && at(2) === 0 && at(3) !== 0) return { name: "UTF-32BE", how: "every character takes four bytes, three of them zero" };
  if (b.length >= 2 && at(0) !== 0 && at(1) === 0) return { name: "UTF-16LE", how: "every other byte is zero" };
  if (b.length >= 2 && at(0) === 0 && at(1) !== 0) return { name: "UTF-16BE", how: "every other byte is zero" };
  return undefined;
}

/** The length in bytes of the longest valid UTF-8 prefix of `b` (the offset of the first bad byte, or b.length). */
function validPrefix(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // RFC 3629, section 4: the well-formed sequences.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // encoded surrogates (D800–DFFF) are not UTF-8
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += n + 1;
  }
  return i;
}

/** Line and column (1-based; columns count characters) of the end of `prefix`, the text before a position. */
function positionOf(prefix: string): { line: number; column: number } {
  const lines = prefix.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  return { line: lines.length, column: [...lines.at(-1)!].length + 1 };
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");

/**
 * The text of a file's bytes, or the problem that stops it being read as UTF-8 text. A UTF-8 byte order mark is
 * kept (the parsers drop it), so the text's UTF-8 bytes are the file's.
 */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: EncodingProblem } {
  const other = otherEncoding(bytes);
  if (other) return { ok: false, problem: { line: 1, column: 1, offset: 0, message: `this file is ${other.name} (${other.how}); ${SAVE}` } };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = validPrefix(bytes);
    const at = positionOf(new TextDecoder("utf-8").decode(bytes.subarray(0, bad)));
    const shown = Array.from(bytes.subarray(bad, Math.min(bytes.length, bad + 4)), hex).join(" ");
    const latin = bytes[bad]! >= 0xa0 ? " (Latin-1 or Windows-1252 text?)" : "";
    return {
      ok: false,
      problem: { ...at, offset: bad, message: `not UTF-8: the byte at offset ${bad} (${shown}${bad + 4 < bytes.length ? " …" : ""}) does not start a valid UTF-8 character${latin}; ${SAVE}` },
    };
  }
  const zero = text.indexOf("\u0000");
  if (zero >= 0) {
    const offset = new TextEncoder().encode(text.slice(0, zero)).length;
    return { ok: false, problem: { ...positionOf(text.slice(0, zero)), offset, message: `a zero byte at offset ${offset}: this is a binary file, not text` } };
  }
  return { ok: true, text };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string holds half of a UTF-16 surrogate pair on its own (as a `\ud800` escape can write): not text. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** The first string (a key or a value) in parsed JSON data holding a lone surrogate, with its path; undefined if none. */
export function loneSurrogateIn(data: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  // Iterative: the data may be deep.
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: data, path }];
  while (stack.length > 0) {
    const { v, path: p } = stack.pop()!;
    if (typeof v === "string") {
      if (hasLoneSurrogate(v)) return p;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...p, i] }));
    } else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (hasLoneSurrogate(k)) return [...p, k];
        stack.push({ v: x, path: [...p, k] });
      }
    }
  }
  return undefined;
}
