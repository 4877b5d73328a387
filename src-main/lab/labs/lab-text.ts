/**
 * A lab session's verdicts as catalogue messages (src-main/lab/lab-text.ts explains): the "why"
 * under a check's ✓ or ○ — state checks (state-checks.ts), answers (answers.ts), a program
 * check that could not run (program-check.ts, programs/program-session.ts). What the student or
 * the lab named (a URL, a subject, a zone, an error from the system) is a parameter, as written.
 * The program checks' own sentences are programs/lab-text.ts.
 */
import type { LabTextEntry } from '../lab-text';

export const CHECK_LAB_TEXT = {
  // two items of a list ("a; b"): longer lists nest (lab-text.ts joined())
  'checkLab.list': { en: (p) => `${p.a}; ${p.b}`, example: { a: 'one', b: 'two' } },
  // state checks: the proxy's cache, a mailbox, a zone, a swarm run
  'checkLab.state.cacheHolds': { en: (p) => `the cache holds ${p.url}`, example: { url: 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html' } },
  'checkLab.state.notCached': { en: () => 'not in the proxy cache yet', example: {} },
  'checkLab.state.error': { en: (p) => `${p.error}`, example: { error: 'no zone umass.edu' } },
  'checkLab.state.nothing': { en: () => 'nothing to check', example: {} },
  'checkLab.state.mailFound': { en: (p) => `in ${p.user}'s mailbox: "${p.subject}"`, example: { user: 'bob', subject: 'Hello from Alice' } },
  'checkLab.state.mailMissing': { en: (p) => `no such message in ${p.user}'s mailbox yet`, example: { user: 'bob' } },
  'checkLab.state.zoneError': { en: (p) => `the ${p.zone} zone has an error at line ${p.line}`, example: { zone: 'networkutopia.com', line: 7 } },
  'checkLab.state.zoneHolds': { en: (p) => `${p.zone} holds ${p.name} ${p.type}`, example: { zone: 'networkutopia.com', name: 'www.networkutopia.com', type: 'A' } },
  'checkLab.state.zoneMissing': { en: (p) => `no ${p.type} record for ${p.name} in ${p.zone} yet`, example: { type: 'MX', name: 'networkutopia.com', zone: 'networkutopia.com' } },
  'checkLab.state.noSwarm': { en: () => 'no swarm run has finished yet', example: {} },
  'checkLab.state.fewPeers': { en: (p) => `the last run had ${p.n} peers; run one with at least ${p.min}`, example: { n: 4, min: 8 } },
  'checkLab.state.incomplete': { en: () => 'in the last run some peer never completed', example: {} },
  'checkLab.state.within': { en: (p) => `distributed in ${p.s} s, within ${p.k}×D_P2P`, example: { s: '12.40', k: 1.2 } },
  'checkLab.state.beyond': { en: (p) => `distributed in ${p.s} s, more than ${p.k}×D_P2P`, example: { s: '20.10', k: 1.2 } },
  'checkLab.state.noFreeRider': { en: () => 'the last run had no free-rider beside peers that upload: run one that has', example: {} },
  'checkLab.state.freeRiderFewer': {
    en: (p) => `the free-rider got ${p.rider} of the tit-for-tat slots, the uploading peers ${p.median} (median)`,
    example: { rider: '4 %', median: '21 %' },
  },
  'checkLab.state.freeRiderNotFewer': {
    en: (p) => `in the last run the free-rider got ${p.rider} of the tit-for-tat slots, not fewer than the uploading peers' median ${p.median}`,
    example: { rider: '20 %', median: '18 %' },
  },
  // answers (the expected value is never said)
  'checkLab.answer.right': { en: () => 'Right.', example: {} },
  'checkLab.answer.already': { en: () => 'Already answered right.', example: {} },
  'checkLab.answer.wrongFormula': { en: () => 'Not right: work it out again from the formula.', example: {} },
  'checkLab.answer.noSwarm': { en: () => 'No swarm run that this question asks about has finished yet: run it first, then answer from its result.', example: {} },
  'checkLab.answer.noCapture': {
    en: () => 'Your capture does not show what this question asks about yet: do the task first, then answer from what you captured.',
    example: {},
  },
  'checkLab.answer.rightRun': { en: () => 'Right: that is what your run shows.', example: {} },
  'checkLab.answer.rightCapture': { en: () => 'Right: that is what your capture shows.', example: {} },
  'checkLab.answer.wrongRun': { en: () => 'Not what your run shows: look again at its result in the P2P tab.', example: {} },
  'checkLab.answer.wrongCapture': { en: () => 'Not what your capture shows: look again at the message in the inspector.', example: {} },
  // program checks that could not run the program
  'checkLab.program.unknown': { en: (p) => `no program check for the assignment "${p.assignment}"`, example: { assignment: 'dns-resolver' } },
  'checkLab.program.crashed': { en: (p) => `The check could not finish: ${p.error}`, example: { error: 'spawn python3 ENOENT' } },
  'checkLab.program.title.pinger': { en: () => 'pinger', example: {} },
  'checkLab.program.title.tcpServer': { en: () => 'TCP server', example: {} },
  'checkLab.program.title.webServer': { en: () => 'web server', example: {} },
  'checkLab.program.title.smtpClient': { en: () => 'SMTP client', example: {} },
  'checkLab.program.title.proxy': { en: () => 'proxy', example: {} },
  'checkLab.program.notStarted': {
    en: (p) => `Your ${p.title} could not start: ${p.error}`,
    example: { title: { key: 'checkLab.program.title.tcpServer' }, error: 'no saved program TCPServer.py: save it in the editor first' },
  },
  'checkLab.program.errorTail': { en: (p) => ` Its error output ends: ${p.tail}`, example: { tail: 'NameError: name serverSocket is not defined' } },
  'checkLab.program.endedEarly': {
    en: (p) => `Your ${p.title} was started, but it ended (exit code ${p.code}) before accepting a connection.${p.tail}`,
    example: { title: { key: 'checkLab.program.title.webServer' }, code: 1, tail: { key: 'checkLab.program.errorTail', params: { tail: 'OSError: [Errno 98] Address already in use' } } },
  },
  'checkLab.program.notListening': {
    en: (p) => `Your ${p.title} was started, but it did not accept a connection within 10 s.${p.tail}`,
    example: { title: { key: 'checkLab.program.title.proxy' }, tail: '' },
  },
  'checkLab.program.relayDown': {
    en: (p) => `Your ${p.title} listens, but the lab's TCP port in front of it did not start: ${p.error}`,
    example: { title: { key: 'checkLab.program.title.tcpServer' }, error: 'listen EADDRINUSE 127.0.0.1:12000' },
  },
  'checkLab.program.unavailable': { en: () => 'Program checks are not available in this build of NetLab: the check stays open.', example: {} },
  'checkLab.program.couldNotRun': { en: (p) => `The check could not run your program: ${p.error}`, example: { error: 'the lab is shutting down' } },
  'checkLab.program.unknownError': { en: () => 'unknown', example: {} },
} satisfies Record<string, LabTextEntry>;
