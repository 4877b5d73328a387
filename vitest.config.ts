import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit tests that open a socket or a port (a lab started, net, tshark's pipes) or spawn a
 * process (python3, tshark, sh): they run with the lab's tests, one file at a time.
 * A unit test that starts doing either belongs here.
 */
const UNIT_WITH_SOCKETS_OR_CHILDREN = [
  'tests/unit/api-contract.test.ts',
  'tests/unit/capture/pcapng-live-file.test.ts',
  'tests/unit/descriptors.test.ts',
  'tests/unit/desktop/opened-files.test.ts',
  'tests/unit/desktop/save-export.test.ts',
  'tests/unit/i18n/lab-text-dns.test.ts',
  'tests/unit/i18n/service-text.test.ts',
  'tests/unit/mail/encoded-words.test.ts',
  'tests/unit/run-errors.test.ts',
  'tests/unit/tls-wire-stream.test.ts',
  'tests/unit/trace/trace-read.test.ts',
];

/** the other unit tests: parsers and pure logic, run two files at a time */
const PURE_UNIT = fs
  .readdirSync(fileURLToPath(new URL('tests/unit', import.meta.url)), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `tests/unit/${f.split('\\').join('/')}`)
  .filter((f) => !UNIT_WITH_SOCKETS_OR_CHILDREN.includes(f));

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration and e2e tests own real ports; run files one at a time
    fileParallelism: false,
    reporters: ['default'],
    // Vitest runs the groups one after the other: first the pure unit files two at a time
    // (they hold no port and start nothing, so nothing else runs beside them), then the rest
    // one file at a time, as before
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: PURE_UNIT,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'lab',
          // one worker for every file, one after the other: each file still starts and stops its
          // own lab, browser and ports, and the modules (the lab core, playwright-core) load once
          // instead of once a file (about 3 minutes of a full run)
          isolate: false,
          sequence: { groupOrder: 1 },
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...PURE_UNIT],
        },
      },
    ],
  },
});
