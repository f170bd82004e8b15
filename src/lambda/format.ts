/**
 * Number, size and duration formatting for every message, hover, lens, notification and output
 * block, so one figure reads the same everywhere.
 */

/** Made on first use: the first Intl call of a process loads ICU data (~20 ms), which a CLI run must not pay at start-up. */
let grouped: Intl.NumberFormat | undefined;

/** `6300112` → `6,300,112`. */
export function formatCount(n: number): string {
  // A whole number is grouped by hand, exactly as Intl writes it in en-US, without starting Intl.
  if (Number.isSafeInteger(n) && n >= 0) return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
  grouped ??= new Intl.NumberFormat('en-US');
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

/**
 * A call's duration: `830 ms`, `1.23 s`, `2 min 5.5 s`. The output block and the notification
 * of the same call show the same text.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(2))} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${trimZeros(((ms - minutes * 60_000) / 1000).toFixed(1))} s`;
}

/** A wait before trying again: `7 s`, `1.5 s`; whole seconds (rounded up) from 10 s on, where tenths are noise. */
export function formatWait(ms: number): string {
  const seconds = ms / 1000;
  if (seconds >= 10 || Number.isInteger(seconds)) return `${Math.ceil(seconds)} s`;
  return `${Number(seconds.toFixed(1))} s`;
}

/** `1.50` → `1.5`, `2.00` → `2`. */
function trimZeros(fixed: string): string {
  return fixed.replace(/\.?0+$/, '');
}
