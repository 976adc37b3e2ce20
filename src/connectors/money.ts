/**
 * Rupees to paise from the decimal text, never through a float product (0.29 * 100 is 28.999…). A number
 * from JSON prints back as its shortest exact decimal, so its text is what the vendor sent. Null when the
 * value is not an amount.
 */
export function toPaise(rupees: number | string): number | null {
  const text = typeof rupees === 'number' ? String(rupees) : rupees.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return typeof rupees === 'number' && Number.isFinite(rupees) ? toPaise(rupees.toFixed(3)) : null;
  const fraction = (m[3] ?? '').padEnd(3, '0');
  const paise = Number(m[2]) * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
  return m[1] ? -paise : paise;
}
