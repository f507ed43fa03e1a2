import emojiRegex from 'emoji-regex';

/** A UTF-8 emoji this long is no single emoji (the longest RGI ZWJ sequences are ~35 octets). */
const MAX_OCTETS = 64;

/**
 * The emoji of a reaction path, or undefined when it is not exactly one emoji: one match of
 * emoji-regex (Unicode's RGI set: ZWJ sequences, skin tones, flags, keycaps) spanning the whole
 * text. Letters, digits, spaces, two emoji and custom `name:id` emoji are refused. Stored as
 * given: `❤` (text presentation) and `❤️` are two reactions, as they are two code point sequences.
 */
export function parseReactionEmoji(text: string): string | undefined {
  if (!text || Buffer.byteLength(text) > MAX_OCTETS) return undefined;
  const matches = [...text.matchAll(emojiRegex())];
  return matches.length === 1 && matches[0]![0] === text ? text : undefined;
}
