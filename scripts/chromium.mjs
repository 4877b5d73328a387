// Debian's Chromium as the tests and benchmarks launch it (never a downloaded browser). The
// flags keep it headless and quiet: without the background-networking ones it keeps trying
// to reach Google's hosts, which this machine's closed network refuses.
export const CHROMIUM_PATH = process.env.NETLAB_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
