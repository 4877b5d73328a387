/** The DNS tab: resolutions, the local server's cache, the zone files, the hierarchy, the guide. */
export default {
  panes: 'dns panes',
  tabs: { resolve: 'Resolution', cache: 'Cache', zones: 'Zones', hierarchy: 'Hierarchy', guide: 'Guide: registering a domain' },
  /** the parties of the textbook's figures 2.19/2.20 */
  party: {
    host: 'requesting host',
    local: 'local DNS server',
    root: 'root DNS server',
    tld: 'TLD DNS server',
    auth: 'authoritative DNS server',
  },
  resolve: {
    name: 'Name',
    type: 'Type',
    askTitle: 'Ask the local DNS server, iteratively and recursively',
    resolving: 'Resolving…',
    resolve: 'Resolve',
    badName: '“{name}” is not a domain name: labels of letters, digits, - and _, separated by dots (gaia.cs.umass.edu).',
    hint: 'Both columns start from the same cache; resolve again to see cache hits skip steps. Click a step to see its message in the inspector.',
    empty:
      "Type a lab name (gaia.cs.umass.edu, www.networkutopia.com, crepes.fr with MX …) and press Resolve: the lab's requesting host asks the local DNS server, which walks the hierarchy — root, TLD, authoritative — with real messages you can open in the inspector.",
    iterative: 'Iterative',
    iterativeFigure: 'Kurose & Ross Figure 2.19',
    iterativeWhat: 'the local server asks root, TLD and authoritative servers in turn; each refers it further',
    recursive: 'Recursive',
    recursiveFigure: 'Kurose & Ross Figure 2.20',
    recursiveWhat: "each server asks the next one on the local server's behalf and passes the answer back",
    result: '{n} messages, {ms} ms',
  },
  diagram: {
    label: 'resolution diagram',
    notSent: ' (not sent: from the cache)',
  },
  step: {
    subTitle: "Finding a name server's address. ",
    showTitle: 'Show this message in the inspector',
    cachedTitle: "Answered from the local server's cache: no message was sent",
    notSent: 'not sent',
    skipped: 'skipped — ',
  },
  cache: {
    intro: '{n} entries in the local DNS server\'s cache. Answers are kept for their TTL; "no such name" for the zone\'s SOA minimum (RFC 2308).',
    flushTitle: "Empty the local DNS server's cache: the next lookup walks from the root again",
    flush: 'Flush cache',
    col: { name: 'Name', type: 'Type', ttl: 'TTL left', source: 'Learnt from', data: 'Data' },
    source: { answer: 'answer', referral: 'referral', glue: 'glue', negative: 'negative answer' },
    empty: 'Empty. Resolve a name, or type {command} in a terminal.',
  },
  zones: {
    discard: 'Discard the unsaved changes to this zone?',
    zoneTitle: '{file} — {n} records',
    zoneTitleMine: '{file} — {n} records, your copy',
    mine: 'your edited copy',
    lineError: 'line {line}: {message}',
    resetTitle: 'Delete your copy and serve the shipped zone again',
    reset: 'Reset',
    saveTitle: 'Validate and save (Ctrl+S)',
    save: 'Save',
    migrated: 'When it started, the lab looked over your copy:',
    saved: 'Saved. The servers answer from it now; the local server\'s cache was flushed.',
    savedWarnings:
      'Saved, with {n} warning: see the marked line. The servers answer from it now. | Saved, with {n} warnings: see the marked lines. The servers answer from it now.',
    shipped: 'Back to the shipped zone.',
  },
  hierarchy: {
    label: 'The DNS hierarchy',
    intro:
      "Every server is a real listener on 127.0.0.1 (UDP and TCP). Inside the lab each carries the address the textbook gives it: a resolver reaching {address} port 53 is routed to the root server's real port. Real clients use the real port: {command}.",
    root: 'Root',
    tld: 'Top-level domain (TLD)',
    auth: 'Authoritative',
    local: 'Local DNS server',
    zones: 'zones:',
  },
  guide: {
    title: 'Inserting records into the DNS: Network Utopia registers networkutopia.com',
    intro:
      "Kurose & Ross §2.4.3. {start} takes the lab back to the day before the registration: the com TLD server knows nothing of networkutopia.com, and the company's own server (dns1.networkutopia.com, 212.212.212.1) holds only its own records. Then play the registrar and the company in the zone editor; each step ticks when the zones say it is done. Saving a zone takes effect at once.",
    startWord: 'Start',
    start: 'Start: before the registration',
    check: 'Check',
    restoreTitle: 'Put the shipped com and networkutopia.com zones back',
    restore: 'Restore the shipped zones',
    pending: 'Not started: the shipped zones are the day after the registration. Press {start} to begin.',
    edit: 'edit {file}',
    confirmStart:
      'Start replaces your edited {files} with the day before the registration; your changes to it are lost.\n\nStart anyway? | Start replaces your edited {files} with the day before the registration; your changes to them are lost.\n\nStart anyway?',
    and: ' and ',
    /** the steps' titles by id (the lab sends them in English: src-main/lab/dns/guide.ts) */
    steps: {
      ns: 'The registrar puts an NS record into the com TLD servers',
      glue: '… and a type A record for that server (glue)',
      www: 'The company puts a type A record for its web server into its own server',
      mx: '… and a type MX record for its mail server',
      resolve: 'Anyone can now find www.networkutopia.com',
    },
  },
};
