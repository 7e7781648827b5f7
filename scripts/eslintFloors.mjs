/**
 * ESLint rule `floors/imports`: the floors of src/ (docs/ARCHITECTURE.md, Layout and layering).
 * Each relative import is resolved against the importing file, so a sub-folder that shares a name
 * with a top-level one (formats/video vs src/video) is told apart — a path pattern could not.
 *
 * Every floor lists what it may import; the lists form a strict order, so no two folders can
 * import each other (no cycle between folders). A worker is started with
 * `new Worker(new URL('../workers/x.worker.ts', import.meta.url))`: that names a file to load
 * apart, not a module imported here, so it is no arrow.
 */
import path from 'node:path';

const DOMAIN = ['core', 'formats', 'editor', 'robot', 'tracking', 'video', 'viewer3d', 'storage', 'inference', 'importers', 'exporters', 'team'];

/** What each floor may import besides itself, lowest floor first. */
export const FLOORS = {
  core: [],
  formats: ['core'],
  editor: ['core'],
  robot: ['core'],
  tracking: ['core'],
  viewer3d: ['core'],
  video: ['core', 'formats', 'tracking'],
  // The recorder's sink interface is robot's; storage implements it.
  storage: ['core', 'robot'],
  inference: ['core', 'robot', 'storage'],
  importers: ['core', 'formats', 'robot', 'tracking', 'video', 'storage'],
  exporters: ['core', 'formats', 'robot', 'video', 'storage'],
  // The team engine (docs/TEAMS.md): a shared dataset's Dexie records ⇄ its PouchDB replica ⇄ the server.
  team: ['core', 'storage'],
  // Worker entry points run the domain code they host.
  workers: DOMAIN,
  cli: DOMAIN,
  // The application layer: what each screen runs, over the whole domain.
  app: [...DOMAIN, 'workers'],
  // React components render what src/app gives them; the editor and the 3D view are view classes.
  ui: ['app', 'core', 'editor', 'viewer3d'],
  testing: [...DOMAIN, 'workers'],
};
/** Files directly in src/ (main.tsx) start the app and may import any floor. */
const ENTRY = null;

function floorOf(file) {
  const rel = path.relative(path.resolve('src'), path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  // A file directly in src/ is an entry point; `../inference` (a folder's index) is that floor.
  return parts.length === 1 && /\.tsx?$/.test(parts[0]) ? ENTRY : parts[0];
}

/** A type-only import leaves nothing at run time: src/ui may name the domain's types. */
function typeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

const rule = {
  meta: { type: 'problem', docs: { description: 'imports follow the floors of src/' }, schema: [] },
  create(context) {
    const from = floorOf(context.filename);
    if (!from) return {};
    const check = (node, spec, declaration) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = floorOf(path.resolve(path.dirname(context.filename), spec));
      if (!to || to === from) return;
      const allowed = FLOORS[from];
      if (!allowed || allowed.includes(to)) return;
      if (from === 'ui' && declaration && typeOnly(declaration) && DOMAIN.includes(to)) return;
      const hint = from === 'ui'
        ? ` React components reach src/${to} through src/app (the screen's controller or data module); type-only imports are fine.`
        : '';
      context.report({ node, message: `src/${from} may import only ${allowed.length ? allowed.map((f) => `src/${f}`).join(', ') : 'itself'}, not src/${to} (docs/ARCHITECTURE.md).${hint}` });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value, node),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value, node),
      ExportAllDeclaration: (node) => check(node.source, node.source.value, node),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value, null),
    };
  },
};

export default { rules: { imports: rule } };
