/**
 * One colour per protocol, the same in the rail, the inspector, the ladder and the
 * terminal. Each has a light-theme and a dark-theme shade of the same hue.
 */
export type Theme = 'light' | 'dark';

interface Shade {
  light: string;
  dark: string;
}

const palette: Record<string, Shade> = {
  echo: { light: '#0e8a8a', dark: '#3cc8c8' },
  dns: { light: '#1f6fd1', dark: '#5ea2f0' },
  http: { light: '#2e8540', dark: '#5cc36f' },
  smtp: { light: '#d2650f', dark: '#f08a3c' },
  pop3: { light: '#b58300', dark: '#e8b72e' },
  ftp: { light: '#b8336a', dark: '#ec6fa3' },
  // red, apart from FTP's magenta and SMTP's orange
  imap: { light: '#c0392b', dark: '#ef6f62' },
  bittorrent: { light: '#7b3fc4', dark: '#b387ec' },
  dht: { light: '#b8326b', dark: '#ec6fa3' },
  // TLS records: brown, the colour of a sealed envelope, apart from HTTP's green
  tls: { light: '#8a5a2b', dark: '#d09a62' },
};

/** Protocol names the core may use for the same family. */
const aliases: Record<string, string> = {
  'echo-tcp': 'echo',
  'echo-udp': 'echo',
  'http-proxy': 'http',
  proxy: 'http',
  web: 'http',
  https: 'tls',
  tracker: 'bittorrent',
  bt: 'bittorrent',
  p2p: 'bittorrent',
  pop: 'pop3',
  mail: 'smtp',
};

const fallback: Shade = { light: '#6b7280', dark: '#9ca3af' };

function familyOf(protocol: string): string {
  const p = protocol.toLowerCase();
  if (palette[p]) return p;
  if (aliases[p]) return aliases[p];
  for (const key of Object.keys(palette)) if (p.startsWith(key)) return key;
  return p;
}

export function protocolColor(protocol: string, theme: Theme): string {
  return (palette[familyOf(protocol)] ?? fallback)[theme];
}

/** ANSI slots the terminal maps to protocol colours, so the lab's coloured notes match. */
export function terminalAnsiColors(theme: Theme): { cyan: string; blue: string; green: string; yellow: string; magenta: string } {
  return {
    cyan: palette.echo[theme],
    blue: palette.dns[theme],
    green: palette.http[theme],
    yellow: palette.pop3[theme],
    magenta: palette.bittorrent[theme],
  };
}
