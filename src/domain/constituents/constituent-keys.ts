import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * How a person's details are compared, whichever way they were written: a name without case,
 * spaces, punctuation or accents ("Seán O'Brien" = "sean obrien"), an email without case, and a
 * phone number in E.164 form, read as a UK number unless it says otherwise
 * ("07700 900123" = "+44 7700 900123"). The keys are stored beside the details as written.
 */
export interface ConstituentKeys {
  nameKey: string;
  emailKey: string | null;
  phoneKey: string | null;
}

export function nameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

export function emailKey(email: string | null | undefined): string | null {
  const key = email?.trim().toLowerCase();
  return key ? key : null;
}

/** A phone number as E.164 when it reads as one (UK by default); otherwise its digits, so spacing still does not matter. */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone?.trim()) return null;
  const parsed = parsePhoneNumberFromString(phone, "GB");
  if (parsed?.isPossible()) return parsed.number;
  const digits = phone.replace(/\D/g, "");
  return digits ? digits : null;
}

export function constituentKeys(person: { name: string; email?: string | null; phone?: string | null }): ConstituentKeys {
  return { nameKey: nameKey(person.name), emailKey: emailKey(person.email), phoneKey: phoneKey(person.phone) };
}

/** The keys a search text could be: a whole email, a phone number, or a name. */
export function searchKeys(text: string): { emailKey: string | null; phoneKey: string | null; nameKey: string } {
  const trimmed = text.trim();
  const looksLikePhone = /^[+\d][\d\s().-]{5,}$/.test(trimmed);
  return {
    emailKey: trimmed.includes("@") ? emailKey(trimmed) : null,
    phoneKey: looksLikePhone ? phoneKey(trimmed) : null,
    nameKey: nameKey(trimmed),
  };
}
