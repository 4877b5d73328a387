/**
 * The inspector's search speaks the textbook's and the tools' vocabulary as well as its own:
 * summaries say "No such name" (RFC 1035's wording) where dig prints NXDOMAIN. A search word
 * that names a code also finds the words the summaries use for it. Pure: the inspector's
 * filter and the export's query match the same rows.
 */
const SAME_AS: Record<string, string> = {
  // DNS RCODEs (RFC 1035 §4.1.1), as dig and Wireshark print them
  nxdomain: 'no such name',
  servfail: 'server failure',
  formerr: 'format error',
  notimp: 'not implemented',
  noerror: 'no error',
};

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
