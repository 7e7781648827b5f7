import { describe, expect, it } from 'vitest';
import { encodeText, fnv1a32, textFeatures, tokenize } from './textEncoding';
import shared from './textEncoding.vectors.json';

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
