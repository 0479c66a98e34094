// Where things are in a scenario file's text: a source offset → line:column, and a field's path → the offset
// of its value, its key or its parent in the parsed document (or of its nearest ancestor that the file has).

import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";

/** Lines and columns count from 1; columns count characters. */
export interface Position {
  line: number;
  column: number;
}

/** Turns source offsets into positions: the text (after a byte order mark) and its parse's line counter. */
export function positioner(src: string, lc: LineCounter): (offset: number) => Position {
  return (offset) => {
    const o = Math.max(0, Math.min(offset, src.length));
    const { line } = lc.linePos(o);
    if (line < 1) return { line: 1, column: 1 + [...src.slice(0, o)].length };
    const start = lc.lineStarts[line - 1] ?? 0;
    return { line, column: 1 + [...src.slice(start, o)].length }; // characters, not UTF-16 units
  };
}

export type Locate = (path: readonly PropertyKey[], where: "value" | "key" | "parent") => number;

/** Finds the source offset of the node at a data path, or of its nearest ancestor in the file. */
export function locator(doc: Document): Locate {
  const start = (n: Node | null | undefined): number | undefined => n?.range?.[0];
  const walk = (path: readonly PropertyKey[]) => {
    let node: unknown = doc.contents;
    let best = start(doc.contents as Node | null) ?? 0;
    let pair: Pair | undefined;
    let depth = 0;
    for (const key of path) {
      if (isAlias(node)) node = node.resolve(doc);
      pair = undefined;
      if (isMap(node)) {
        pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number" && key < node.items.length) {
        node = node.items[key];
      } else {
        break;
      }
      depth++;
      const n = node as Node | null;
      const empty = isScalar(n) && n.value === null && n.range && n.range[0] === n.range[1];
      best = (empty ? undefined : start(n)) ?? start(pair?.key as Node | undefined) ?? best;
    }
    return { best, keyOffset: depth === path.length ? start(pair?.key as Node | undefined) : undefined };
  };
  return (path, where) => {
    if (where === "parent") return walk(path.slice(0, -1)).best;
    const w = walk(path);
    return where === "key" ? (w.keyOffset ?? w.best) : w.best;
  };
}
