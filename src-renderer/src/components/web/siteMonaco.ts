/** The editor's monaco with HTML added, for the lab sites' pages (loaded lazily by SiteEditor). */
import 'monaco-editor/languages/definitions/html/register';
import 'monaco-editor/languages/definitions/css/register';
export { monaco } from '../scenarios/monaco';
