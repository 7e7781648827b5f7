// Node module hook for the CLI: Vite's `import url from 'x.wasm?url'` (used by the browser readers)
// resolves to the file's path on disk, so the same reader modules load under tsx.
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?url')) return next(specifier, context);
  const target = await next(specifier.slice(0, -'?url'.length), context);
  const path = fileURLToPath(target.url);
  return { url: `data:text/javascript,${encodeURIComponent(`export default ${JSON.stringify(path)};`)}`, shortCircuit: true };
}
