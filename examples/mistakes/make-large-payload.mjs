// Writes generated/large-order.json: a valid JSON order of about 1.1 MB, just over the 1 MB
// (1,048,576-byte) limit of an asynchronous (Event) invocation, for payload-too-large.invoke.json.
// It is made on demand instead of kept in git, so the repository stays small. `npm start` runs
// this; to run it yourself: node mistakes/make-large-payload.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const EVENT_LIMIT = 1024 * 1024;
const TARGET_BYTES = 1.1 * 1024 * 1024;

/** The file's path; writes it unless a big enough one is already there. */
export function makeLargePayload() {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'generated', 'large-order.json');
  if (fs.existsSync(file) && fs.statSync(file).size > EVENT_LIMIT) return file;
  const lines = [];
  let bytes = 0;
  for (let i = 1; bytes < TARGET_BYTES; i++) {
    const line = `    { "sku": "SKU-${String(i).padStart(6, '0')}", "title": "Item number ${i} of a very large order", "quantity": ${(i % 9) + 1} }`;
    lines.push(line);
    bytes += line.length + 2;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `{\n  "name": "Ada",\n  "orderId": "A-9999",\n  "items": [\n${lines.join(',\n')}\n  ]\n}\n`);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = makeLargePayload();
  console.log(`${file}: ${fs.statSync(file).size.toLocaleString('en-US')} bytes`);
}
