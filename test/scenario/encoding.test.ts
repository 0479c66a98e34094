// decodeUtf8: UTF-8 text (RFC 3629) or the first thing that stops it, at its byte offset, line and column.
// The byte sequences are the RFC's own examples and table of well-formed sequences.

import { describe, expect, it } from "vitest";
import { decodeUtf8, hasLoneSurrogate, loneSurrogateIn } from "../../src/scenario/encoding.js";

const b = (...xs: (number | string)[]) => Uint8Array.from(xs.flatMap((x) => (typeof x === "string" ? [...Buffer.from(x, "utf8")] : [x])));
const problem = (bytes: Uint8Array) => {
  const r = decodeUtf8(bytes);
  return r.ok ? undefined : r.problem;
};

describe("decodeUtf8", () => {
  it("reads UTF-8 text, with 2-, 3- and 4-byte characters (RFC 3629 section 7's examples), and keeps a byte order mark", () => {
    // "A≢Α." = 41 E2 89 A2 CE 91 2E; 日本語 = E6 97 A5 E6 9C AC E8 AA 9E; U+233B4 = F0 A3 8E B4.
    expect(decodeUtf8(b(0x41, 0xe2, 0x89, 0xa2, 0xce, 0x91, 0x2e))).toEqual({ ok: true, text: "A\u2262\u0391." });
    expect(decodeUtf8(b(0xe6, 0x97, 0xa5, 0xe6, 0x9c, 0xac, 0xe8, 0xaa, 0x9e))).toEqual({ ok: true, text: "日本語" });
    expect(decodeUtf8(b(0xef, 0xbb, 0xbf, 0xf0, 0xa3, 0x8e, 0xb4))).toEqual({ ok: true, text: "\uFEFF\u{233B4}" });
  });

  it.for([
    ["a Latin-1 é (E9) on line 2", b("name: x\ndescription: caf", 0xe9, "\n"), 2, 17, 24, "(E9 0A) does not start a valid UTF-8 character (Latin-1 or Windows-1252 text?)"],
    ["an encoded surrogate (ED A0 80, CESU-8)", b("ab", 0xed, 0xa0, 0x80), 1, 3, 2, "(ED A0 80)"],
    ["an overlong slash (C0 AF)", b(0xc0, 0xaf), 1, 1, 0, "(C0 AF)"],
    ["an overlong 3-byte form (E0 80 AF)", b("x", 0xe0, 0x80, 0xaf), 1, 2, 1, "(E0 80 AF)"],
    ["past U+10FFFF (F4 90 80 80)", b(0xf4, 0x90, 0x80, 0x80), 1, 1, 0, "(F4 90 80 80)"],
    ["a lone continuation byte (80), after a 2-byte character", b("é", 0x80), 1, 2, 2, "(80)"],
    ["a character cut off at the end (E2 82)", b("€ ok\r\n", 0xe2, 0x82), 2, 1, 8, "(E2 82)"],
  ] as const)("refuses %s at its offset, line and column", ([, bytes, line, column, offset, shown]) => {
    const p = problem(bytes)!;
    expect([p.line, p.column, p.offset]).toEqual([line, column, offset]);
    expect(p.message).toContain(`not UTF-8: the byte at offset ${offset} ${shown}`);
  });

  it.for([
    ["UTF-16LE", b(0xff, 0xfe, 0x6e, 0x00), "UTF-16LE (it starts with the byte order mark FF FE)"],
    ["UTF-16BE", b(0xfe, 0xff, 0x00, 0x6e), "UTF-16BE (it starts with the byte order mark FE FF)"],
    ["UTF-32LE", b(0xff, 0xfe, 0x00, 0x00, 0x6e, 0, 0, 0), "UTF-32LE (it starts with the byte order mark FF FE 00 00)"],
    ["UTF-32BE", b(0, 0, 0xfe, 0xff, 0, 0, 0, 0x6e), "UTF-32BE (it starts with the byte order mark 00 00 FE FF)"],
    ["UTF-16LE without a mark", b(0x6e, 0, 0x61, 0), "UTF-16LE (every other byte is zero)"],
    ["UTF-16BE without a mark", b(0, 0x6e, 0, 0x61), "UTF-16BE (every other byte is zero)"],
    ["UTF-32LE without a mark", b(0x6e, 0, 0, 0, 0x61, 0, 0, 0), "UTF-32LE (every character takes four bytes, three of them zero)"],
  ] as const)("names %s and says to save the file as UTF-8", ([, bytes, name]) => {
    expect(problem(bytes)).toEqual({ line: 1, column: 1, offset: 0, message: `this file is ${name}; save it as UTF-8` });
  });

  it("refuses a zero byte (a binary file) at its offset", () => {
    expect(problem(b("time,records\n0,1", 0, "\n"))).toEqual({ line: 2, column: 4, offset: 16, message: "a zero byte at offset 16: this is a binary file, not text" });
  });
});

describe("lone surrogates", () => {
  it("a pair is text; either half alone is not", () => {
    expect(hasLoneSurrogate("\uD83D\uDE00")).toBe(false);
    expect(hasLoneSurrogate("a\uD83D")).toBe(true);
    expect(hasLoneSurrogate("\uDE00b")).toBe(true);
    expect(hasLoneSurrogate("\uDE00\uD83D")).toBe(true);
  });

  it("loneSurrogateIn names the path of the string (a key or a value) that holds one", () => {
    expect(loneSurrogateIn({ a: [1, "ok", { b: "x\uD800" }] })).toEqual(["a", 2, "b"]);
    expect(loneSurrogateIn({ ok: { "\uDC00": 1 } })).toEqual(["ok", "\uDC00"]);
    expect(loneSurrogateIn({ a: ["\uD83D\uDE00"] })).toBeUndefined();
  });
});
