/**
 * The page's entry, a few kB: it opens the lab's socket (the lab sends the inspector's first
 * page as it opens) and asks for the app's and the inspector's chunks at once. The first row
 * then waits only for the app's code, not for the app's mount and a round trip after it.
 */
import { openEarly } from './api/earlyLink';
import { INTL_TAG } from '../../src-main/ui-locale';
import { startLocale } from './i18n/startLocale';

openEarly();
void import('./main');
// the inspector's chunk fetched beside the app's, not once the app has mounted: the lab serves
// both while the app's code runs, and the first page is here before either
void import('./components/inspector/InspectorPanel.vue');
// ICU's number data for the page's language, loaded while the chunks are on their way: the
// first count formatted (the rail's, the inspector's) took 15–25 ms right before the first row
new Intl.NumberFormat(INTL_TAG[startLocale()]).format(0);
