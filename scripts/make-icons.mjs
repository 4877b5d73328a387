// The app's icons at every size the installers ask for, made from resources/icons/netlab.svg:
// PNGs 16…1024 (Linux, and the source of the others), a Windows .ico and a macOS .icns. The
// SVG is rendered by Debian's Chromium (playwright-core, the same browser the tests use); the
// .ico and .icns are written here (both formats may hold PNG images as they are).
// Usage: node scripts/make-icons.mjs [OUT_DIR]   (default build/icons)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS element types holding PNG data, by pixel size (Apple's icns type codes)
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

async function renderPngs(svg) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const pngs = new Map();
    for (const size of PNG_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      const html = `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`;
      await page.setContent(html);
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

/** ICO: a directory of entries, each a PNG (Windows Vista and later read PNG entries). */
export function ico(pngs) {
  const head = Buffer.alloc(6 + 16 * ICO_SIZES.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // 1 = icon
  head.writeUInt16LE(ICO_SIZES.length, 4);
  let offset = head.length;
  ICO_SIZES.forEach((size, i) => {
    const png = pngs.get(size);
    const at = 6 + 16 * i;
    head.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    head.writeUInt8(size >= 256 ? 0 : size, at + 1);
    head.writeUInt16LE(1, at + 4); // colour planes
    head.writeUInt16LE(32, at + 6); // bits per pixel
    head.writeUInt32LE(png.length, at + 8);
    head.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...ICO_SIZES.map((s) => pngs.get(s))]);
}

/** ICNS: 'icns', the file length, then (type, length, PNG) elements, big-endian. */
export function icns(pngs) {
  const parts = ICNS_TYPES.map(([type, size]) => {
    const png = pngs.get(size);
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([h, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

export async function makeIcons(outDir) {
  const svg = await readFile(join(root, 'resources', 'icons', 'netlab.svg'), 'utf8');
  const pngs = await renderPngs(svg);
  await mkdir(outDir, { recursive: true });
  // electron-builder's Linux targets take a folder of NxN.png; icon.png is the window's own
  for (const [size, png] of pngs) await writeFile(join(outDir, `${size}x${size}.png`), png);
  await writeFile(join(outDir, 'icon.png'), pngs.get(512));
  await writeFile(join(outDir, 'icon.ico'), ico(pngs));
  await writeFile(join(outDir, 'icon.icns'), icns(pngs));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(root, 'build', 'icons'));
  await makeIcons(out);
  console.log(`icons written to ${out}`);
}
