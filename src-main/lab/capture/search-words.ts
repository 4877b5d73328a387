/**
 * The inspector's search speaks the textbook's and the tools' vocabulary as well as its own:
 * summaries say "No such name" (RFC 1035's wording) where dig prints NXDOMAIN. A search word
 * that names a code also finds the words the summaries use for it. Pure: the inspector's
 * filter and the export's query match the same rows.
 */
import { RCODE_TEXT } from '../dns/rcode-text';

/** a code as dig and Wireshark print it (NXDOMAIN …) → the words the summaries use for it */
const SAME_AS: Record<string, string> = Object.fromEntries(
  Object.entries(RCODE_TEXT)
    .filter(([code, words]) => code.toLowerCase() !== words.toLowerCase())
    .map(([code, words]) => [code.toLowerCase(), words.toLowerCase()]),
);

/** A case-blind predicate on summaries for a search text. */
export function summaryMatcher(text: string): (summary: string) => boolean {
  const needle = text.trim().toLowerCase();
  const also = SAME_AS[needle];
  if (!also) return (s) => s.toLowerCase().includes(needle);
  return (s) => {
    const l = s.toLowerCase();
    return l.includes(needle) || l.includes(also);
  };
}
