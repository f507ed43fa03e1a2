import type { StompVersion } from '../frame';

// Spec 1.2 "Value Encoding": \r \n \c \\ ; 1.1 has all but \r; 1.0 has none.
// CONNECT and CONNECTED frames are never escaped (for 1.0 compatibility); callers pass no version.

const escapable12 = /[\\\r\n:]/g;
const escapable11 = /[\\\n:]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' };
const toEscape = (c: string) => escapes[c]!;

export function escapeHeader(value: string, version: StompVersion | undefined): string {
  if (version === '1.2') return value.replace(escapable12, toEscape);
  if (version === '1.1') return value.replace(escapable11, toEscape);
  return value;
}

/** Undoes header escaping; undefined for an undefined escape sequence, which is fatal (spec 1.2). */
export function unescapeHeader(
  value: string,
  version: StompVersion | undefined,
): string | undefined {
  if ((version !== '1.2' && version !== '1.1') || !value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = value[++i];
    if (next === 'n') out += '\n';
    else if (next === 'c') out += ':';
    else if (next === '\\') out += '\\';
    else if (next === 'r' && version === '1.2') out += '\r';
    else return undefined;
  }
  return out;
}
