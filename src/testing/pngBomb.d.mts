/** A valid `side`×`side` 1-bit grey PNG of ~50 KB that decodes to side² RGBA pixels (pngBomb.mjs). */
export function pngBomb(side?: number): Buffer;
