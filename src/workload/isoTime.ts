// ISO-8601 timestamps ↔ whole microseconds since 1970-01-01T00:00:00Z, without Date (no wall clock below
// src/cli, and a trace's times must not depend on the machine's time zone). Civil-date arithmetic after
// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).

const MICROS_PER_DAY = 86_400_000_000;

/** 2024-09-26T12:00:00+00:00, …T12:00:00.5Z, …T12:00+02:00, "2024-09-26 12:00:00" (no offset: UTC). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Days from 1970-01-01 to the given civil date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date `days` after 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/**
 * Microseconds since the Unix epoch of an ISO-8601 date-time with an optional offset (`Z`, `+02:00`, `-0530`;
 * none means UTC), or undefined when the text is not one or names an impossible date or time.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const micros = m[7] === undefined ? 0 : Number(m[7].padEnd(6, "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const local = daysFromCivil(year, month, day) * MICROS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
  return local - offsetMinutes * 60_000_000;
}

const two = (n: number) => String(n).padStart(2, "0");

/** `2024-09-26T12:00:00Z` (with `.ffffff` only when the microseconds are not zero). */
export function formatIsoTime(micros: number): string {
  const days = Math.floor(micros / MICROS_PER_DAY);
  const inDay = micros - days * MICROS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const seconds = Math.floor(inDay / 1_000_000);
  const frac = inDay - seconds * 1_000_000;
  const hms = `${two(Math.floor(seconds / 3_600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  return `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}T${hms}${frac ? `.${String(frac).padStart(6, "0")}` : ""}Z`;
}
