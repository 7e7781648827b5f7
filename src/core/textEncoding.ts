/**
 * `hashed-bow-v1` (DESIGN §3.3): a tokenizer-free instruction embedding that the TypeScript studio
 * and the Python trainer compute identically. The full specification, with the choices made here,
 * is docs/TEXT_ENCODING.md; the shared test vectors are textEncoding.vectors.json.
 *
 *   1. NFC-normalize, then lowercase (Unicode default case mapping).
 *   2. Tokens: maximal runs of Unicode letters (general category L*) and decimal digits (Nd);
 *      everything else separates. ASCII text reduces to runs of [a-z0-9].
 *   3. Features: every token, then every adjacent pair joined as `a_b`.
 *   4. For each feature, h = FNV-1a-32 over its UTF-8 bytes; add 1 at index h mod D.
 *   5. L2-normalize in float64, then store as float32. No features: all zeros.
 */

export const HASHED_BOW_V1 = 'hashed-bow-v1';
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
  const tokens = tokenize(text);
  const bigrams = tokens.slice(1).map((token, i) => `${tokens[i]}_${token}`);
  return [...tokens, ...bigrams];
}

/** Steps 4–5: the `hashed-bow-v1` embedding of `text`, length `dim`. */
export function encodeText(text: string, dim = DEFAULT_TEXT_DIM): Float32Array {
  if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`text encoding dimension must be a positive integer, got ${dim}`);
  const counts = new Float64Array(dim);
  for (const feature of textFeatures(text)) counts[fnv1a32(feature) % dim] += 1;
  let sumSq = 0;
  for (const c of counts) sumSq += c * c;
  const out = new Float32Array(dim);
  if (sumSq === 0) return out;
  const norm = Math.sqrt(sumSq);
  for (let i = 0; i < dim; i++) out[i] = counts[i] / norm;
  return out;
}
