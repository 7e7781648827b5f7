/**
 * ESLint rule `floors/imports`: the floors of src/ (docs/ARCHITECTURE.md, Layout and layering).
 * Each relative import is resolved against the importing file, so a sub-folder that shares a name
 * with a top-level one (formats/video vs src/video) is told apart — a path pattern could not.
 */
import path from 'node:path';

/** What each floor may import besides itself; floors not listed may import any floor below ui/app. */
export const FLOORS = {
  core: [],
  formats: ['core'],
  editor: ['core'],
  robot: ['core'],
};
/** The top floors: only main.tsx and ui import ui; only ui imports app. */
const TOP = { ui: ['main.tsx'], app: ['ui', 'main.tsx'] };
/** Floors a floor must reach through another: React components get stored data and workers through src/app. */
const THROUGH_APP = { ui: ['storage', 'workers'] };

function floorOf(file) {
  const rel = path.relative(path.resolve('src'), path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep)[0];
}

const rule = {
  meta: { type: 'problem', docs: { description: 'imports follow the floors of src/' }, schema: [] },
  create(context) {
    const from = floorOf(context.filename);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = floorOf(path.resolve(path.dirname(context.filename), spec));
      if (!to || to === from) return;
      const allowed = FLOORS[from];
      if (allowed && !allowed.includes(to)) {
        return context.report({ node, message: `src/${from} may import only ${allowed.length ? allowed.map((f) => `src/${f}`).join(', ') : 'itself'}, not src/${to} (docs/ARCHITECTURE.md).` });
      }
      if (THROUGH_APP[from]?.includes(to)) {
        return context.report({ node, message: `src/${from} reaches src/${to} through src/app (a controller or data module of the screen), not directly (docs/ARCHITECTURE.md).` });
      }
      if (TOP[to] && !TOP[to].includes(from)) {
        context.report({ node, message: `src/${to} is above src/${from}: pass what is needed down instead of importing it (docs/ARCHITECTURE.md).` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { imports: rule } };
