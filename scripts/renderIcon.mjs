// Renders images/icon.svg to images/icon.png, the 128×128 PNG the marketplace shows (it takes
// no SVG). Uses playwright-core with the system's Chromium; run it after changing the SVG:
//   node scripts/renderIcon.mjs [path/to/chromium]
// The browser comes from the argument, else CHROMIUM_PATH, else /usr/bin/chromium.
import { Buffer } from 'node:buffer';
import { readFile, writeFile } from 'node:fs/promises';
import { URL, fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SIZE = 128;
const root = fileURLToPath(new URL('..', import.meta.url));
const svgPath = `${root}images/icon.svg`;
const pngPath = `${root}images/icon.png`;
const executablePath = process.argv[2] ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const svg = await readFile(svgPath, 'utf8');
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  // The SVG is the page's only content, drawn at its own 128×128 from the top-left corner.
  const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">` +
      `<img src="${source}" width="${SIZE}" height="${SIZE}" style="display:block" alt=""></body></html>`,
  );
  await page.locator('img').evaluate((img) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve))));
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
  // The PNG's IHDR holds its width and height (big-endian) at bytes 16 and 20.
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width !== SIZE || height !== SIZE) throw new Error(`the screenshot is ${width}×${height}, not ${SIZE}×${SIZE}`);
  await writeFile(pngPath, png);
  console.log(`Wrote ${pngPath} (${width}×${height}, ${png.length} bytes).`);
} finally {
  await browser.close();
}
