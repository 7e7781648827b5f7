/** The pure path core: runs unchanged in the browser, in workers and in Node. */
export * from './path';
export * from './geometry';
export * from './codec';
export * from './prompt';
export * from './simplify';
export * from './resample';
export * from './metrics';
export * from './raster';
export * from './jet';
export * from './overlay';
export * from './textEncoding';
