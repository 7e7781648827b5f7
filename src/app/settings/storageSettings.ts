/** The Settings page's storage facts and choices: quota, persistence, the image size limit. */
export { readStorageReport, requestPersistentStorage, type StorageReport } from '../../storage/quota';
export { maxImagePixels, setMaxImageMegapixels } from '../../storage/settings';
