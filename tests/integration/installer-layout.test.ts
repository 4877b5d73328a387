/**
 * What the installers would hold, packed for real by electron-builder (`--dir`: the unpacked app
 * every Linux target is made from) around a stand-in for Electron's binary, which cannot be
 * downloaded here: the built main, preload and renderer in app.asar with the runtime
 * dependencies, the lab's resources beside it where the packaged app looks for them
 * (process.resourcesPath/resources), the licence, and the `netlab` executable. Needs `out/`
 * (npx electron-vite build).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const require = createRequire(import.meta.url);

describe('packed app layout', () => {
  it('electron-builder packs the app, its resources and the licence where the app looks for them', () => {
    expect(fs.existsSync(path.join(root, 'out', 'main', 'index.js')), 'run npx electron-vite build first').toBe(true);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-pack-'));
    const fakeElectron = path.join(tmp, 'electron-dist');
    fs.mkdirSync(fakeElectron);
    fs.writeFileSync(path.join(fakeElectron, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    const out = path.join(tmp, 'dist');
    const cli = require.resolve('electron-builder/cli.js');
    execFileSync(process.execPath, [cli, '--linux', '--dir', '--publish', 'never', `-c.electronDist=${fakeElectron}`, '-c.electronVersion=41.7.1', `-c.directories.output=${out}`], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    const app = path.join(out, 'linux-unpacked');
    expect(fs.existsSync(path.join(app, 'netlab'))).toBe(true);
    expect(fs.readFileSync(path.join(app, 'resources', 'LICENSE'), 'utf8')).toContain('MIT License');
    const packedResources = fs.readdirSync(path.join(app, 'resources', 'resources')).sort();
    expect(packedResources).toEqual(fs.readdirSync(path.join(root, 'resources')).filter((d) => d !== 'screenshots' && d !== 'icons').sort());
    expect(fs.existsSync(path.join(app, 'resources', 'resources', 'labs', 'dns.yaml'))).toBe(true);
    // @electron/asar comes with electron-builder (app-builder-lib packs with it)
    const asar = createRequire(require.resolve('app-builder-lib'))('@electron/asar') as { listPackage(file: string): string[] };
    const inside = asar.listPackage(path.join(app, 'resources', 'app.asar')).map((f) => f.replaceAll('\\', '/'));
    for (const f of ['/package.json', '/out/main/main.js', '/out/main/index.js', '/out/main/cli.js', '/out/preload/preload.cjs', '/out/renderer/index.html', '/node_modules/yaml/package.json', '/node_modules/ws/package.json']) {
      expect(inside, f).toContain(f);
    }
    expect(inside.some((f) => f.startsWith('/src-main') || f.startsWith('/tests') || f.endsWith('.map'))).toBe(false);
  }, 120_000);
});
