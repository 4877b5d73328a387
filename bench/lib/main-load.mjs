/**
 * How long the desktop shell's main bundle (out/main/index.js) takes to load under plain Node,
 * with `electron` replaced by an inert stand-in: `app.whenReady()` never settles, so nothing
 * past module load and the Lab's construction runs (no window, no services). Prints
 * {"loadMs": …, "cpuMs": …} and exits. Usage: node bench/lib/main-load.mjs OUT_MAIN_DIR
 */
import fs from 'node:fs';
import { register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-bench-main-load-'));
const names = ['app', 'BrowserWindow', 'dialog', 'ipcMain', 'Menu', 'net', 'Notification', 'protocol', 'screen', 'session', 'shell', 'nativeTheme', 'contextBridge', 'ipcRenderer'];
// every property of a stand-in is another stand-in; calling or constructing one gives one too
const stub = `
const never = new Promise(() => {});
const values = { isPackaged: false, getPath: () => ${JSON.stringify(userData)}, getLocale: () => 'en', requestSingleInstanceLock: () => true, whenReady: () => never, isSupported: () => false, getAllWindows: () => [] };
const make = () => new Proxy(function () {}, {
  get: (_t, k) => (k in values ? values[k] : k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : make()),
  apply: () => make(),
  construct: () => make(),
});
${names.map((n) => `export const ${n} = make();`).join('\n')}
export default { ${names.join(', ')} };
`;
const stubUrl = `data:text/javascript,${encodeURIComponent(stub)}`;
const hooks = `export async function resolve(spec, ctx, next) { return spec === 'electron' ? { url: ${JSON.stringify(stubUrl)}, shortCircuit: true } : next(spec, ctx); }`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
await import(pathToFileURL(path.join(process.argv[2], 'index.js')).href);
const loadMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
fs.rmSync(userData, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ loadMs, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
process.exit(0);
