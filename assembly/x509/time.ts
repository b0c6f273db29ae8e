// Certificate times (RFC 5280 4.1.2.5): UTCTime "YYMMDDHHMMSSZ" (YY < 50 is 20YY, else 19YY) and
// GeneralizedTime "YYYYMMDDHHMMSSZ", in exactly those forms: seconds present, "Z" present, no
// fractional seconds, no time-zone offsets, every field in range (month 1-12, the real number of
// days in the month, hour 0-23, minute 0-59, second 0-59; no leap second). Both encodings are
// accepted for any year (RFC 5280 asks CAs to use UTCTime through 2049; verifiers such as webpki
// and Go accept either, and so do we).
//
// Times are Unix seconds (i64), the unit of the TLS layer's wall clock.
import { Reader, TAG_UTC_TIME, TAG_GENERALIZED_TIME } from "./der";

/** Days since 1970-01-01 of a proleptic Gregorian date (valid for any year 0..9999). */
export function daysFromCivil(y: i32, m: i32, d: i32): i64 {
  // Shift the year to start in March so the leap day is the last day of the "year".
  const yy = m <= 2 ? y - 1 : y;
  const era = yy / 400; // yy >= -1 here, and -1 / 400 == 0 in integer division: fine for y >= 0
  const yoe = yy - era * 400; // [0, 399]
  const mp = m > 2 ? m - 3 : m + 9; // March = 0
  const doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
  return <i64>era * 146097 + <i64>doe - 719468;
}

function isLeap(y: i32): bool {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return isLeap(y) ? 29 : 28;
  if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
  return 31;
}

/** n decimal digits at r.pos + off; -1 if any is not a digit. */
function digits(r: Reader, off: i32, n: i32): i32 {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = r.byteAt(off + i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/** Sentinel for a time that did not parse. */
export const BAD_TIME: i64 = i64.MIN_VALUE;

/**
 * Reads a UTCTime or GeneralizedTime element from r and returns Unix seconds, or BAD_TIME (and
 * fails the parse) when the element is missing or not in the strict form.
 */
export function readTime(r: Reader): i64 {
  const tag = r.peekTag();
  if (tag != TAG_UTC_TIME && tag != TAG_GENERALIZED_TIME) {
    r.fail("expected UTCTime or GeneralizedTime");
    return BAD_TIME;
  }
  const t = r.readAny();
  const v = parseTimeContent(t, tag);
  if (v == BAD_TIME) t.fail(tag == TAG_UTC_TIME ? "UTCTime not in the form YYMMDDHHMMSSZ" : "GeneralizedTime not in the form YYYYMMDDHHMMSSZ");
  return v;
}

/** The time in r's content (tag says which encoding), or BAD_TIME. Does not fail the parse. */
export function parseTimeContent(r: Reader, tag: i32): i64 {
  if (r.failed) return BAD_TIME;
  let year = 0;
  let off = 0;
  if (tag == TAG_UTC_TIME) {
    if (r.remaining != 13) return BAD_TIME;
    const yy = digits(r, 0, 2);
    if (yy < 0) return BAD_TIME;
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    off = 2;
  } else if (tag == TAG_GENERALIZED_TIME) {
    if (r.remaining != 15) return BAD_TIME;
    year = digits(r, 0, 4);
    if (year < 0) return BAD_TIME;
    off = 4;
  } else {
    return BAD_TIME;
  }
  const month = digits(r, off, 2);
  const day = digits(r, off + 2, 2);
  const hour = digits(r, off + 4, 2);
  const minute = digits(r, off + 6, 2);
  const second = digits(r, off + 8, 2);
  if (r.byteAt(off + 10) != 0x5a) return BAD_TIME; // 'Z'
  if (month < 1 || month > 12) return BAD_TIME;
  if (day < 1 || day > daysInMonth(year, month)) return BAD_TIME;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return BAD_TIME;
  return daysFromCivil(year, month, day) * 86400 + <i64>(hour * 3600 + minute * 60 + second);
}

function pad2(v: i32): string {
  return v < 10 ? "0" + v.toString() : v.toString();
}

/** "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds (years 0..9999). */
export function formatTime(t: i64): string {
  let days = t / 86400;
  let secs = <i32>(t - days * 86400);
  if (secs < 0) { secs += 86400; days--; }
  // Inverse of daysFromCivil.
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = <i32>(z - era * 146097);
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = <i32>(<i64>yoe + era * 400) + (m <= 2 ? 1 : 0);
  let ys = y.toString();
  while (ys.length < 4) ys = "0" + ys;
  return ys + "-" + pad2(m) + "-" + pad2(d) + "T" + pad2(secs / 3600) + ":" + pad2((secs / 60) % 60) + ":" + pad2(secs % 60) + "Z";
}
