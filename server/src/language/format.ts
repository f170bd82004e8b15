/** Number and size formatting for messages, hovers and lenses. */

const grouped = new Intl.NumberFormat('en-US');

/** `6300112` → `6,300,112`. */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** `6300112` → `6,300,112 bytes`; `1` → `1 byte`. */
export function formatBytes(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'byte' : 'bytes'}`;
}

/** A short size for lenses, in binary units as Lambda counts them: `2.1 KB`, `6 MB`, `512 B`. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = n;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[unit]}`;
}

/** Quotes a user's value for a message, shortened so a 6 MB string never lands in one. */
export function quote(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return JSON.stringify(shown);
}
