/**
 * One colour per protocol, the same in the rail, the inspector, the ladder and the
 * terminal. Each has a light-theme and a dark-theme shade of the same hue, each at least 4.5:1
 * against its theme's page, panel and selected-row backgrounds (WCAG 1.4.3): the service name
 * in an inspector row is drawn in it, and a badge draws the page colour on it.
 */
export type Theme = 'light' | 'dark';

interface Shade {
  light: string;
  dark: string;
}

const palette: Record<string, Shade> = {
  echo: { light: '#0b6e6e', dark: '#3cc8c8' },
  dns: { light: '#1c63bb', dark: '#6caaf1' },
  http: { light: '#277237', dark: '#5cc36f' },
  smtp: { light: '#a24e0c', dark: '#f08d41' },
  pop3: { light: '#825e00', dark: '#e8b72e' },
  ftp: { light: '#b43268', dark: '#ef86b1' },
  // red, apart from FTP's magenta and SMTP's orange
  imap: { light: '#b83729', dark: '#f2887e' },
  bittorrent: { light: '#7b3fc4', dark: '#bb94ee' },
  dht: { light: '#b43169', dark: '#ef86b1' },
  // slate blue-grey: a management plane apart from the application protocols it watches
  snmp: { light: '#4a5d8a', dark: '#8fa3d6' },
  // teal-green, apart from echo's cyan and HTTP's green
  sip: { light: '#0f7b5f', dark: '#3fcf9f' },
  rtp: { light: '#5b6b1f', dark: '#b5c94a' },
  // the search overlays: Gnutella olive, Napster's index brown
  gnutella: { light: '#5f7d0e', dark: '#a4c639' },
  napster: { light: '#8d5b3f', dark: '#d19a78' },
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

const fallback: Shade = { light: '#5f6672', dark: '#9fa6b1' };

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
