/** Scales an image down so its longest side is `maxSide` (browser/worker only: createImageBitmap + OffscreenCanvas). */
export async function resizeImage(blob: Blob, mime: string, width: number, height: number, maxSide: number): Promise<Blob> {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return blob;
  const scale = maxSide / longest;
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const bitmap = await createImageBitmap(blob, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  try {
    const canvas = new OffscreenCanvas(w, h);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
    // Same format as the original so the file name's extension stays true.
    return await canvas.convertToBlob({ type: mime, quality: 0.92 });
  } finally {
    bitmap.close();
  }
}
