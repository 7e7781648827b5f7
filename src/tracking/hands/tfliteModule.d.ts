// The bundled ES build of @tensorflow/tfjs-tflite has the package's API (its own typings describe it).
declare module '@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js' {
  export * from '@tensorflow/tfjs-tflite';
}
