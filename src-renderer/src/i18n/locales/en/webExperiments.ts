/** The Web tab's measured experiments: persistent connections (§2.2.2) and the caching example (§2.2.5), their tables and charts. */
export default {
  run: 'Run',
  running: 'Running…',
  measured: 'measured',
  textbook: 'textbook',
  modes: {
    nonPersistent: 'non-persistent',
    persistent: 'persistent',
    pipelined: 'pipelined',
    parallel: 'parallel, m = {m}',
    parallelShort: 'parallel (m={m})',
  },
  persistence: {
    title: 'Persistent and non-persistent connections (§2.2.2)',
    intro:
      "Fetch {url} and its ten images four ways — one non-persistent connection at a time, m in parallel, one persistent connection, pipelined — with the web server's link delaying each message by RTT/2 each way. The client waits one RTT after connecting: the TCP handshake.",
    mTitle: 'parallel non-persistent connections, as browsers opened',
    parallel: 'parallel',
    largeTitle: "each image replaced by a large object, the web server's link rate-limited: transmission time dominates",
    large: 'large objects',
    object: 'object {done}/{total}',
    connecting: 'connecting',
    largeNote: '{n} objects of {kb} kB over R = {mbps} Mbps: L/R = {ms} ms each, against RTT {rtt} ms. Parallel connections share the link.',
    col: { connections: 'connections', objects: 'objects', conns: 'TCP conns' },
  },
  caching: {
    title: 'The caching example (§2.2.5)',
    intro:
      "An institution's browsers request objects at random (Poisson) through the proxy; every response from an origin server crosses the Internet delay and then the access link, one queue. Traffic intensity on the link is La/R: {rate}·{object} Mbit / {access} Mbps = {intensity}. The same requests are run three ways: the {access} Mbps link, a {fast} Mbps link, and the {access} Mbps link with the cache, which holds the objects {hit} of the requests ask for.",
    requests: 'requests',
    object: 'object',
    access: 'access link',
    or: 'or',
    delay: 'Internet delay',
    hitRate: 'hit rate',
    for: 'for',
    scale:
      "Scaled to fit about {wall} s of wall time, as the swarm is: time runs {factor}× faster (the Internet delay and the gaps between requests halved) and sizes and rates are divided by {divisor} together ({kb} KB objects) — L/R and La/R are the textbook's. Delays are in textbook seconds.",
    answered: '{phase}: {done}/{total} requests answered',
    col: { option: 'option', hitRate: 'hit rate', avg: 'average delay', fifths: 'first → last fifth' },
    summary:
      "{n} requests over {duration} s; the run took {wall} s ({factor}× faster, {bytes}-byte objects). La/R is measured from the bytes that crossed the link, headers included. Measured delays also carry the lab's own work on each request (times {factor} by the scaling): on a busy machine they sit a little above the textbook's.",
  },
  chart: {
    formula: 'textbook formula',
    madeAt: 'request made at (s)',
    delay: 'delay (s)',
    textbookLine: 'textbook, {option}{value}',
  },
};
