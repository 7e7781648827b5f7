import { createRequire } from 'node:module';
import { loadOpenCv } from '../tracking/opencv';

/** OpenCV.js for Node tests/benchmarks through Node's `require`, boxed (the module is a thenable). */
export const loadOpenCvInNode = () => loadOpenCv(() => Promise.resolve({ default: createRequire(import.meta.url)('@techstark/opencv-js') as unknown }));
