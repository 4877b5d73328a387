/**
 * The status lines the P2P services send to the DHT and Overlays views
 * (src-main/lab/p2p/lab-text.ts sends each with its key and parameters beside the English).
 * Keep each EXACTLY as lab-text.ts writes it: tests/unit/i18n/lab-text-dns.test.ts compares them.
 */
export default {
  dht: {
    stopped: 'stopped',
    noService: 'no DHT service',
    storing: 'storing {n} keys',
    peerLeft: 'peer {id} left',
    peerJoined: 'peer {id} joined',
    lookingUp: 'looking up',
    done: 'done: {lookups} lookups, {lost} keys lost',
  },
  overlays: {
    stopped: 'stopped',
    noService: 'no overlays service',
    starting: 'starting {n} peers',
    asking: 'asking {kind}',
    done: 'done: {n} queries over {overlays}',
  },
};
