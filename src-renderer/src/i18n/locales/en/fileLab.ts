/** What applying an opened lab or scenario file changes, as the lab core writes it (src-main/lab/files/lab-text.ts lists the keys; the English must match it). */
export default {
  lab: {
    oneTask: '1 task',
    tasks: '{n} tasks',
    opens: 'opens the lab “{title}” ({tasks}) in the Labs tab',
    saves: 'saves it as your lab {copy} (a copy of yours by that name is replaced)',
    applies: 'applies the lab’s scenario: services, links and settings change as it says',
  },
  list: '{a}, {b}',
  scenario: {
    stops: 'stops {ids}; every other service runs',
    allRun: 'every service runs',
    service: '{id}: {changes}',
    port: 'port {port}',
    delay: '{ms} ms delay',
    loss: '{pct} % loss',
    jitter: '{ms} ms jitter',
    rate: '{kbps} kbit/s',
    reorder: '{pct} % reordered',
    mode: '{mode} mode',
    perfect: 'links the file does not set become perfect again',
    captureLimit: 'the capture keeps {n} messages',
    captureOff: 'capture is turned off',
    web: 'the web server’s and proxy’s switches change as the file says',
  },
  error: {
    tooLong: 'the file is over {max} characters',
    notLab: 'not a lab file',
    other: '{message}',
    atLine: 'line {line}: {message}',
  },
};
