/**
 * The sentences the DNS lab core writes (src-main/lab/dns/lab-text.ts sends each with its key
 * and parameters beside the English text). Keep each EXACTLY as lab-text.ts writes it: a unit
 * test (tests/unit/i18n/lab-text.test.ts) compares them.
 */
export default {
  step: {
    cached: 'in the cache (TTL {ttl} s left): {what}',
    cachedHit: 'in the cache (TTL {ttl} s left)',
    chainStopped: 'the chain stopped with a referral to {zone}: the local server goes on iteratively from there',
    cachedAlias: 'in the cache (TTL {ttl} s left): {name} is an alias of {target}',
    notSent: '{question}? — not sent: the referral is in the cache',
    cachedReferral: 'from the cache (TTL {ttl} s left): referral to {zone}: NS {ns}',
    cachedReferralGlue: 'from the cache (TTL {ttl} s left): referral to {zone}: NS {ns}; glue {glue}',
    query: '{question}? (no recursion)',
    queryRecursive: '{question}? (recursion desired)',
    noReply: 'no reply: {error}',
    noGlue: 'the servers of {zone} are known by name only ({host}, no glue): resolving {host} first',
    glueFound: '{host} is at {addresses}: back to {question}, asking the servers of {zone}',
  },
  reply: {
    nxdomain: 'NXDOMAIN: no such name',
    nodata: 'NODATA: the name has no record of that type',
    rcode: '{rcode}',
    answer: 'answer: {records}',
    answerAuthoritative: 'answer (authoritative): {records}',
    referral: 'referral to {zone}: NS {ns}',
    referralGlue: 'referral to {zone}: NS {ns}; glue {glue}',
    truncated: '{reply} (the UDP reply was truncated: asked again over TCP)',
  },
};
