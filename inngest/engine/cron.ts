/**
 * Standard 5-field cron (minute hour day-of-month month day-of-week), in UTC
 * like Inngest's default. No cron library is a dependency of this project and
 * this subset is small enough to own; anything outside it is refused at
 * registration rather than scheduled differently from Inngest.
 */
export type CronSchedule = {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  // Vixie cron: when both day fields are restricted, either may match.
  dayOr: boolean;
};

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export class CronError extends Error {}

export function parseCron(expression: string): CronSchedule {
  let source = expression.trim();
  const tz = source.match(/^(?:CRON_)?TZ=(\S+)\s+/);
  if (tz) {
    if (tz[1] !== "UTC" && tz[1] !== "Etc/UTC") throw new CronError(`cron "${expression}": time zones other than UTC are not supported`);
    source = source.slice(tz[0].length);
  }
  source = MACROS[source] ?? source;
  const fields = source.split(/\s+/);
  if (fields.length !== 5) throw new CronError(`cron "${expression}": expected 5 fields (minute hour day month weekday), got ${fields.length}`);
  const [minute, hour, day, month, weekday] = fields;
  const weekdays = parseField(weekday, 0, 7, WEEKDAYS, expression);
  if (weekdays.delete(7)) weekdays.add(0); // 7 is Sunday too
  return {
    minutes: parseField(minute, 0, 59, [], expression),
    hours: parseField(hour, 0, 23, [], expression),
    days: parseField(day, 1, 31, [], expression),
    months: parseField(month, 1, 12, MONTHS, expression),
    weekdays,
    dayOr: !day.startsWith("*") && !weekday.startsWith("*"),
  };
}

function parseField(field: string, min: number, max: number, names: string[], expression: string): Set<number> {
  const values = new Set<number>();
  const value = (token: string) => {
    const index = names.indexOf(token.toUpperCase());
    const number = index >= 0 ? index + (names === MONTHS ? 1 : 0) : /^\d+$/.test(token) ? Number(token) : NaN;
    if (!(number >= min && number <= max)) throw new CronError(`cron "${expression}": "${token}" is out of range ${min}-${max}`);
    return number;
  };
  for (const part of field.split(",")) {
    const match = part.match(/^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/);
    if (!match) throw new CronError(`cron "${expression}": cannot read "${part}"`);
    const [, range, stepText] = match;
    const step = stepText ? Number(stepText) : 1;
    if (step < 1) throw new CronError(`cron "${expression}": step must be at least 1`);
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [min, max];
    else if (range.includes("-")) [from, to] = range.split("-").map(value) as [number, number];
    else [from, to] = [value(range), stepText ? max : value(range)];
    if (from > to) throw new CronError(`cron "${expression}": range "${range}" is backwards`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** The first minute strictly after `after` that the schedule matches. */
export function nextCronTime(schedule: CronSchedule, after: Date): Date {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Jump field by field; five years bounds "31 2 *"-style schedules that never match.
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      return t;
    }
  }
  throw new CronError("cron schedule never matches");
}

function dayMatches(schedule: CronSchedule, t: Date): boolean {
  const day = schedule.days.has(t.getUTCDate());
  const weekday = schedule.weekdays.has(t.getUTCDay());
  return schedule.dayOr ? day || weekday : day && weekday;
}
