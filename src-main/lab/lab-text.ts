/**
 * The English prose the lab core sends to the UI (experiment phases and options, the textbook
 * formula lines, the softphones' log), each with a catalogue key and its parameters beside the
 * text, so the UI can show it in its own language (src-renderer/src/i18n/locales/<lang>/webLab.ts
 * and voipLab.ts). The English text fields stay as they were: the CLI and the tests read them.
 *
 * Every key the lab can send is listed here, with its English template in vue-i18n's syntax
 * (`{name}` placeholders); tests/unit/i18n/lab-text.test.ts checks that the English catalogue
 * says the same, so the two cannot drift.
 */

/** a parameter: a plain value, or a message of its own (translated too) */
export type LabParam = string | number | LabText;

/** a message's catalogue key and its parameters */
export interface LabText {
  key: LabTextKey;
  params?: Record<string, LabParam>;
}

export const LAB_TEXTS = {
  // the persistence experiment (Kurose & Ross §2.2.2): phases and formula lines
  'webLab.phase.nonPersistent': 'non-persistent ({i} of {n})',
  'webLab.phase.parallel': 'parallel, m = {m} ({i} of {n})',
  'webLab.phase.persistent': 'persistent ({i} of {n})',
  'webLab.phase.pipelined': 'pipelined ({i} of {n})',
  'webLab.formula.nonPersistent': '2·RTT per object: 2·({n}+1)·RTT',
  'webLab.formula.parallel': '2·RTT (base) + 2⌈n/m⌉·RTT: 2·(1+⌈{n}/{m}⌉)·RTT',
  'webLab.formula.persistent': 'RTT (set-up) + ({n}+1)·RTT, one per object',
  'webLab.formula.pipelined': 'RTT (set-up) + RTT (base) + ~1 RTT for all objects',
  'webLab.formula.transmission': '{base} + transmission {ms} ms (bytes·8/R)',
  // the caching example (§2.2.5): options, phases and the textbook's delay
  'webLab.option.access': '{mbps} Mbps access link',
  'webLab.option.cache': '{mbps} Mbps link + cache',
  'webLab.phase.option': '{option} ({i} of {n})',
  'webLab.caching.withCache': '{missShare}·{missS} s + {hitShare}·{lanS} s = {totalS} s (La/R = {rho})',
  'webLab.caching.unbounded': 'La/R = {a}·{L} Mbit / {R} Mbps = {rho}: the queue grows without bound, delays of minutes',
  'webLab.caching.bounded': 'La/R = {rho}: {d} s Internet delay + msecs ≈ {missS} s',
  // the softphones' log (VoIP tab; RFC 3261)
  'voipLab.log.proxyDown': 'the SIP proxy is not running',
  'voipLab.log.registerSent': 'REGISTER sent (Expires {expires})',
  'voipLab.log.unregisterSent': 'REGISTER sent (Expires 0: unregister)',
  'voipLab.log.inviteSent': 'INVITE sip:{target} sent, with an SDP offer (RTP to port {port})',
  'voipLab.log.answered': '200 OK sent with the SDP answer: media flows',
  'voipLab.log.declined': 'declined: 486 Busy Here sent',
  'voipLab.log.cancelSent': 'CANCEL sent',
  'voipLab.log.byeSent': 'BYE sent',
  'voipLab.log.noAudio': 'no audio stream in the SDP: no media',
  'voipLab.log.registered': 'registered: 200 OK, the proxy knows {aor} at 127.0.0.1:{port}',
  'voipLab.log.unregistered': 'unregistered: the binding is gone',
  'voipLab.log.registerRefused': 'REGISTER refused: {status} {reason}',
  'voipLab.log.ringing': '{status} {reason}: {peer} is ringing',
  'voipLab.log.established': '200 OK with the SDP answer; ACK sent: media flows',
  'voipLab.log.callFailed': 'call failed: {status} {reason}',
  'voipLab.log.incoming': 'INVITE from {from}: ringing (180 sent)',
  'voipLab.log.callerCancelled': 'the caller cancelled: 487 sent',
  'voipLab.log.byeReceived': 'BYE received: 200 OK sent, call over',
} as const;

export type LabTextKey = keyof typeof LAB_TEXTS;

/** Sample parameters of each key, for the test that compares the lab's English with the catalogue's. */
export const LAB_TEXT_SAMPLES: Record<LabTextKey, Record<string, LabParam>> = {
  'webLab.phase.nonPersistent': { i: 1, n: 4 },
  'webLab.phase.parallel': { m: 5, i: 2, n: 4 },
  'webLab.phase.persistent': { i: 3, n: 4 },
  'webLab.phase.pipelined': { i: 4, n: 4 },
  'webLab.formula.nonPersistent': { n: 10 },
  'webLab.formula.parallel': { n: 10, m: 5 },
  'webLab.formula.persistent': { n: 10 },
  'webLab.formula.pipelined': {},
  'webLab.formula.transmission': { base: { key: 'webLab.formula.persistent', params: { n: 3 } }, ms: 250 },
  'webLab.option.access': { mbps: 15 },
  'webLab.option.cache': { mbps: 15 },
  'webLab.phase.option': { option: { key: 'webLab.option.cache', params: { mbps: 15 } }, i: 3, n: 3 },
  'webLab.caching.withCache': { missShare: '0.6', missS: '2.01', hitShare: '0.4', lanS: '0.01', totalS: '1.21', rho: '0.6' },
  'webLab.caching.unbounded': { a: '15', L: '1', R: '15', rho: '1' },
  'webLab.caching.bounded': { rho: '0.15', d: '2', missS: '2.01' },
  'voipLab.log.proxyDown': {},
  'voipLab.log.registerSent': { expires: 3600 },
  'voipLab.log.unregisterSent': {},
  'voipLab.log.inviteSent': { target: 'bob@voip.example', port: 31852 },
  'voipLab.log.answered': {},
  'voipLab.log.declined': {},
  'voipLab.log.cancelSent': {},
  'voipLab.log.byeSent': {},
  'voipLab.log.noAudio': {},
  'voipLab.log.registered': { aor: 'alice@voip.example', port: 31850 },
  'voipLab.log.unregistered': {},
  'voipLab.log.registerRefused': { status: 403, reason: 'Forbidden' },
  'voipLab.log.ringing': { status: 180, reason: 'Ringing', peer: 'bob@voip.example' },
  'voipLab.log.established': {},
  'voipLab.log.callFailed': { status: 486, reason: 'Busy Here' },
  'voipLab.log.incoming': { from: 'alice@voip.example' },
  'voipLab.log.callerCancelled': {},
  'voipLab.log.byeReceived': {},
};

/** a message by its key */
export function labText(key: LabTextKey, params?: Record<string, LabParam>): LabText {
  return params ? { key, params } : { key };
}

/** The message's English text: its template with the parameters filled in. */
export function labEnglish(m: LabText): string {
  return LAB_TEXTS[m.key].replace(/\{(\w+)\}/g, (all, name: string) => {
    const p = m.params?.[name];
    if (p === undefined) throw new Error(`lab text ${m.key}: no parameter ${name}`);
    return typeof p === 'object' ? labEnglish(p) : String(p);
  });
}
