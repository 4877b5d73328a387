/** The lab terminal's tabs, menu and messages. */
export default {
  title: 'Terminal {n}',
  tabs: 'Terminals',
  ended: '(ended)',
  close: 'Close this terminal (Delete)',
  new: 'New terminal',
  newTitle: 'New terminal (Ctrl+`)',
  empty: 'No terminal open. Press {plus} or {keys} to open one, then type {help} or {telnet}.',
  or: 'or',
  screenReader: 'Lab terminal {title} (Tab completes; Escape then Tab leaves the terminal)',
  openFailed: 'Could not open a lab terminal: {error}',
  sessionEnded: '[session ended — close this tab or open a new one with +]',
  menu: { copy: 'Copy', paste: 'Paste', selectAll: 'Select all', clear: 'Clear' },
};
