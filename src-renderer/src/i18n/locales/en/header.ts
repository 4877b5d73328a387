/** The header: the app's name, Open…, the data directory and the switches. */
export default {
  subtitle: 'application-layer lab',
  open: 'Open…',
  openTitle: 'Open a lab or scenario file (.netlab, .netlab-lab.yaml, .netlab-scenario.yaml, .yaml): see what it changes, then apply it',
  dataDirTitle: 'Lab data directory: {dir}',
  data: 'data',
  useArea: '{area} {size} in {files} file | {area} {size} in {files} files',
  useOther: '{area} {size}',
  other: 'other',
  useLinks: '{n} symbolic link (not followed out of its area) | {n} symbolic links (not followed out of their area)',
  useTitle: 'The data directory holds {size}:\n{lines}\n(click to measure again)',
  dockRight: 'Dock the inspector on the right',
  dockBottom: 'Dock the inspector at the bottom',
  themeLight: 'Switch to the light theme',
  themeDark: 'Switch to the dark theme',
  shortcuts: 'Keyboard shortcuts',
  languageTitle: 'The UI’s language',
};
