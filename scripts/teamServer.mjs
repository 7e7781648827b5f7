#!/usr/bin/env node
/**
 * `npm run server`: the embedded team server (docs/TEAMS.md). It speaks CouchDB's HTTP API and
 * replication protocol, so the studio talks to it exactly as it talks to Apache CouchDB.
 *
 * Why this and not something written here: the sync protocol (revision trees, checkpoints,
 * `_changes`, `_revs_diff`, `_bulk_get`, `_session`, `_users`, security objects,
 * validate_doc_update) is `express-pouchdb` — the server half of `pouchdb-server` 4.2 — over
 * PouchDB 9's LevelDB adapter (the `pouchdb` package, whose `leveldown` ships prebuilt binaries in
 * its npm package, so it installs with no download). `pouchdb-server`'s own CLI is the same
 * express-pouchdb plus options a team does not need, an SQLite adapter whose native build downloads
 * binaries, and PouchDB 7; this script starts the same parts with what a team setup needs on the
 * command line: a data folder, an admin, users, and CORS for the studio's origin.
 *
 *   npm run server -- --admin lead:secret [--user ann:pw[:annotator]]… [--origin http://host:port]…
 *                     [--port 5984] [--host 127.0.0.1] [--dir .team-data]
 *
 * Environment: TEAM_ADMIN (name:password), TEAM_USERS (comma-separated name:password[:role+role]),
 * TEAM_ORIGINS (comma-separated), TEAM_PORT, TEAM_HOST, TEAM_DATA.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import corser from 'corser';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDBNode from 'pouchdb';

const DEFAULT_ORIGINS = ['http://localhost:5173', 'http://localhost:4173'];
const DEFAULT_ROLES = ['annotator'];

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.TEAM_PORT ?? '5984' },
    host: { type: 'string', default: process.env.TEAM_HOST ?? '127.0.0.1' },
    dir: { type: 'string', default: process.env.TEAM_DATA ?? '.team-data' },
    admin: { type: 'string', default: process.env.TEAM_ADMIN },
    user: { type: 'string', multiple: true, default: (process.env.TEAM_USERS ?? '').split(',').filter(Boolean) },
    origin: { type: 'string', multiple: true, default: (process.env.TEAM_ORIGINS ?? '').split(',').filter(Boolean) },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0].replace(/^[#!].*\n\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
  process.exit(0);
}

function fail(message) {
  console.error(`team server: ${message}`);
  process.exit(2);
}

/** `name:password[:role+role]` → its parts. */
function account(spec, what) {
  // Roles after the second colon, whole (a role may hold a colon itself).
  const [name, password, ...rest] = spec.split(':');
  const roles = rest.join(':');
  if (!name || !password) fail(`${what} "${spec}" should be name:password`);
  return { name, password, roles: roles ? roles.split(/[+;]/).filter(Boolean) : DEFAULT_ROLES };
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`);
const dir = path.resolve(values.dir);
fs.mkdirSync(dir, { recursive: true });
const configPath = path.join(dir, 'config.json');
const origins = values.origin.length ? values.origin : DEFAULT_ORIGINS;

/** Whether a stored admin entry (`-pbkdf2-key,salt,iterations`, CouchDB's scheme) is this password. */
function samePassword(stored, password) {
  const m = /^-pbkdf2-([\da-f]+),([\da-f]+),(\d+)$/.exec(stored ?? '');
  return !!m && pbkdf2Sync(password, m[2], Number(m[3]), 20, 'sha1').toString('hex') === m[1];
}

/**
 * `<dir>/config.json` backs /_config, as local.ini does for CouchDB. It is written here, before
 * express-pouchdb reads it, rather than through its `couchConfig.set`: two of its saves in flight at
 * once (its own start-up save of an existing file and ours) share one temporary file, and the
 * second rename fails.
 */
const config0 = fs.existsSync(configPath) ? JSON.parse(fs.readFileSync(configPath, 'utf8')) : {};

// An admin: from the command line or the environment, or kept from an earlier start. Its password
// is hashed (pbkdf2) by express-pouchdb when it loads the file, as CouchDB hashes local.ini's.
if (values.admin) {
  const { name, password } = account(values.admin, '--admin');
  // The same password again keeps its hash: sessions are signed with the hash's salt, so a new salt
  // would sign the admin out of every browser at each restart.
  if (!samePassword(config0.admins?.[name], password)) config0.admins = { ...config0.admins, [name]: password };
} else if (!Object.keys(config0.admins ?? {}).length) {
  fail('no admin yet: start it once with --admin NAME:PASSWORD (or TEAM_ADMIN=NAME:PASSWORD). Without one, anyone could do anything ("admin party").');
}
// Sessions (the AuthSession cookie) are signed with this secret. express-pouchdb would make up a new
// one at every start, which signs every annotator out when the server restarts; keep one. Cookies
// last 10 minutes after the last request, as in CouchDB; live replication keeps refreshing them.
config0.couch_httpd_auth = { ...config0.couch_httpd_auth, secret: config0.couch_httpd_auth?.secret ?? randomBytes(16).toString('hex'), timeout: 600 };
// CORS as Apache CouchDB configures it ([httpd] enable_cors, [cors] origins/credentials), so the
// studio's page (another origin) may call the server with its session cookie.
config0.httpd = { ...config0.httpd, enable_cors: true };
config0.cors = { ...config0.cors, origins: origins.join(', '), credentials: true };
fs.writeFileSync(configPath, `${JSON.stringify(config0, null, 2)}\n`, { mode: 0o600 });

const PouchDB = PouchDBNode.defaults({ prefix: dir + path.sep });
const app = express();
const pouchApp = expressPouchDB(PouchDB, { configPath, logPath: path.join(dir, 'log.txt'), mode: 'fullCouchDB' });
const config = pouchApp.couchConfig;

const corsHeaders = ['accept', 'authorization', 'content-type', 'origin', 'referer', 'if-match', 'destination', 'x-requested-with', 'x-couch-full-commit'];
const corsMiddleware = corser.create({
  origins: config.get('cors', 'origins').split(/,\s*/),
  supportsCredentials: true,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'COPY'],
  requestHeaders: corsHeaders,
  responseHeaders: ['cache-control', 'content-type', 'etag', 'content-length', 'x-couch-request-id', 'x-couchdb-body-time', 'server'],
  endPreflightRequests: true,
});
app.use(corsMiddleware);

// express-pouchdb 4.2 answers a database creation by someone who is not a server admin by crashing
// (`db.info is not a function`: its security wrapper returns a refusal where the route expects a
// database) instead of CouchDB's 401. Ask the server who this is first (its own `_session`).
let selfUrl = '';
app.put('/:db', async (req, res, next) => {
  const headers = {};
  for (const h of ['cookie', 'authorization']) if (req.headers[h]) headers[h] = req.headers[h];
  const session = await fetch(`${selfUrl}_session`, { headers }).then((r) => r.json()).catch(() => null);
  if (session?.userCtx?.roles?.includes('_admin')) return next();
  res.status(401).json({ error: 'unauthorized', reason: 'Only a server admin can create a database.' });
});
/**
 * pouchdb-validation (express-pouchdb's validate_doc_update) sets `newDoc._revisions` to the stored
 * winner's history before validating, on the very object it then writes (pouchdb-server issue #419,
 * fix proposed in PR #420, never merged). A replicated revision (`_bulk_docs`, `new_edits: false`)
 * then looks like one the database already has, and the write is SILENTLY dropped: once a dataset
 * has its rules, every replicated edit of an existing document would vanish. Each replicated
 * document's own history is kept here: this wrapper is the outermost (registered after
 * validation's), and the assignment inside is ignored.
 */
pouchApp.dbWrapper.registerWrapper((name, db, next) => {
  const bulkDocs = db.bulkDocs;
  db.bulkDocs = function keepRevisions(req, opts, callback) {
    const options = typeof opts === 'object' && opts !== null ? opts : {};
    const docs = Array.isArray(req) ? req : req?.docs;
    if ((options.new_edits === false || req?.new_edits === false) && Array.isArray(docs)) {
      for (const doc of docs) {
        if (!doc || typeof doc !== 'object' || !doc._revisions) continue;
        const revisions = doc._revisions;
        Object.defineProperty(doc, '_revisions', { enumerable: true, configurable: true, get: () => revisions, set() {} });
      }
    }
    return bulkDocs.call(this, req, opts, callback);
  };
  next();
});
/**
 * CouchDB filters a changes feed by a Mango selector sent in the body (`POST _changes?filter=_selector`,
 * CouchDB 2+; PouchDB's replication sends its `selector` option so). express-pouchdb's route passes
 * on only the body's `doc_ids`, and the feed would come back unfiltered: a studio pulling a dataset's
 * metadata without its images (src/team/serverLink.ts) would get every image. The selector is handed
 * to the same route here (PouchDB's own changes feed does the filtering); the body is already read,
 * so express-pouchdb's parser leaves it as it is.
 */
app.post('/:db/_changes', express.json({ limit: '1mb' }), (req, _res, next) => {
  if (req.query.filter === '_selector' && req.body && typeof req.body.selector === 'object') req.query.selector = req.body.selector;
  next();
});
app.use(pouchApp);

/**
 * Creates or updates the users named on the command line through the server's own `_users` API
 * (as an admin would with curl), so express-pouchdb hashes their passwords as CouchDB does.
 */
async function ensureUsers(base, specs) {
  if (!specs.length) return;
  if (!values.admin) fail('--user needs --admin NAME:PASSWORD on the same start (the users are created as that admin)');
  const { name: adminName, password: adminPassword } = account(values.admin, '--admin');
  const headers = { authorization: `Basic ${Buffer.from(`${adminName}:${adminPassword}`).toString('base64')}`, 'content-type': 'application/json' };
  for (const spec of specs) {
    const { name, password, roles } = account(spec, '--user');
    const url = `${base}_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;
    const existing = await fetch(url, { headers }).then((r) => (r.ok ? r.json() : null));
    // Unchanged (the password still signs in, the same roles): left alone, so its sessions stay valid.
    const signsIn = existing && await fetch(`${base}_session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) }).then((r) => r.ok);
    if (signsIn && [...(existing.roles ?? [])].sort().join() === [...roles].sort().join()) continue;
    const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ ...(existing ?? {}), name, password, roles, type: 'user' }) });
    if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  }
}

const server = app.listen(port, values.host, async () => {
  selfUrl = `http://${values.host === '0.0.0.0' || values.host === '::' ? '127.0.0.1' : values.host}:${server.address().port}/`;
  try {
    await ensureUsers(selfUrl, values.user);
  } catch (err) {
    fail(`could not create the users: ${err?.message ?? err}`);
  }
  const where = `http://${values.host}:${server.address().port}/`;
  console.log(`Path Studio team server (CouchDB protocol, express-pouchdb) on ${where}`);
  console.log(`  data: ${dir}  ·  studio origins allowed (CORS): ${origins.join(', ')}${values.user.length ? `  ·  users: ${values.user.map((u) => u.split(':')[0]).join(', ')}` : ''}`);
});
server.on('error', (err) => fail(err.code === 'EADDRINUSE' ? `port ${port} is in use (another server? try --port)` : String(err)));

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
