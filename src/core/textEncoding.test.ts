import { describe, expect, it } from 'vitest';
import { COLOUR_WORDS, colourTokens, encodeInstruction, encodeText, encodeTextRgb, fnv1a32, HASHED_BOW_RGB_V1, HASHED_BOW_V1, textFeatures, tokenize } from './textEncoding';
import shared from './textEncoding.vectors.json';
import sharedRgb from './textEncodingRgb.vectors.json';

describe('hashed-bow-v1 against the shared test vectors', () => {
  it.each(shared.hashes.map((h) => [h.token, h.fnv1a32] as const))('fnv1a32(%j) = %i', (token, hash) => {
    expect(fnv1a32(token)).toBe(hash);
  });

  it.each(shared.vectors.map((v) => [`${v.instruction} (D=${v.dim})`, v] as const))('%s', (_label, v) => {
    expect(tokenize(v.instruction)).toEqual(v.tokens);
    expect(textFeatures(v.instruction)).toEqual(v.features);
    const out = encodeText(v.instruction, v.dim);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out).toHaveLength(v.dim);
    const nonzero = [...out.keys()].filter((i) => out[i] !== 0);
    expect(nonzero).toEqual(v.indices);
    expect(nonzero.map((i) => Number(out[i].toPrecision(7)))).toEqual(v.values);
    // counts / ||counts||, rounded once to float32
    const norm = Math.hypot(...v.counts);
    expect(nonzero.map((i) => out[i])).toEqual(v.counts.map((c) => Math.fround(c / norm)));
  });
});

describe('hashed-bow-v1 behaviour', () => {
  it('uses the published FNV-1a-32 constants', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('ignores case and punctuation, and counts bigrams', () => {
    expect(Array.from(encodeText('Pick-UP the cup!'))).toEqual(Array.from(encodeText('pick up  the cup')));
    expect(textFeatures('a b c')).toEqual(['a', 'b', 'c', 'a_b', 'b_c']);
    expect(Array.from(encodeText('red block'))).not.toEqual(Array.from(encodeText('block red'))); // order matters via bigrams
  });

  it('is unit length, or all zeros without tokens', () => {
    const v = encodeText('put the apple behind the hammer');
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(encodeText('?!').every((x) => x === 0)).toBe(true);
    expect(() => encodeText('x', 0)).toThrow(RangeError);
  });
});

describe('hashed-bow-rgb-v1 against its shared test vectors', () => {
  it.each(sharedRgb.vectors.map((v) => [`${v.instruction} (D=${v.dim})`, v] as const))('%s', (_label, v) => {
    expect(colourTokens(v.instruction).tokens).toEqual(v.tokens);
    const out = encodeTextRgb(v.instruction, v.dim);
    expect(out).toHaveLength(v.dim);
    const nonzero = [...out.keys()].filter((i) => out[i] !== 0);
    expect(nonzero).toEqual(v.indices);
    expect(nonzero.map((i) => out[i])).toEqual(v.values.map(Math.fround));
  });
});

describe('hashed-bow-rgb-v1 behaviour', () => {
  it('hides which colour word was used from the bag and puts its RGB in the slots', () => {
    const red = encodeTextRgb('press the red button', 264);
    const purple = encodeTextRgb('press the purple button', 264);
    expect(Array.from(red.slice(0, 256))).toEqual(Array.from(purple.slice(0, 256)));
    expect(Array.from(purple.slice(256, 260))).toEqual([...COLOUR_WORDS.get('purple')!.map((c) => Math.fround(c / 255)), 1]);
    expect(Array.from(purple.slice(260))).toEqual([0, 0, 0, 0]);
  });

  it('keeps the order of two colours and ignores a third', () => {
    const v = encodeTextRgb('put the red cube in the blue bowl, not the green one', 40);
    expect(v[32 + 3]).toBe(1);
    expect(v[36 + 3]).toBe(1);
    expect(v[32]).toBeGreaterThan(v[32 + 2]); // red first
    expect(v[36 + 2]).toBeGreaterThan(v[36]); // blue second
  });

  it('is what encodeInstruction gives for its name; v1 is unchanged', () => {
    expect(Array.from(encodeInstruction(HASHED_BOW_RGB_V1, 'hit the brown button', 64))).toEqual(Array.from(encodeTextRgb('hit the brown button', 64)));
    expect(Array.from(encodeInstruction(HASHED_BOW_V1, 'hit the brown button', 64))).toEqual(Array.from(encodeText('hit the brown button', 64)));
    expect(() => encodeTextRgb('x', 8)).toThrow(RangeError);
  });
});
