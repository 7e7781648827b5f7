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
export const CATALOGUE_DB = 'pathstudio-catalogue';

/** Roles that make a user a member of the team's databases (set by an admin in `_users`). */
export const TEAM_ROLES = ['annotator', 'reviewer', 'admin'];

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

  private async request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.url}${path}`, {
        ...init, headers, credentials: 'include', body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
    } catch (err) {
      throw new TeamServerError(
        `The team server at ${this.url} cannot be reached (${err instanceof Error ? err.message : String(err)}). Is it running (npm run server), and does it allow this page's address (CORS, docs/TEAM.md)?`,
      );
    }
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
        'The server accepted the password but this browser did not keep its session cookie. Open the studio and the server under the same host name (both localhost, not one 127.0.0.1), or serve both over HTTPS (docs/TEAM.md).',
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
    if (status === 401 || status === 403) throw new TeamServerError('You are not a member of this team: an admin gives your user one of the roles annotator, reviewer or admin (docs/TEAM.md).', status);
    if (status >= 400) throw new TeamServerError(`Could not list the shared datasets: ${TeamServer.reason(body, `HTTP ${status}`)}`, status);
    const rows = (body.rows as { doc?: Json }[] | undefined) ?? [];
    return rows.map((r) => r.doc).filter((d): d is Json => !!d && typeof d.name === 'string' && typeof d.db === 'string')
      .map((d) => ({ id: String(d._id), name: String(d.name), db: String(d.db), sharedBy: String(d.sharedBy ?? ''), sharedAt: Number(d.sharedAt ?? 0), samples: typeof d.samples === 'number' ? d.samples : undefined }));
  }

  /** Creates a database (an admin's right in CouchDB); one that exists already is fine. */
  private async ensureDb(db: string, owner: string): Promise<void> {
    const created = await this.request(encodeURIComponent(db), { method: 'PUT' });
    if (created.status === 401 || created.status === 403) {
      throw new TeamServerError('Only a server admin can share a dataset (CouchDB lets admins create databases): sign in as one, or ask one to share it.', created.status);
    }
    if (created.status >= 400 && created.status !== 412) throw new TeamServerError(`Could not create ${db} on the server: ${TeamServer.reason(created.body, `HTTP ${created.status}`)}`, created.status);
    if (created.status === 412) return;
    // Members: users with a team role; admins of the database: whoever shared it (server admins always are).
    const security = { admins: { names: [owner], roles: [] }, members: { names: [], roles: TEAM_ROLES } };
    const sec = await this.request(`${encodeURIComponent(db)}/_security`, { method: 'PUT', json: security });
    if (sec.status >= 400) throw new TeamServerError(`Could not set who may use ${db}: ${TeamServer.reason(sec.body, `HTTP ${sec.status}`)}`, sec.status);
  }

  /** Creates the dataset's database and lists it in the catalogue. */
  async publish(entry: CatalogueEntry): Promise<void> {
    await this.ensureDb(CATALOGUE_DB, entry.sharedBy);
    await this.ensureDb(entry.db, entry.sharedBy);
    const path = `${CATALOGUE_DB}/${encodeURIComponent(entry.id)}`;
    const existing = await this.request(path);
    const rev = existing.status === 200 ? existing.body._rev : undefined;
    const { id, ...fields } = entry;
    const put = await this.request(path, { method: 'PUT', json: { ...fields, _id: id, ...(rev ? { _rev: rev } : {}) } });
    if (put.status >= 400) throw new TeamServerError(`Could not list the dataset on the server: ${TeamServer.reason(put.body, `HTTP ${put.status}`)}`, put.status);
  }
}
