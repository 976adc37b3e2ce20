const E164 = /^\+[1-9]\d{7,14}$/;

export const isE164 = (s: string) => E164.test(s);

/** An Indian national number (mobile or landline with area code, 10 digits), with or without the trunk 0. */
function indian(national: string): string | null {
  const n = national.startsWith('0') ? national.slice(1) : national;
  return /^[1-9]\d{9}$/.test(n) ? `+91${n}` : null;
}

/**
 * Normalises how Indian owners write numbers ("98450 12345", "098450-12345", "+91 98450 12345",
 * "+91 (0) 98450 12345", "0091 98450 12345", "022 2345 6789") to E.164. Other countries need their
 * "+" or "00". Returns null when it is not a phone number.
 */
export function normalisePhone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  let international = trimmed.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (international) {
    if (digits.startsWith('91')) return indian(digits.slice(2));
    return isE164(`+${digits}`) ? `+${digits}` : null;
  }
  if (digits.length === 12 && digits.startsWith('91')) return indian(digits.slice(2));
  return indian(digits);
}
