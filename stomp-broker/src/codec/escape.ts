import type { StompVersion } from '../frame';

// Spec 1.2 "Value Encoding": \r \n \c \\ are the only escapes; 1.1 defines all but \r (its lines
// end in LF only, so a CR is plain data); 1.0 has no escaping at all. CONNECT and CONNECTED
// frames are never escaped, for 1.0 compatibility: callers pass `undefined` for them.

const needs12 = /[\\\r\n:]/;
const needs11 = /[\\\n:]/;
const escapable12 = /[\\\r\n:]/g;
const escapable11 = /[\\\n:]/g;
const lineBreaks = /[\r\n]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' };
const toEscape = (c: string): string => escapes[c]!;

/**
 * Escapes a header name or value for `version`. Without escaping (1.0, CONNECTED) a line break
 * cannot be represented, so it becomes a space rather than corrupting the frame.
 */
export function escapeHeader(value: string, version: StompVersion | undefined): string {
  if (version === '1.2') return needs12.test(value) ? value.replace(escapable12, toEscape) : value;
  if (version === '1.1') return needs11.test(value) ? value.replace(escapable11, toEscape) : value;
  return value.includes('\n') || value.includes('\r') ? value.replace(lineBreaks, ' ') : value;
}

/**
 * Undoes header escaping. Returns undefined for an undefined escape sequence, which the spec
 * says MUST be treated as a fatal protocol error (spec 1.2 "Value Encoding").
 */
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
