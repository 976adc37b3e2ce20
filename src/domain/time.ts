/**
 * A date-time format of one locale and options, made once per time zone: building one costs far more than
 * using it, and every turn formats several dates. Declared once per use, so a call only looks up the zone.
 */
export function zonedFormat(
  locale: string,
  options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>,
): (timeZone: string) => Intl.DateTimeFormat {
  const byZone = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let f = byZone.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      byZone.set(timeZone, f);
    }
    return f;
  };
}

// en-CA formats as YYYY-MM-DD.
const dayFormat = zonedFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return dayFormat(timeZone).format(instant);
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A calendar date moved by whole days (no time zone involved: dates are dates). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
