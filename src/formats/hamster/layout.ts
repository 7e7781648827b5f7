/** File names inside a HAMSTER / VILA SFT zip (docs/EXPORT.md). Shared by the exporter and the importer. */
export const TRAIN_FILE = 'data.json';
export const VALIDATION_FILE = 'val.json';
export const INFO_FILE = 'export_info.json';
export const IMAGE_DIR = 'images/';
export const HAMSTER_FORMAT = 'path-studio/hamster-vila-sft';

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

export function imageFileName(assetId: string, mime: string): string {
  return `${IMAGE_DIR}${assetId}.${EXT[mime] ?? 'bin'}`;
}

export function mimeFromFileName(name: string): string | null {
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'png') return 'image/png';
  if (ext === 'webp') return 'image/webp';
  return null;
}
