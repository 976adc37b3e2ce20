const E164 = /^\+[1-9]\d{7,14}$/;

export const isE164 = (s: string) => E164.test(s);

/**
 * Normalises how Indian owners write numbers ("98450 12345", "098450-12345", "+91 98450 12345",
 * "919845012345") to E.164; other countries must already carry their "+". Returns null when it is not a
 * phone number.
 */
export function normalisePhone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return isE164(`+${digits}`) ? `+${digits}` : null;
  const mobile = /^[6-9]\d{9}$/;
  if (mobile.test(digits)) return `+91${digits}`;
  if (digits.length === 11 && digits.startsWith('0') && mobile.test(digits.slice(1)))
    return `+91${digits.slice(1)}`;
  if (digits.length === 12 && digits.startsWith('91') && mobile.test(digits.slice(2))) return `+${digits}`;
  return null;
}
