/**
 * The page's entry: a few hundred bytes that open the lab's socket (the lab sends the
 * inspector's first page as it opens) while the app's own code is fetched and run. The
 * first row then waits only for the app, not for the app and a round trip after it.
 */
import { openEarly } from './api/earlyLink';

openEarly();
void import('./main');
// the inspector's chunk fetched beside the app's, not once the app has mounted: the lab serves
// both while the app's code runs, and the first page is here before either
void import('./components/inspector/InspectorPanel.vue');
