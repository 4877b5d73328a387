/** Words many views share. */
export default {
  dir: { c2s: 'client → server', s2c: 'server → client', event: 'capture event' },
  language: 'Language',
};
