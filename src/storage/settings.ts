/** Studio-wide settings kept in this browser (localStorage): small values the user sets in Settings. */
import { DEFAULT_MAX_IMAGE_MEGAPIXELS } from '../core/imageLimits';

const MAX_IMAGE_MP_KEY = 'path-studio.settings.maxImageMegapixels';

/** The largest image the studio decodes, in pixels (Settings → Images). */
export function maxImagePixels(): number {
  const v = Number(globalThis.localStorage?.getItem(MAX_IMAGE_MP_KEY));
  return (Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_IMAGE_MEGAPIXELS) * 1e6;
}

export function setMaxImageMegapixels(mp: number): void {
  if (!(Number.isFinite(mp) && mp >= 1 && mp <= 1000)) throw new Error('The image limit must be between 1 and 1000 megapixels.');
  localStorage.setItem(MAX_IMAGE_MP_KEY, String(mp));
}
