/**
 * What applying an opened lab or scenario file would change (file-summary.ts), line by line, as
 * catalogue messages (src-main/lab/lab-text.ts explains). Service ids, file names, titles and
 * numbers are parameters, as the file writes them.
 */
import type { LabTextEntry } from '../lab-text';

export const FILE_LAB_TEXT = {
  'fileLab.lab.oneTask': { en: () => '1 task', example: {} },
  'fileLab.lab.tasks': { en: (p) => `${p.n} tasks`, example: { n: 4 } },
  'fileLab.lab.opens': {
    en: (p) => `opens the lab “${p.title}” (${p.tasks}) in the Labs tab`,
    example: { title: 'HTTP: the basic GET/response interaction', tasks: { key: 'fileLab.lab.tasks', params: { n: 4 } } },
  },
  'fileLab.lab.saves': { en: (p) => `saves it as your lab ${p.copy} (a copy of yours by that name is replaced)`, example: { copy: 'http-lab.yaml' } },
  'fileLab.lab.applies': { en: () => 'applies the lab’s scenario: services, links and settings change as it says', example: {} },
  // two items of a list ("a, b"): longer lists nest (lab-text.ts joined())
  'fileLab.list': { en: (p) => `${p.a}, ${p.b}`, example: { a: 'pop3', b: 'imap' } },
  'fileLab.scenario.stops': { en: (p) => `stops ${p.ids}; every other service runs`, example: { ids: { key: 'fileLab.list', params: { a: 'pop3', b: 'imap' } } } },
  'fileLab.scenario.allRun': { en: () => 'every service runs', example: {} },
  'fileLab.scenario.service': { en: (p) => `${p.id}: ${p.changes}`, example: { id: 'echo-udp', changes: { key: 'fileLab.scenario.delay', params: { ms: 50 } } } },
  'fileLab.scenario.port': { en: (p) => `port ${p.port}`, example: { port: 8080 } },
  'fileLab.scenario.delay': { en: (p) => `${p.ms} ms delay`, example: { ms: 50 } },
  'fileLab.scenario.loss': { en: (p) => `${p.pct} % loss`, example: { pct: 30 } },
  'fileLab.scenario.jitter': { en: (p) => `${p.ms} ms jitter`, example: { ms: 20 } },
  'fileLab.scenario.rate': { en: (p) => `${p.kbps} kbit/s`, example: { kbps: 1500 } },
  'fileLab.scenario.reorder': { en: (p) => `${p.pct} % reordered`, example: { pct: 5 } },
  'fileLab.scenario.mode': { en: (p) => `${p.mode} mode`, example: { mode: 'mirror' } },
  'fileLab.scenario.perfect': { en: () => 'links the file does not set become perfect again', example: {} },
  'fileLab.scenario.captureLimit': { en: (p) => `the capture keeps ${p.n} messages`, example: { n: 5000 } },
  'fileLab.scenario.captureOff': { en: () => 'capture is turned off', example: {} },
  'fileLab.scenario.web': { en: () => 'the web server’s and proxy’s switches change as the file says', example: {} },
  // a file that cannot be applied (the mistake itself is the validator's, in English)
  'fileLab.error.tooLong': { en: (p) => `the file is over ${p.max} characters`, example: { max: 200000 } },
  'fileLab.error.notLab': { en: () => 'not a lab file', example: {} },
  'fileLab.error.other': { en: (p) => `${p.message}`, example: { message: 'title: Required' } },
  'fileLab.error.atLine': { en: (p) => `line ${p.line}: ${p.message}`, example: { line: 3, message: 'tasks: Required' } },
} satisfies Record<string, LabTextEntry>;
