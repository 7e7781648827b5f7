/**
 * The Content-Security-Policy the studio is served with — by `npm start`/`npm run dev` and by
 * `npm run preview` (the built app, which the browser tests drive) — plus the cross-origin
 * isolation headers onnxruntime-web needs for threaded WASM.
 *
 * No `unsafe-eval` anywhere the page runs: WASM compiles under `wasm-unsafe-eval` alone. The one
 * library that needs eval, OpenCV.js (its ~11 MB CommonJS build is evaluated with `new Function`,
 * see src/tracking/opencv.ts), runs only in the tracking worker, and a dedicated worker gets the
 * policy of its own script's response, not the page's: that one response carries a policy that
 * allows eval inside the worker — which can reach nothing but the studio's own origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

type Directives = Record<string, string[]>;

const BASE: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  // The robot (any ws:// or wss:// host the operator names) and, in the planner's direct mode, any
  // http(s) server; the relay keeps the usual case same-origin.
  'connect-src': ["'self'", 'ws:', 'wss:', 'http:', 'https:', 'blob:', 'data:'],
  'img-src': ["'self'", 'blob:', 'data:'],
  'media-src': ["'self'", 'blob:', 'data:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const serialize = (d: Directives) => Object.entries(d).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');

/** The built app's policy. */
export const STUDIO_CSP = serialize(BASE);

/**
 * The dev server's: the same plus inline scripts, which Vite's React fast-refresh preamble needs
 * (still no eval).
 */
export const DEV_CSP = serialize({ ...BASE, 'script-src': [...BASE['script-src'], "'unsafe-inline'"] });

/** The tracking worker's own policy: OpenCV.js is evaluated there, confined to the worker. */
export const TRACKING_WORKER_CSP = serialize({ ...BASE, 'script-src': [...BASE['script-src'], "'unsafe-eval'"] });

/** The tracking worker's script, built (`assets/tracking.worker-<hash>.js`) or served by Vite (`/src/workers/tracking.worker.ts?worker_file…`). */
export const isTrackingWorker = (url: string): boolean => /(^|\/)tracking\.worker[-.][^/]*$/.test(url.split('?')[0]);

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function securityHeaders(pagePolicy: string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', isTrackingWorker(req.url ?? '') ? TRACKING_WORKER_CSP : pagePolicy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  };
}

export function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'path-studio:content-security-policy',
    configureServer(server) {
      server.middlewares.use(securityHeaders(DEV_CSP));
    },
    configurePreviewServer(server) {
      server.middlewares.use(securityHeaders(STUDIO_CSP));
    },
  };
}
