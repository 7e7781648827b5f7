import { describe, expect, it } from 'vitest';
import { imageSizeProblem } from './imageLimits';

describe('image size limit', () => {
  it('takes images up to the limit', () => {
    expect(imageSizeProblem(7071, 7071, 50e6, 'a.png')).toBeNull();
  });
  it('refuses a larger one at once, saying how large and what to do', () => {
    expect(imageSizeProblem(20000, 20000, 50e6, 'bomb.png')).toBe('“bomb.png” is 20000×20000 pixels (400 MP), more than the 50 MP the studio decodes. Scale it down first, or raise the limit in Settings → Images if the file is genuine.');
    expect(imageSizeProblem(0, 10, 50e6, 'x.png')).toMatch(/header is damaged/);
  });
});
