// Number formatting for reports. JSON numbers are rounded to a fixed number of significant digits so that
// report.json does not depend on the last bits of floating-point arithmetic.

/** Rounds to `digits` significant digits (integers up to 2^53 are kept exact). */
export function sig(x: number, digits = 6): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 53) return x;
  return Number(x.toPrecision(digits));
}

/** Rounds to a number of decimal places. */
export function fixed(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

export const ms = (us: number): number => fixed(us / 1_000, 3);
export const seconds = (us: number): number => fixed(us / 1_000_000, 6);

/** 1234567 → "1,234,567" (locale-independent). */
export function thousands(n: number): string {
  const neg = n < 0;
  const [int, frac] = Math.abs(n).toString().split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (neg ? "-" : "") + grouped + (frac ? `.${frac}` : "");
}

export function pct(x: number, places = 2): string {
  return `${fixed(x, places).toFixed(places)}%`;
}

/** Human duration from microseconds: "850 ms", "1.25 s", "3 min 20 s", "2 h 5 min". */
export function humanDuration(us: number): string {
  if (us < 1_000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${+(us / 1_000).toFixed(1)} ms`;
  const s = us / 1_000_000;
  if (s < 60) return `${+s.toFixed(2)} s`;
  // Round to the smallest unit shown before splitting, so 119.6 s is "2 min", not "1 min 60 s".
  const wholeSeconds = Math.round(s);
  if (wholeSeconds < 3_600) {
    const m = Math.floor(wholeSeconds / 60);
    const r = wholeSeconds - m * 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const wholeMinutes = Math.round(s / 60);
  const h = Math.floor(wholeMinutes / 60);
  const m = wholeMinutes - h * 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Seconds-from-start as h:mm:ss. */
export function clock(us: number): string {
  const total = Math.floor(us / 1_000_000);
  const h = Math.floor(total / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

export function bytesHuman(b: number): string {
  if (b >= 1_073_741_824) return `${+(b / 1_073_741_824).toFixed(2)} GiB`;
  if (b >= 1_048_576) return `${+(b / 1_048_576).toFixed(2)} MiB`;
  if (b >= 1_024) return `${+(b / 1_024).toFixed(2)} KiB`;
  return `${Math.round(b)} B`;
}
