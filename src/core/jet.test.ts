import { describe, expect, it } from 'vitest';
import { jetColors } from './jet';

const rgbAt = (colours: Uint8Array, i: number) => Array.from(colours.subarray(i * 3, i * 3 + 3));

describe('jetColors', () => {
  it('matches matplotlib jet(np.linspace(0, 1, 100)) * 255 truncated to uint8', () => {
    // Reference values printed by matplotlib 3.6.3 (the version HAMSTER's fixtures were drawn with).
    const colours = jetColors(100);
    expect(rgbAt(colours, 0)).toEqual([0, 0, 127]);
    expect(rgbAt(colours, 1)).toEqual([0, 0, 136]);
    expect(rgbAt(colours, 10)).toEqual([0, 0, 241]);
    expect(rgbAt(colours, 33)).toEqual([0, 212, 255]);
    expect(rgbAt(colours, 49)).toEqual([118, 255, 128]);
    expect(rgbAt(colours, 50)).toEqual([128, 255, 118]);
    expect(rgbAt(colours, 66)).toEqual([255, 229, 0]);
    expect(rgbAt(colours, 98)).toEqual([136, 0, 0]);
    expect(rgbAt(colours, 99)).toEqual([127, 0, 0]);
  });

  it('works for other lengths', () => {
    const colours = jetColors(7);
    const all = Array.from({ length: 7 }, (_, i) => rgbAt(colours, i));
    expect(all).toEqual([[0, 0, 127], [0, 40, 255], [0, 212, 255], [124, 255, 121], [255, 229, 0], [255, 70, 0], [127, 0, 0]]);
    expect(rgbAt(jetColors(1), 0)).toEqual([0, 0, 127]);
  });
});
