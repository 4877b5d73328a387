/**
 * The installed app's paths, with `electron` stubbed as packaged: the lab reads its shipped
 * files from process.resourcesPath/resources (where electron-builder.yml packs them), developer
 * tools are off, and the preload and renderer are found inside app.asar from wherever the
 * bundler put the main module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '../../../src-main/lab/api';
import { findRoot, resourcesOf } from '../../../src-main/paths';
import { state, StubWindow } from '../../helpers/electron-stub';

vi.mock('electron', async () => (await import('../../helpers/electron-stub')).electronModule);

const installed = fs.mkdtempSync(path.join(state.userData, 'NetLab-'));
const resourcesPath = path.join(installed, 'resources');
// the packed resources as electron-builder.yml packs them, with one shipped lab of its own
const checkoutResources = path.resolve(__dirname, '../../../resources');
fs.cpSync(checkoutResources, path.join(resourcesPath, 'resources'), {
  recursive: true,
  filter: (src) => !['screenshots', 'icons', 'labs'].includes(path.relative(checkoutResources, src).split(path.sep)[0]),
});
fs.mkdirSync(path.join(resourcesPath, 'resources', 'labs'), { recursive: true });
fs.copyFileSync(path.resolve(__dirname, '../../../resources/labs/dns.yaml'), path.join(resourcesPath, 'resources', 'labs', 'only-this-one.yaml'));

describe('the installed app', () => {
  it('reads the shipped labs from process.resourcesPath/resources, with developer tools off', async () => {
    state.packaged = true;
    (process as { resourcesPath?: string }).resourcesPath = resourcesPath;
    process.argv = ['/opt/NetLab/netlab'];
    await import('../../../src-main/index');
    await vi.waitFor(() => expect(StubWindow.all).toHaveLength(1), { timeout: 15_000 });
    const win = StubWindow.all[0];
    expect((win.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
    const list = state.ipcHandlers.get(ipcChannel('labs.list'))!;
    const labs = (await list({ sender: win.webContents })) as Array<{ file: string; origin: string }>;
    expect(labs.filter((l) => l.origin === 'shipped').map((l) => l.file)).toEqual(['only-this-one.yaml']);
    // another sender (a webview, a stray frame) is refused
    await expect(Promise.resolve().then(() => list({ sender: {} }))).rejects.toThrow(/refused/);
    state.appHandlers.get('before-quit')!({ preventDefault: () => undefined });
    await vi.waitFor(() => expect(state.quits).toBe(1), { timeout: 10_000 });
  });

  it('finds out/preload and out/renderer inside app.asar from out/main or out/main/chunks', () => {
    const asar = path.join(resourcesPath, 'app.asar');
    fs.mkdirSync(path.join(asar, 'out', 'main', 'chunks'), { recursive: true });
    fs.writeFileSync(path.join(asar, 'package.json'), '{}');
    expect(findRoot(path.join(asar, 'out', 'main'))).toBe(asar);
    expect(findRoot(path.join(asar, 'out', 'main', 'chunks'))).toBe(asar);
    // the `netlab` command inside the app reads the resources packed beside app.asar
    expect(resourcesOf(asar)).toBe(path.join(resourcesPath, 'resources'));
    // a package.json and resources/ above the install do not pull the root up
    fs.writeFileSync(path.join(installed, 'package.json'), '{}');
    expect(findRoot(path.join(asar, 'out', 'main', 'chunks'))).toBe(asar);
    // a checkout: the folder holding resources/ and package.json
    const checkout = path.resolve(__dirname, '../../..');
    expect(findRoot(path.join(checkout, 'out', 'main', 'chunks'))).toBe(checkout);
    expect(resourcesOf(checkout)).toBe(path.join(checkout, 'resources'));
  });
});
