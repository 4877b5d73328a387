import type { ITheme } from '@xterm/xterm';
import { terminalAnsiColors, type Theme } from '../../protocolColors';

/** xterm colours for each app theme; the ANSI hues are the protocol colours. */
export function xtermTheme(theme: Theme): ITheme {
  const proto = terminalAnsiColors(theme);
  if (theme === 'dark') {
    return {
      background: '#1e1f22',
      foreground: '#d7dae0',
      cursor: '#d7dae0',
      cursorAccent: '#1e1f22',
      selectionBackground: '#3a5a86',
      black: '#1e1f22',
      red: '#f47067',
      brightRed: '#ff938a',
      white: '#c9d1d9',
      brightBlack: '#6e7681',
      brightWhite: '#ffffff',
      ...proto,
      brightCyan: proto.cyan,
      brightBlue: proto.blue,
      brightGreen: proto.green,
      brightYellow: proto.yellow,
      brightMagenta: proto.magenta,
    };
  }
  return {
    background: '#ffffff',
    foreground: '#1f2328',
    cursor: '#1f2328',
    cursorAccent: '#ffffff',
    selectionBackground: '#b6d3fb',
    black: '#1f2328',
    red: '#cf222e',
    brightRed: '#a40e26',
    white: '#6e7781',
    brightBlack: '#8b949e',
    brightWhite: '#8c959f',
    ...proto,
    brightCyan: proto.cyan,
    brightBlue: proto.blue,
    brightGreen: proto.green,
    brightYellow: proto.yellow,
    brightMagenta: proto.magenta,
  };
}
