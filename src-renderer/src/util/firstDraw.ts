/**
 * The page's first moments, in the order a student looks: the services rail, then the
 * inspector's newest messages, then the main view and the older history. The main views'
 * chunks (the terminal's xterm alone is ~100 ms of script and forced layout on a 2-core
 * machine) load, and the older pages of history (tens of ms each to decode and sort in) are
 * asked for, once the inspector has drawn its first page, so they never stand between the
 * page and those rows; and never later than a short limit, should the lab not answer.
 */
import { nextTick, watch } from 'vue';

let release: () => void = () => undefined;
const drawn = new Promise<void>((resolve) => (release = resolve));

/** the main views wait this long at most for the inspector's first page */
const LIMIT_MS = 1500;

/** The inspector is mounted: once `ready()` says its first page is in, what waited goes on
 *  after the rows are patched in (a task later, so the browser may paint them first). */
export function inspectorMounted(ready: () => boolean): void {
  let done = false;
  const stop = watch(
    ready,
    (ok) => {
      if (!ok || done) return;
      done = true;
      void nextTick(() => {
        stop?.();
        setTimeout(release, 0);
      });
    },
    { immediate: true },
  );
}

/** A main view's chunk loader (or the history's pager), run once the inspector's first page is
 *  drawn (or the limit passed). */
export function afterInspector<T>(load: () => Promise<T>): () => Promise<T> {
  return () => Promise.race([drawn, new Promise<void>((resolve) => setTimeout(resolve, LIMIT_MS))]).then(load);
}
