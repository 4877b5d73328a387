/**
 * The program checks' accounts of a run (K&R chapter 2's socket programming assignments) as
 * catalogue messages (src-main/lab/lab-text.ts explains): each names what the checker tried and
 * what went wrong. What came over the wire, a sentence sent, a status line, a program's error
 * output, are parameters, shown as they were; a mail address is a parameter too ('@' is special
 * in the catalogues' syntax).
 */
import type { LabTextEntry } from '../../lab-text';

/** the request's form, as the assignment writes it (a parameter: '<' would read as HTML in a catalogue) */
export const PING_FORM = 'Ping <sequence number> <time>';

const tail = { key: 'checkLab.program.errorTail', params: { tail: 'ConnectionRefusedError: [Errno 111] Connection refused' } };

export const PROGRAM_LAB_TEXT = {
  // the UDP pinger (assignment 2): the link loses a share of the datagrams
  'checkLab.ping.echoDown': { en: () => "The lab's UDP echo is not running: start it in the service rail, then run the check again.", example: {} },
  'checkLab.ping.onePing': { en: () => '1 ping', example: {} },
  'checkLab.ping.pings': { en: (p) => `${p.n} pings`, example: { n: 10 } },
  'checkLab.ping.oneLine': { en: () => '1 line', example: {} },
  'checkLab.ping.lines': { en: (p) => `${p.n} lines`, example: { n: 9 } },
  'checkLab.ping.request': { en: () => 'request', example: {} },
  'checkLab.ping.reply': { en: () => 'reply', example: {} },
  'checkLab.ping.intro': {
    en: (p) => `Your pinger ran against the lab's UDP echo with ${p.loss} % loss on the link and sent ${p.sent}`,
    example: { loss: 30, sent: { key: 'checkLab.ping.pings', params: { n: 10 } } },
  },
  'checkLab.ping.exitCode': { en: (p) => ` It ended with exit code ${p.code}.`, example: { code: 1 } },
  'checkLab.ping.noneSent': {
    en: (p) => `${p.intro}: no datagram of the form "${p.form}" reached the link.${p.exit}${p.tail}`,
    example: { form: 'Ping <sequence number> <time>', intro: { key: 'checkLab.ping.intro', params: { loss: 30, sent: { key: 'checkLab.ping.pings', params: { n: 0 } } } }, exit: { key: 'checkLab.ping.exitCode', params: { code: 1 } }, tail },
  },
  'checkLab.ping.badFormat': {
    en: (p) => `${p.intro}, but a request does not read "${p.form}" (see the first datagrams of the run in the inspector).`,
    example: { intro: 'Your pinger …', form: 'Ping <sequence number> <time>' },
  },
  'checkLab.ping.stuckWhy': {
    en: (p) =>
      ` Ping ${p.seq}'s ${p.which} was lost on the link, and your program kept waiting for a reply that could not come: give the socket a timeout of one second so the wait ends with "Request timed out".`,
    example: { seq: 3, which: { key: 'checkLab.ping.request' } },
  },
  'checkLab.ping.stuck': {
    en: (p) => `${p.intro}, but was still running after ${p.s} s and was stopped.${p.why}`,
    example: { intro: 'Your pinger …', s: 20, why: { key: 'checkLab.ping.stuckWhy', params: { seq: 3, which: { key: 'checkLab.ping.reply' } } } },
  },
  'checkLab.ping.count': { en: (p) => `${p.intro}; the check asked for ${p.pings} (NETLAB_PINGS).`, example: { intro: 'Your pinger …', pings: 10 } },
  'checkLab.ping.printed': {
    en: (p) => `${p.intro} and printed ${p.lines}: print exactly one line per ping, its RTT or "Request timed out".${p.tail}`,
    example: { intro: 'Your pinger …', lines: { key: 'checkLab.ping.lines', params: { n: 9 } }, tail: '' },
  },
  'checkLab.ping.wrongLost': {
    en: (p) => `ping ${p.seq}: its ${p.which} was lost on the link, yet your line says "${p.line}"`,
    example: { seq: 4, which: { key: 'checkLab.ping.reply' }, line: 'RTT 0.31 ms' },
  },
  'checkLab.ping.wrongTimedOut': { en: (p) => `ping ${p.seq}: its reply came back, yet your line says it timed out`, example: { seq: 5 } },
  'checkLab.ping.mismatchOne': {
    en: (p) => `${p.intro}. 1 line does not match what the link did — ${p.wrong}${p.more}.`,
    example: { intro: 'Your pinger …', wrong: { key: 'checkLab.ping.wrongTimedOut', params: { seq: 5 } }, more: '' },
  },
  'checkLab.ping.mismatch': {
    en: (p) => `${p.intro}. ${p.n} lines do not match what the link did — ${p.wrong}${p.more}.`,
    example: { intro: 'Your pinger …', n: 6, wrong: { key: 'checkLab.list', params: { a: 'ping 1: …', b: 'ping 2: …' } }, more: '; …' },
  },
  'checkLab.ping.noLoss': {
    en: (p) => `${p.intro}, and this time the link lost none of them, so the timeout was not put to the test: run the check again.`,
    example: { intro: 'Your pinger …' },
  },
  'checkLab.ping.passedOne': {
    en: (p) => `${p.intro}. The link lost 1 (ping ${p.seqs}); your program printed "Request timed out" for exactly those and an RTT for the other ${p.rest}.`,
    example: { intro: 'Your pinger …', seqs: '7', rest: 9 },
  },
  'checkLab.ping.passed': {
    en: (p) => `${p.intro}. The link lost ${p.lost} (pings ${p.seqs}); your program printed "Request timed out" for exactly those and an RTT for the other ${p.rest}.`,
    example: { intro: 'Your pinger …', lost: 3, seqs: '2, 5, 9', rest: 7 },
  },
  // the TCP server (§2.7.2): each sentence back in capitals
  'checkLab.tcp.intro': { en: (p) => `The checker connected to your TCP server through the lab ${p.n} times, one sentence each`, example: { n: 3 } },
  'checkLab.tcp.failed': { en: (p) => `"${p.sentence}": the connection failed (${p.error})`, example: { sentence: 'hello from the checker', error: 'connect ECONNREFUSED 127.0.0.1:12000' } },
  'checkLab.tcp.silentTimeout': { en: (p) => `"${p.sentence}": nothing came back (no answer within 5 s)`, example: { sentence: 'sockets are doors' } },
  'checkLab.tcp.silentClosed': { en: (p) => `"${p.sentence}": nothing came back (the server closed the connection)`, example: { sentence: 'sockets are doors' } },
  'checkLab.tcp.cameBack': { en: (p) => `"${p.sentence}": came back as "${p.got}"`, example: { sentence: 'run 1f2e3d4c', got: 'run 1f2e3d4c' } },
  'checkLab.tcp.failedAll': {
    en: (p) => `${p.intro}; not every sentence came back in capitals: ${p.problems}.${p.tail}`,
    example: { intro: { key: 'checkLab.tcp.intro', params: { n: 3 } }, problems: { key: 'checkLab.tcp.cameBack', params: { sentence: 'a', got: 'a' } }, tail: '' },
  },
  'checkLab.tcp.passed': { en: (p) => `${p.intro}; each came back in capitals.`, example: { intro: { key: 'checkLab.tcp.intro', params: { n: 3 } } } },
  // the web server (assignment 1): a page that is there, one that is not
  'checkLab.http.began': { en: (p) => `it began "${p.text}"`, example: { text: 'HTTP/1.1 200 OK⏎Content-Type: text/html' } },
  'checkLab.http.nothing': { en: () => 'nothing came back', example: {} },
  'checkLab.http.nothingIn10': { en: () => 'nothing within 10 s', example: {} },
  'checkLab.web.intro': { en: () => 'The checker fetched a page it had put in programs/www and a page that is not there, through the lab', example: {} },
  'checkLab.web.noResponse': { en: (p) => `GET ${p.path} got no HTTP response (${p.why})`, example: { path: '/NetLabCheck.html', why: { key: 'checkLab.http.nothing' } } },
  'checkLab.web.not200': {
    en: (p) => `GET ${p.path} (the file is in programs/www) was answered "${p.status}", not 200 OK`,
    example: { path: '/NetLabCheck.html', status: 'HTTP/1.1 404 Not Found' },
  },
  'checkLab.web.wrongBody': {
    en: (p) => `GET ${p.path} was answered 200, but the body (${p.got} bytes) is not the file's ${p.want} bytes`,
    example: { path: '/NetLabCheck.html', got: 0, want: 131 },
  },
  'checkLab.web.not404': {
    en: (p) => `GET ${p.path} (no such file) was answered "${p.status}", not 404 Not Found`,
    example: { path: '/no-such-page-1f2e.html', status: 'HTTP/1.1 200 OK' },
  },
  'checkLab.web.failed': { en: (p) => `${p.intro}: ${p.problems}.${p.tail}`, example: { intro: { key: 'checkLab.web.intro' }, problems: 'GET …', tail } },
  'checkLab.web.passed': { en: (p) => `${p.intro}: 200 OK with the file's bytes, then 404 Not Found.`, example: { intro: { key: 'checkLab.web.intro' } } },
  // the web proxy (assignment 4; §2.2.5): the second answer from the cache
  'checkLab.proxy.originDown': { en: () => "The lab's web server (the origin) is not running: start it in the service rail, then run the check again.", example: {} },
  'checkLab.proxy.noAnswer': { en: () => 'no answer', example: {} },
  'checkLab.proxy.noObject': {
    en: (p) => `The lab's web server does not serve ${p.url} (${p.status}): the lab file names an object that is not there.`,
    example: { url: 'http://gaia.cs.umass.edu/nothing.html', status: 'HTTP/1.1 404 Not Found' },
  },
  'checkLab.proxy.first': { en: () => 'first', example: {} },
  'checkLab.proxy.second': { en: () => 'second', example: {} },
  'checkLab.proxy.noResponse': { en: (p) => `the ${p.which} request got no HTTP response (${p.why})`, example: { which: { key: 'checkLab.proxy.first' }, why: { key: 'checkLab.http.nothingIn10' } } },
  'checkLab.proxy.notOk': { en: (p) => `the ${p.which} request was answered "${p.status}", not 200 OK`, example: { which: { key: 'checkLab.proxy.second' }, status: 'HTTP/1.1 502 Bad Gateway' } },
  'checkLab.proxy.wrongBody': {
    en: (p) => `the ${p.which} answer's body (${p.got} bytes) is not the object's ${p.want} bytes`,
    example: { which: { key: 'checkLab.proxy.second' }, got: 12, want: 128 },
  },
  'checkLab.proxy.neverAtOrigin': {
    en: () => "the lab's web server never saw a request for it: your proxy must fetch it from the origin the first time",
    example: {},
  },
  'checkLab.proxy.twiceAtOrigin': {
    en: (p) => `the lab's web server saw ${p.n} requests for it: the second must come from your proxy's cache, not the origin`,
    example: { n: 2 },
  },
  'checkLab.proxy.intro': { en: (p) => `The checker asked your proxy twice for GET ${p.path} on ${p.host}`, example: { path: '/wireshark-labs/HTTP-wireshark-file1.html?netlab-run=1f', host: 'gaia.cs.umass.edu' } },
  'checkLab.proxy.failed': { en: (p) => `${p.intro}: ${p.problems}.${p.tail}`, example: { intro: 'The checker asked …', problems: { key: 'checkLab.proxy.neverAtOrigin' }, tail: '' } },
  'checkLab.proxy.passed': {
    en: (p) => `${p.intro}: both answers carried the object, and the origin saw one request — the second came from your cache.`,
    example: { intro: 'The checker asked …' },
  },
  // the SMTP client (assignment 3; §2.3.1): a message into bob's Maildir
  'checkLab.smtp.mxDown': { en: () => "mail.hamburger.edu's mail server is not running: start it in the service rail, then run the check again.", example: {} },
  'checkLab.smtp.stopped': {
    en: () => ' It was still running after 20 s and was stopped (is it waiting for a reply that was already read, or for one that never comes?).',
    example: {},
  },
  'checkLab.smtp.noConnection': {
    en: (p) => `Your SMTP client made no connection to mail.hamburger.edu's mail server.${p.stopped}${p.tail}`,
    example: { stopped: { key: 'checkLab.smtp.stopped' }, tail },
  },
  'checkLab.smtp.noCommands': { en: () => '(no commands)', example: {} },
  'checkLab.smtp.intro': { en: (p) => `Your SMTP client's dialogue with mail.hamburger.edu: ${p.steps}`, example: { steps: 'banner → 220, HELO → 250, MAIL → 250' } },
  'checkLab.smtp.noData': {
    en: (p) => `${p.intro}. There is no DATA, so no message was handed over; bob's mailbox got nothing.${p.stopped}${p.tail}`,
    example: { intro: { key: 'checkLab.smtp.intro', params: { steps: 'banner → 220' } }, stopped: '', tail: '' },
  },
  'checkLab.smtp.notArrived': {
    en: (p) => `${p.intro}. No new message reached bob's mailbox: read each reply — a code other than the one the assignment expects says what went wrong.${p.stopped}${p.tail}`,
    example: { intro: { key: 'checkLab.smtp.intro', params: { steps: 'RCPT → 550' } }, stopped: '', tail: '' },
  },
  'checkLab.smtp.subject': { en: (p) => ` ("${p.subject}")`, example: { subject: 'Hello from my client' } },
  'checkLab.smtp.arrived': {
    en: (p) => `${p.intro}. ${p.mailbox}'s mailbox received the message${p.subject}.${p.stopped}`,
    example: { intro: { key: 'checkLab.smtp.intro', params: { steps: 'DATA → 354' } }, mailbox: 'bob@hamburger.edu', subject: { key: 'checkLab.smtp.subject', params: { subject: 'Hi' } }, stopped: '' },
  },
} satisfies Record<string, LabTextEntry>;
