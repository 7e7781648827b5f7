/**
 * `hashed-bow-v1` (docs/TEXT_ENCODING.md): a tokenizer-free instruction embedding that the TypeScript studio
 * and the Python trainer compute identically. The full specification, with the choices made here,
 * is docs/TEXT_ENCODING.md; the shared test vectors are textEncoding.vectors.json.
 *
 *   1. NFC-normalize, then lowercase (Unicode default case mapping).
 *   2. Tokens: maximal runs of Unicode letters (general category L*) and decimal digits (Nd);
 *      everything else separates. ASCII text reduces to runs of [a-z0-9].
 *   3. Features: every token, then every adjacent pair joined as `a_b`.
 *   4. For each feature, h = FNV-1a-32 over its UTF-8 bytes; add 1 at index h mod D.
 *   5. L2-normalize in float64, then store as float32. No features: all zeros.
 *
 * `hashed-bow-rgb-v1` (docs/TEXT_ENCODING.md) reads colour words as colours, so that a planner can
 * follow a colour word it never saw in training: every word of colourWords.json becomes the token
 * `colour` before steps 3–5 (over D − 8 buckets), and the first two colour words' RGB fill 8 more
 * values.
 */
import colourWordsFile from './colourWords.json' with { type: 'json' };

export const HASHED_BOW_V1 = 'hashed-bow-v1';
export const HASHED_BOW_RGB_V1 = 'hashed-bow-rgb-v1';
export const TEXT_ENCODINGS = [HASHED_BOW_V1, HASHED_BOW_RGB_V1] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];
export const DEFAULT_TEXT_DIM = 256;

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TOKEN = /[\p{L}\p{Nd}]+/gu;
const utf8 = new TextEncoder();

/** FNV-1a, 32-bit, over the UTF-8 bytes of `text`; an unsigned 32-bit integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** Step 1–2: the tokens of an instruction. */
export function tokenize(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(TOKEN) ?? [];
}

/** Step 3: tokens followed by adjacent-token bigrams. */
export function textFeatures(text: string): string[] {
  return featuresOf(tokenize(text));
}

function featuresOf(tokens: string[]): string[] {
  const bigrams = tokens.slice(1).map((token, i) => `${tokens[i]}_${token}`);
  return [...tokens, ...bigrams];
}

/** Steps 4–5: the `hashed-bow-v1` embedding of `text`, length `dim`. */
export function encodeText(text: string, dim = DEFAULT_TEXT_DIM): Float32Array {
  if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`text encoding dimension must be a positive integer, got ${dim}`);
  const out = new Float32Array(dim);
  hashedBag(textFeatures(text), out, dim);
  return out;
}

/** Steps 4–5 into `out[0, buckets)`. */
function hashedBag(features: string[], out: Float32Array, buckets: number): void {
  const counts = new Float64Array(buckets);
  for (const feature of features) counts[fnv1a32(feature) % buckets] += 1;
  let sumSq = 0;
  for (const c of counts) sumSq += c * c;
  if (sumSq === 0) return;
  const norm = Math.sqrt(sumSq);
  for (let i = 0; i < buckets; i++) out[i] = counts[i] / norm;
}

/** Colour words and their RGB (0..255): single-word names from the end of the xkcd colour survey's list (its most-named). */
export const COLOUR_WORDS: ReadonlyMap<string, readonly [number, number, number]> = new Map(
  Object.entries(colourWordsFile.colours).map(([name, rgb]) => [name, rgb as [number, number, number]]),
);
export const COLOUR_TOKEN = 'colour';
export const COLOUR_SLOTS = 2;
/** r, g, b in [0, 1], then 1 when the slot is filled. */
export const COLOUR_SLOT_SIZE = 4;

/** The tokens with every colour word replaced by `colour`, and the colour words' RGB in order. */
export function colourTokens(text: string): { tokens: string[]; colours: (readonly [number, number, number])[] } {
  const colours: (readonly [number, number, number])[] = [];
  const tokens = tokenize(text).map((token) => {
    const rgb = COLOUR_WORDS.get(token);
    if (!rgb) return token;
    colours.push(rgb);
    return COLOUR_TOKEN;
  });
  return { tokens, colours };
}

/** The smallest dimension an encoding takes: the colour slots need a bag of at least one bucket beside them. */
export function minTextDim(encoding: TextEncoding): number {
  return encoding === HASHED_BOW_RGB_V1 ? COLOUR_SLOTS * COLOUR_SLOT_SIZE + 1 : 1;
}

/** The `hashed-bow-rgb-v1` embedding: a bag over D − 8 buckets, then two colour slots. */
export function encodeTextRgb(text: string, dim: number): Float32Array {
  const slots = COLOUR_SLOTS * COLOUR_SLOT_SIZE;
  if (!Number.isInteger(dim) || dim < minTextDim(HASHED_BOW_RGB_V1)) throw new RangeError(`${HASHED_BOW_RGB_V1} needs a dimension above ${slots}, got ${dim}`);
  const { tokens, colours } = colourTokens(text);
  const out = new Float32Array(dim);
  const bag = dim - slots;
  hashedBag(featuresOf(tokens), out, bag);
  colours.slice(0, COLOUR_SLOTS).forEach((rgb, k) => out.set([...rgb.map((c) => c / 255), 1], bag + k * COLOUR_SLOT_SIZE));
  return out;
}

/** The `text` input of a model card's encoding. */
export function encodeInstruction(encoding: TextEncoding, text: string, dim: number): Float32Array {
  return encoding === HASHED_BOW_RGB_V1 ? encodeTextRgb(text, dim) : encodeText(text, dim);
}

export function isTextEncoding(value: unknown): value is TextEncoding {
  return (TEXT_ENCODINGS as readonly unknown[]).includes(value);
}
