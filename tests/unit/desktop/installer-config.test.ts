/**
 * The installers' configuration as electron-builder itself reads it: electron-builder.yml loads
 * and passes electron-builder's own validation (its JSON schema), a misspelt option is refused
 * (so the check can fail), the file associations are the extensions the app recognises, and the
 * licence and resources it packs exist. The icon script renders every PNG size from the SVG
 * and writes an .ico and .icns whose directories point at those PNGs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { isOpenableFile, LAB_EXTENSION, OWN_EXTENSION, SCENARIO_EXTENSION } from '../../../src-main/lab/files/file-summary';

const root = path.resolve(__dirname, '..', '..', '..');

function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe('installer configuration', () => {
  it('electron-builder loads electron-builder.yml and its schema validation passes', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config).toMatchObject({ appId: 'edu.netlab.app', productName: 'NetLab' });
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.win).toMatchObject({ target: 'nsis' });
    expect(config.mac).toMatchObject({ target: 'dmg' });
    const extra = config.extraResources as Array<{ from: string; to: string }>;
    for (const r of extra) expect(fs.existsSync(path.join(root, r.from)), r.from).toBe(true);
    expect(extra.map((r) => r.to)).toEqual(['resources', 'LICENSE']);
  });

  it('a misspelt option is refused by the same validation', async () => {
    const text = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8').replace('fileAssociations:', 'fileAssociation:');
    const config = YAML.parse(text);
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/fileAssociation/);
  });

  it('the associated extensions are the ones NetLab opens', async () => {
    const config = YAML.parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { fileAssociations: Array<{ ext: string }> };
    const exts = config.fileAssociations.map((a) => `.${a.ext}`);
    expect(exts).toEqual([OWN_EXTENSION, LAB_EXTENSION, SCENARIO_EXTENSION]);
    for (const ext of exts) expect(isOpenableFile(`week3${ext}`), ext).toBe(true);
  });
});

describe('icons', () => {
  it('every PNG size from the SVG, and an .ico and .icns made of them', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-icons-'));
    const { makeIcons, PNG_SIZES } = (await import('../../../scripts/make-icons.mjs')) as { makeIcons: (d: string) => Promise<string>; PNG_SIZES: number[] };
    await makeIcons(out);
    expect(PNG_SIZES).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024]);
    for (const size of PNG_SIZES) expect(pngSize(fs.readFileSync(path.join(out, `${size}x${size}.png`))), String(size)).toEqual([size, size]);
    const ico = fs.readFileSync(path.join(out, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i++) {
      const at = 6 + 16 * i;
      const [w] = pngSize(ico.subarray(ico.readUInt32LE(at + 12), ico.readUInt32LE(at + 12) + ico.readUInt32LE(at + 8)));
      expect(ico[at] || 256).toBe(w);
      sizes.push(w);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    const icns = fs.readFileSync(path.join(out, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      types.push(`${icns.subarray(at, at + 4).toString('ascii')}:${pngSize(icns.subarray(at + 8))[0]}`);
    }
    expect(types).toEqual(expect.arrayContaining(['icp4:16', 'ic07:128', 'ic08:256', 'ic09:512', 'ic10:1024', 'ic14:512']));
  });
});
