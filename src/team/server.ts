/**
 * The team server's HTTP API as the studio uses it outside replication: CouchDB's cookie session
 * (`/_session`, users from `_users`), creating a shared dataset's database with its security object,
 * and the catalogue of shared datasets. Works against Apache CouchDB and the embedded server
 * (`npm run server`) alike. Every request carries the session cookie (`credentials: 'include'`).
 *
 * The catalogue is a database of its own (`pathstudio-catalogue`, one document per shared dataset)
 * because CouchDB lets only admins list databases (`_all_dbs`), while every team member may read
 * the catalogue.
 */
import { toBase64 } from './typedJson';
import { DESIGN_DOC_ID, designDoc, VALIDATE_DOC_UPDATE, type ProjectRole } from './validate';
import { errorMessage } from '../core/errorMessage';

export const CATALOGUE_DB = 'pathstudio-catalogue';
/** The team's models: one document per ONNX graph (`model:<sha256>`), its card in it, the graph attached. */
export const MODELS_DB = 'pathstudio-models';
export const MODEL_ATTACHMENT = 'onnx';

/** Roles that make a user a member of the team's databases (set by an admin in `_users`). */
export const TEAM_ROLES = ['annotator', 'reviewer', 'admin'];

const NOT_A_MEMBER = 'You are not a member of this team: an admin gives your user one of the roles annotator, reviewer or admin (docs/TEAMS.md).';

/** The server database of a shared dataset (CouchDB names: lower case, starting with a letter). */
export function datasetDbName(datasetId: string): string {
  const id = datasetId.toLowerCase().replace(/[^a-z0-9_$()+-]/g, '_');
  return `pathstudio-ds-${id}`;
}

export interface SessionUser {
  name: string;
  roles: string[];
}

export interface CatalogueEntry {
  /** The dataset's id, the same in every browser that joins it. */
  id: string;
  name: string;
  /** Its database on the server. */
  db: string;
  sharedBy: string;
  sharedAt: number;
  samples?: number;
}

/** Whether a shared dataset's database enforces this studio's rules (validate.ts). */
export type RulesState = 'current' | 'missing' | 'outdated';

/** What the studio reads of a shared dataset's rules: the per-project roles, and whether the rules are installed. */
export interface ProjectSettings {
  roles: Record<string, ProjectRole>;
  rules: RulesState;
}

/** A model shared with the team (the card as its author wrote it; the graph stays on the server until fetched). */
export interface TeamModelEntry {
  /** `model:<sha256 of the ONNX file>`. */
  id: string;
  sha256: string;
  name: string;
  role: 'planner' | 'policy';
  card: Record<string, unknown>;
  /** Bytes of the ONNX file. */
  size: number;
  sharedBy: string;
  sharedAt: number;
}

/** What sharing a model sends. */
export interface ModelToShare {
  sha256: string;
  name: string;
  role: 'planner' | 'policy';
  card: Record<string, unknown>;
  onnx: Blob;
}

export class TeamServerError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'TeamServerError';
  }
}

/** The server's address as typed, checked and with one trailing slash. */
export function normalizeServerUrl(input: string): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TeamServerError(`“${text}” is not an address: give the server's URL, e.g. http://localhost:5984.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TeamServerError('The team server is reached over http:// or https://.');
  if (url.username || url.password) throw new TeamServerError('Leave the name and password out of the address: sign in below instead.');
  return `${url.origin}${url.pathname.replace(/\/*$/, '/')}`;
}

type Json = Record<string, unknown>;

export class TeamServer {
  readonly url: string;

  constructor(url: string, private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.url = normalizeServerUrl(url);
  }

  /** The URL of one of its databases (what PouchDB replicates with). */
  dbUrl(db: string): string {
    return `${this.url}${encodeURIComponent(db)}`;
  }

  /** One request with the session cookie; a server that cannot be reached is said so, with what to check. */
  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.url}${path}`, { ...init, credentials: 'include' });
    } catch (err) {
      throw new TeamServerError(
        `The team server at ${this.url} cannot be reached (${errorMessage(err)}). Is it running (npm run server), and does it allow this page's address (CORS, docs/TEAMS.md)?`,
      );
    }
  }

  private async request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send(path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    const body = (await res.json().catch(() => ({}))) as Json;
    return { status: res.status, body };
  }

  private static reason(body: Json, fallback: string): string {
    return typeof body.reason === 'string' ? body.reason : typeof body.error === 'string' ? body.error : fallback;
  }

  /** Who this browser is signed in as on the server (its session cookie), or null. */
  async session(): Promise<SessionUser | null> {
    const { status, body } = await this.request('_session');
    if (status >= 400) throw new TeamServerError(`The server did not say who is signed in: ${TeamServer.reason(body, `HTTP ${status}`)}`, status);
    const ctx = body.userCtx as { name?: string | null; roles?: string[] } | undefined;
    return ctx?.name ? { name: ctx.name, roles: ctx.roles ?? [] } : null;
  }

  /** Signs in with a user of the server; the session is a cookie the browser keeps for this server. */
  async signIn(name: string, password: string): Promise<SessionUser> {
    if (!name.trim() || !password) throw new TeamServerError('Give your name and password on the team server.');
    const { status, body } = await this.request('_session', { method: 'POST', json: { name: name.trim(), password } });
    if (status === 401) throw new TeamServerError('Wrong name or password.', status);
    if (status >= 400) throw new TeamServerError(`Could not sign in: ${TeamServer.reason(body, `HTTP ${status}`)}`, status);
    const user = await this.session();
    if (!user) {
      throw new TeamServerError(
        'The server accepted the password but this browser did not keep its session cookie. Open the studio and the server under the same host name (both localhost, not one 127.0.0.1), or serve both over HTTPS (docs/TEAMS.md).',
      );
    }
    return user;
  }

  async signOut(): Promise<void> {
    await this.request('_session', { method: 'DELETE' }).catch(() => undefined);
  }

  /** The datasets shared on this server; empty when none was shared yet. */
  async catalogue(): Promise<CatalogueEntry[]> {
    const { status, body } = await this.request(`${CATALOGUE_DB}/_all_docs?include_docs=true`);
    if (status === 404) return [];
    if (status === 401 || status === 403) throw new TeamServerError(NOT_A_MEMBER, status);
    if (status >= 400) throw new TeamServerError(`Could not list the shared datasets: ${TeamServer.reason(body, `HTTP ${status}`)}`, status);
    const rows = (body.rows as { doc?: Json }[] | undefined) ?? [];
    return rows.map((r) => r.doc).filter((d): d is Json => !!d && typeof d.name === 'string' && typeof d.db === 'string')
      .map((d) => ({ id: String(d._id), name: String(d.name), db: String(d.db), sharedBy: String(d.sharedBy ?? ''), sharedAt: Number(d.sharedAt ?? 0), samples: typeof d.samples === 'number' ? d.samples : undefined }));
  }

  /** Creates a database (an admin's right in CouchDB); one that exists already is fine. */
  private async ensureDb(db: string, owner: string, rules = false, what = 'share a dataset'): Promise<void> {
    const created = await this.request(encodeURIComponent(db), { method: 'PUT' });
    if (created.status === 401 || created.status === 403) {
      throw new TeamServerError(`Only a server admin can ${what} (CouchDB lets admins create databases): sign in as one, or ask one to ${what}.`, created.status);
    }
    if (created.status >= 400 && created.status !== 412) throw new TeamServerError(`Could not create ${db} on the server: ${TeamServer.reason(created.body, `HTTP ${created.status}`)}`, created.status);
    if (created.status !== 412) {
      // Members: users with a team role; admins of the database: whoever shared it (server admins always are).
      // `pathstudio.roles`: the per-project roles (validate.ts), none yet: users' own roles apply.
      const security = { admins: { names: [owner], roles: [] }, members: { names: [], roles: TEAM_ROLES }, pathstudio: { roles: {} } };
      const sec = await this.request(`${encodeURIComponent(db)}/_security`, { method: 'PUT', json: security });
      if (sec.status >= 400) throw new TeamServerError(`Could not set who may use ${db}: ${TeamServer.reason(sec.body, `HTTP ${sec.status}`)}`, sec.status);
    }
    if (rules) await this.installRules(db);
  }

  /**
   * Installs (or updates) the validation rules of a dataset's database, keeping its roles — what
   * sharing does, and what an admin does for a dataset shared before the rules (or before they
   * changed). CouchDB lets only the database's admins write a design document.
   */
  async installRules(db: string): Promise<void> {
    const path = `${encodeURIComponent(db)}/${DESIGN_DOC_ID}`;
    const existing = await this.request(path);
    if (existing.status === 200 && existing.body.validate_doc_update === VALIDATE_DOC_UPDATE) return;
    const roles = (existing.status === 200 ? existing.body.project_roles : undefined) as Record<string, ProjectRole> | undefined;
    const put = await this.request(path, { method: 'PUT', json: { ...designDoc(roles ?? {}), ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) } });
    if (put.status === 401 || put.status === 403) {
      throw new TeamServerError(`Only an admin of this dataset (whoever shared it, or a server admin) can install its rules: ask one to sign in here and press Install the rules.`, put.status);
    }
    if (put.status >= 400) throw new TeamServerError(`Could not install the team's rules in ${db}: ${TeamServer.reason(put.body, `HTTP ${put.status}`)}`, put.status);
  }

  /**
   * A dataset database's per-project roles ({} when none were given; users' own roles apply) and
   * whether its rules are this studio's; null when the server cannot say (unreachable, not a member).
   */
  async projectSettings(db: string): Promise<ProjectSettings | null> {
    const { status, body } = await this.request(`${encodeURIComponent(db)}/${DESIGN_DOC_ID}`).catch(() => ({ status: 0, body: {} as Json }));
    // The design document is missing or deleted; a missing database (also 404) is not a dataset's.
    if (status === 404 && (body.reason === 'missing' || body.reason === 'deleted')) return { roles: {}, rules: 'missing' };
    if (status !== 200) return null;
    const roles = (body.project_roles as Record<string, ProjectRole> | undefined) ?? {};
    return { roles, rules: body.validate_doc_update === VALIDATE_DOC_UPDATE ? 'current' : body.validate_doc_update ? 'outdated' : 'missing' };
  }

  /**
   * Gives a user a role in one project (null: back to the user's own roles), as a database admin:
   * in the security object and in the design document's copy the validation function reads (validate.ts).
   */
  async setProjectRole(db: string, user: string, role: ProjectRole | null): Promise<void> {
    const base = encodeURIComponent(db);
    const sec = await this.request(`${base}/_security`);
    if (sec.status >= 400) throw new TeamServerError(`Only an admin of ${db} can give roles: ${TeamServer.reason(sec.body, `HTTP ${sec.status}`)}`, sec.status);
    const security = sec.body as { members?: { names?: string[]; roles?: string[] }; pathstudio?: { roles?: Record<string, ProjectRole> } };
    const roles = { ...(security.pathstudio?.roles ?? {}) };
    if (role) roles[user] = role;
    else delete roles[user];
    // A project role makes the user a member too, even without a team role of their own in _users.
    const names = new Set(security.members?.names ?? []);
    if (role) names.add(user);
    const members = { roles: security.members?.roles ?? TEAM_ROLES, names: [...names] };
    const putSec = await this.request(`${base}/_security`, { method: 'PUT', json: { ...security, members, pathstudio: { ...security.pathstudio, roles } } });
    if (putSec.status >= 400) throw new TeamServerError(`Only an admin of ${db} can give roles: ${TeamServer.reason(putSec.body, `HTTP ${putSec.status}`)}`, putSec.status);
    const path = `${base}/${DESIGN_DOC_ID}`;
    const existing = await this.request(path);
    const put = await this.request(path, { method: 'PUT', json: { ...designDoc(roles), ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) } });
    if (put.status >= 400) throw new TeamServerError(`Could not copy the roles into ${db}'s rules: ${TeamServer.reason(put.body, `HTTP ${put.status}`)}`, put.status);
  }

  /** Creates the dataset's database and lists it in the catalogue. */
  async publish(entry: CatalogueEntry): Promise<void> {
    await this.ensureDb(CATALOGUE_DB, entry.sharedBy);
    await this.ensureDb(entry.db, entry.sharedBy, true);
    const path = `${CATALOGUE_DB}/${encodeURIComponent(entry.id)}`;
    const existing = await this.request(path);
    const rev = existing.status === 200 ? existing.body._rev : undefined;
    const { id, ...fields } = entry;
    const put = await this.request(path, { method: 'PUT', json: { ...fields, _id: id, ...(rev ? { _rev: rev } : {}) } });
    if (put.status >= 400) throw new TeamServerError(`Could not list the dataset on the server: ${TeamServer.reason(put.body, `HTTP ${put.status}`)}`, put.status);
  }

  // ── models ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Shares a model with the team: its card in `model:<sha256>`, the ONNX file attached. The models
   * database is made by the first server admin who shares one; after that every member may. A
   * graph already on the server (the same bytes) is left as it is: false.
   */
  async shareModel(model: ModelToShare, user: string): Promise<boolean> {
    const base = encodeURIComponent(MODELS_DB);
    const exists = await this.request(base);
    if (exists.status === 401 || exists.status === 403) throw new TeamServerError(NOT_A_MEMBER, exists.status);
    if (exists.status !== 200) await this.ensureDb(MODELS_DB, user, true, 'share the team\'s first model');
    const id = `model:${model.sha256}`;
    const path = `${base}/${encodeURIComponent(id)}`;
    const current = await this.request(path);
    if (current.status === 200 && (current.body._attachments as Record<string, unknown> | undefined)?.[MODEL_ATTACHMENT]) return false;
    const now = Date.now();
    // The graph inline (base64) in the same write: express-pouchdb runs the rules of an attachment
    // written on its own without the signed-in user (its route drops them), so it would be refused.
    const doc = {
      type: 'model', name: model.name, role: model.role, card: model.card, sharedBy: user, sharedAt: now, changedBy: user, changedAt: now,
      _attachments: { [MODEL_ATTACHMENT]: { content_type: 'application/octet-stream', data: toBase64(new Uint8Array(await model.onnx.arrayBuffer())) } },
      ...(current.status === 200 ? { _rev: current.body._rev } : {}),
    };
    const put = await this.request(path, { method: 'PUT', json: doc });
    if (put.status >= 400) throw new TeamServerError(`Could not share the model “${model.name}”: ${TeamServer.reason(put.body, `HTTP ${put.status}`)}`, put.status);
    return true;
  }

  /** The models shared with the team, newest first; empty when none was shared yet. */
  async models(): Promise<TeamModelEntry[]> {
    const range = `startkey=${encodeURIComponent('"model:"')}&endkey=${encodeURIComponent('"model:\ufff0"')}`;
    const { status, body } = await this.request(`${encodeURIComponent(MODELS_DB)}/_all_docs?include_docs=true&${range}`);
    if (status === 404) return [];
    if (status === 401 || status === 403) throw new TeamServerError(NOT_A_MEMBER, status);
    if (status >= 400) throw new TeamServerError(`Could not list the team's models: ${TeamServer.reason(body, `HTTP ${status}`)}`, status);
    const rows = (body.rows as { doc?: Json }[] | undefined) ?? [];
    return rows.map((r) => r.doc).filter((d): d is Json => !!d && (d._attachments as Record<string, unknown> | undefined)?.[MODEL_ATTACHMENT] !== undefined)
      .map((d) => {
        const file = (d._attachments as Record<string, { length?: number }>)[MODEL_ATTACHMENT];
        return {
          id: String(d._id), sha256: String(d._id).slice('model:'.length), name: String(d.name ?? ''), role: d.role === 'policy' ? 'policy' as const : 'planner' as const,
          card: (d.card as Record<string, unknown>) ?? {}, size: Number(file.length ?? 0), sharedBy: String(d.sharedBy ?? ''), sharedAt: Number(d.sharedAt ?? 0),
        };
      })
      .sort((a, b) => b.sharedAt - a.sharedAt);
  }

  /** A shared model's ONNX file. */
  async modelFile(entry: TeamModelEntry): Promise<Blob> {
    const res = await this.send(`${encodeURIComponent(MODELS_DB)}/${encodeURIComponent(entry.id)}/${MODEL_ATTACHMENT}`);
    if (res.status === 401 || res.status === 403) throw new TeamServerError(NOT_A_MEMBER, res.status);
    if (res.status === 404) throw new TeamServerError(`“${entry.name}” is no longer on the team server: press Refresh to see the models it has.`, res.status);
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as Json;
      throw new TeamServerError(`The team server did not send “${entry.name}” (${TeamServer.reason(body, `HTTP ${res.status}`)}): try again, or ask whoever runs the server.`, res.status);
    }
    return res.blob();
  }
}
