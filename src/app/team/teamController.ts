/**
 * Team mode (docs/TEAMS.md): the server, who is signed in, which datasets are shared from this
 * browser and the sync state of each. Settings → Team renders it; the Library shows each shared
 * dataset's state. Nothing here runs for someone who never connects: with no dataset shared the
 * engine (PouchDB, src/team) is never loaded and Dexie stays the only store.
 *
 * What is remembered (localStorage, this browser): the server's address, the last user, and the
 * shared datasets with their server databases. The session itself is the server's cookie.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import { imageAvailability, setAssetSource, storedAssetIds, type AssetSource } from '../../storage/assets';
import { onChangesFromElsewhere, shareStoredChangesWithOtherTabs } from '../../storage/changeFeed';
import { getDb } from '../../storage/db';
import { getDataset, listDatasets } from '../../storage/datasets';
import { sha256Hex } from '../../storage/hash';
import { getModel, putModel } from '../../storage/models';
import type { Assignment, ConflictVersion, DatasetReplica, MergeField, Presence, RefusedChange, ReplicaStatus, SyncState } from '../../team/replica';
import { queueOf } from '../../team/assignments';
import { WITHOUT_IMAGES } from '../../team/docs';
import { readDatasetSamples } from '../../storage/replica';
import type { SampleRecord, SampleStatus } from '../../storage/types';
import { livePresence } from '../../team/presence';
import { projectRole, type ProjectRole } from '../../team/validate';
import type { TeamPlatform } from '../../team/platform';
import { datasetDbName, normalizeServerUrl, TeamServer, type CatalogueEntry, type RulesState, type SessionUser, type TeamModelEntry } from '../../team/server';
import { useDatasets } from '../library/datasetList';
import { ReplicaImages } from './replicaImages';
import { TeamTabs } from './tabs';
import { errorMessage } from '../../core/errorMessage';

export type { Assignment, CatalogueEntry, ConflictVersion, MergeField, Presence, ProjectRole, RefusedChange, RulesState, SessionUser, SyncState, TeamModelEntry };

/** An annotator's queue in a shared dataset: what was assigned, the samples it names, and those still to do. */
export interface TeamQueue {
  assignment: Assignment;
  samples: SampleRecord[];
  todo: SampleRecord[];
}

/** What an annotator still has to do (as Annotate's own queue: drafts and rejected ones). */
const TO_DO: SampleStatus[] = ['draft', 'rejected'];

const CONFIG_KEY = 'path-studio.team';
/**
 * Documents per request when joining: a sample's metadata is a few hundred bytes, and each batch
 * costs the server a changes read, a revs_diff and a bulk_get, so 1,000 is ~3× faster than 100.
 */
const JOIN_BATCH = 1000;
export const DEFAULT_SERVER_URL = 'http://localhost:5984/';

interface SharedConfig {
  name: string;
  /** The server it replicates with, and its database there. */
  server: string;
  db: string;
  /**
   * Its images stay on the server until they are shown (a joined dataset, by default); false or
   * absent: every image is kept here too ("available offline"; a dataset shared from here has them).
   */
  imagesOnDemand?: boolean;
}

interface TeamConfig {
  serverUrl: string;
  /** The last user signed in here: stamps changes made while the server cannot say. */
  user: string | null;
  datasets: Record<string, SharedConfig>;
}

export interface TeamDatasetState extends ReplicaStatus {
  id: string;
  name: string;
  server: string;
  /** The signed-in user's role in this project, as the server's rules read it (null before it is known). */
  role: ProjectRole | null;
  /** The per-project roles given on the server ({ user: role }). */
  roles: Record<string, ProjectRole>;
  /** Images come from the server as they are shown, rather than all kept here. */
  imagesOnDemand: boolean;
  /** With images on demand: how many of the images of the signed-in user's queue (still to do) are here, once fetched ahead. */
  queueImages?: { here: number; total: number };
  /**
   * Whether the server enforces the team's rules in this dataset (null before it is known): a
   * dataset shared before them, or before they changed, has none or older ones until an admin installs them.
   */
  rules: RulesState | null;
}

export interface TeamState {
  serverUrl: string;
  user: SessionUser | null;
  busy: null | 'signing-in' | 'signing-out' | 'sharing' | 'joining' | 'listing';
  message: { ok: boolean; text: string } | null;
  /** The datasets this browser shares or joined, by id. */
  datasets: Record<string, TeamDatasetState>;
  /** What the server lists as shared (after Refresh), null before. */
  available: CatalogueEntry[] | null;
  /** Team sync runs in another tab of this browser; this one shows its state and asks it to act (tabs.ts). */
  otherTab: boolean;
  /** The models shared with the team (after Refresh on the Models page), null before. */
  models: TeamModelEntry[] | null;
}

interface Engine {
  platform: TeamPlatform;
  DatasetReplica: typeof DatasetReplica;
  localReplicaName: (datasetId: string) => string;
  describeSyncError: (err: unknown) => string;
}

function readConfig(): TeamConfig {
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(CONFIG_KEY) ?? 'null') as Partial<TeamConfig> | null;
    if (raw && typeof raw === 'object') {
      return { serverUrl: typeof raw.serverUrl === 'string' ? raw.serverUrl : DEFAULT_SERVER_URL, user: typeof raw.user === 'string' ? raw.user : null, datasets: raw.datasets && typeof raw.datasets === 'object' ? raw.datasets : {} };
    }
  } catch {
    // A damaged entry: start afresh.
  }
  return { serverUrl: DEFAULT_SERVER_URL, user: null, datasets: {} };
}

/**
 * What a tab that follows asks the lead tab to do (tabs.ts): everything that talks to the engine or
 * the server. What only reads the state or this browser's store runs in every tab.
 */
const RUN_BY_LEAD = [
  'setServerUrl', 'signIn', 'signOut', 'refreshAvailable', 'share', 'join', 'setImagesOnDemand', 'conflictVersions', 'resolveConflict',
  'setPresence', 'assign', 'dismissRefused', 'refreshRoles', 'setProjectRole', 'installRules', 'refreshModels', 'shareModel', 'fetchModel',
] as const;
type Method = (...args: unknown[]) => unknown;

/** A shared dataset's state before its replica has said anything. */
function blankDatasetState(id: string, name: string, server: string, imagesOnDemand: boolean): TeamDatasetState {
  return { id, name, server, state: 'offline', message: null, lastSyncedAt: null, conflicts: [], refused: [], presence: [], assignments: [], role: null, roles: {}, imagesOnDemand, rules: null };
}

export class TeamController extends SnapshotStore<TeamState> {
  private config: TeamConfig;
  private engine: Promise<Engine> | null = null;
  private readonly replicas = new Map<string, DatasetReplica>();
  private resumed: Promise<void> | null = null;
  /** Queues being fetched ahead (prefetchQueue), and which assignment was last fetched completely, by dataset. */
  private readonly prefetching = new Set<string>();
  private readonly prefetched = new Map<string, { assignment: string; at: number }>();
  /** Where storage gets an image that is not here: the server of a dataset shared with images on demand. */
  private readonly imageSource = new ReplicaImages(() => this.replicas.values());

  private readonly tabs = new TeamTabs({
    onLead: () => this.takeOver(),
    onState: (state) => this.set({ ...(state as TeamState), otherTab: true }),
    onCall: (method, args) => this.runForTab(method, args),
    currentState: () => this.state,
  });
  /** Another tab leads: this one's calls in RUN_BY_LEAD go there. */
  private follows = false;
  private started: Promise<void> | null = null;
  private readonly ownMethods: Record<string, Method> = {};
  /** Resolves once this tab's part is running: the engine started here, or the lead tab found. */
  private ready: Promise<unknown> = Promise.resolve();
  /**
   * What storage asks for an image it does not have (registered as soon as team mode starts, so a
   * screen opened while the engine starts waits for it): this tab's replicas, or the lead tab.
   */
  private readonly assetSource: AssetSource = {
    fetch: async (assetId) => {
      await this.running();
      return this.follows ? this.tabs.call<boolean>('fetchImage', [assetId]).catch(() => false) : this.imageSource.fetch(assetId);
    },
    thumbnail: async (assetId) => {
      await this.running();
      return this.follows ? this.tabs.call<Blob | undefined>('fetchThumbnail', [assetId]).catch(() => undefined) : this.imageSource.thumbnail(assetId);
    },
  };

  constructor(private readonly loadEngine: () => Promise<Engine> = loadBrowserEngine) {
    const config = readConfig();
    super({ serverUrl: config.serverUrl, user: null, busy: null, message: null, datasets: {}, available: null, otherTab: false, models: null });
    this.config = config;
    const methods = this as unknown as Record<string, Method>;
    for (const name of RUN_BY_LEAD) {
      const own = methods[name].bind(this);
      this.ownMethods[name] = own;
      methods[name] = (...args) => (this.follows ? this.tabs.call(name, args) : own(...args));
    }
    this.subscribe(() => {
      if (!this.follows) this.tabs.publish(this.state);
    });
    // A screen may ask for a shared dataset's image before the start at idle time (main.tsx) has run.
    if (Object.keys(config.datasets).length) setAssetSource(this.assetSource);
  }

  /** Team mode started in this tab (started now if it had not yet), as lead or follower. */
  private async running(): Promise<void> {
    await this.resume().catch(() => undefined);
    await this.ready.catch(() => undefined);
  }

  private save(): void {
    globalThis.localStorage?.setItem(CONFIG_KEY, JSON.stringify(this.config));
  }

  private getEngine(): Promise<Engine> {
    this.engine ??= this.loadEngine();
    return this.engine;
  }

  /**
   * At start: the shared datasets mirror again and replicate when the session still holds — in the
   * one tab that leads (tabs.ts); another tab follows it. Someone who never connects starts nothing,
   * until a sign-in here or in another tab of this browser.
   */
  resume(): Promise<void> {
    this.resumed ??= this.hasTeam() ? this.startInTabs() : this.awaitOtherTabs();
    return this.resumed;
  }

  private hasTeam(): boolean {
    return Object.keys(this.config.datasets).length > 0 || this.config.user !== null;
  }

  /** Leads (runs the engine in this tab) or follows the tab that does; once. */
  private startInTabs(): Promise<void> {
    if (this.started) return this.started;
    setAssetSource(this.assetSource);
    this.started = (async () => {
      const leads = await this.tabs.claim();
      if (this.tabs.shared) shareStoredChangesWithOtherTabs(getDb().name);
      // The dataset list (and its counts) follows what the team brings in and other tabs write.
      onChangesFromElsewhere(['datasets', 'samples'], 1000, () => void useDatasets.getState().refresh());
      if (leads) return this.doResume();
      this.follows = true;
      this.set({ otherTab: true });
    })();
    this.ready = this.started;
    return this.started;
  }

  /** A sign-in in another tab of this browser starts team mode here too. */
  private async awaitOtherTabs(): Promise<void> {
    if (typeof globalThis.addEventListener !== 'function') return;
    const onStorage = (event: StorageEvent) => {
      if (event.key !== CONFIG_KEY) return;
      this.config = readConfig();
      if (!this.hasTeam()) return;
      globalThis.removeEventListener('storage', onStorage);
      void this.startInTabs();
    };
    globalThis.addEventListener('storage', onStorage);
  }

  /** The lead tab closed and this one is next: it runs the engine from now on. */
  private async takeOver(): Promise<void> {
    this.follows = false;
    this.config = readConfig();
    this.set({ otherTab: false, serverUrl: this.config.serverUrl, user: null, datasets: {}, available: null, busy: null });
    const resumed = this.doResume();
    this.ready = resumed;
    await resumed;
  }

  /** The lead's side of a following tab's call. */
  private runForTab(method: string, args: unknown[]): Promise<unknown> {
    if (method === 'fetchImage') return this.imageSource.fetch(String(args[0]));
    if (method === 'fetchThumbnail') return this.imageSource.thumbnail(String(args[0]));
    const own = this.ownMethods[method];
    if (!own) return Promise.reject(new Error(`The team has no “${method}”.`));
    return Promise.resolve(own(...args));
  }

  private async doResume(): Promise<void> {
    const ids = Object.keys(this.config.datasets);
    if (!ids.length && !this.config.user) return;
    let user: SessionUser | null = null;
    let reachable = true;
    try {
      user = await new TeamServer(this.config.serverUrl).session();
    } catch {
      reachable = false;
    }
    if (user) this.set({ user });
    else if (!reachable && this.config.user) {
      // The session cookie may well still hold: work as the last user, offline until the server answers.
      this.set({ user: { name: this.config.user, roles: [] }, message: { ok: false, text: `The team server at ${this.config.serverUrl} cannot be reached: working offline, changes are sent when it is back.` } });
    }
    for (const id of ids) await this.attach(id).catch((err) => this.setDataset(id, { state: 'error', message: errorMessage(err) }));
    // Unreachable: replicate anyway with the session cookie the browser still has; retries until it is back.
    if (user || (!reachable && this.config.user)) await this.connectAll();
    else if (this.config.user) {
      for (const id of ids) this.setDataset(id, { state: 'offline', message: 'Signed out: sign in again in Settings → Team to send and receive changes.' });
    }
  }

  setServerUrl(url: string): void {
    try {
      const normalized = normalizeServerUrl(url);
      this.config.serverUrl = normalized;
      this.save();
      this.set({ serverUrl: normalized, available: null, message: { ok: true, text: `Team server: ${normalized}` } });
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    }
  }

  async signIn(name: string, password: string): Promise<void> {
    this.set({ busy: 'signing-in', message: null });
    try {
      const user = await new TeamServer(this.config.serverUrl).signIn(name, password);
      this.config.user = user.name;
      this.save();
      this.set({ user, message: { ok: true, text: `Signed in as ${user.name}${user.roles.length ? ` (${user.roles.join(', ')})` : ''}.` } });
      await this.resume();
      await this.startInTabs();
      await this.connectAll();
      await this.refreshAvailable();
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    } finally {
      this.set({ busy: null });
    }
  }

  /** Ends the session; shared datasets keep their changes here until someone signs in again. */
  async signOut(): Promise<void> {
    this.set({ busy: 'signing-out' });
    for (const replica of this.replicas.values()) replica.disconnect();
    await new TeamServer(this.config.serverUrl).signOut();
    this.set({ user: null, busy: null, available: null, message: { ok: true, text: 'Signed out. Shared datasets keep your changes here until you sign in again.' } });
  }

  async refreshAvailable(): Promise<void> {
    this.set({ busy: 'listing' });
    try {
      this.set({ available: await new TeamServer(this.config.serverUrl).catalogue() });
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    } finally {
      this.set({ busy: null });
    }
  }

  /** Shares a dataset of this browser: creates its database on the server and sends it. */
  async share(datasetId: string): Promise<void> {
    const user = this.state.user;
    if (!user) return this.set({ message: { ok: false, text: 'Sign in to the team server first.' } });
    this.set({ busy: 'sharing', message: null });
    try {
      const dataset = await getDataset(datasetId);
      if (!dataset) throw new Error('That dataset is no longer here.');
      const server = new TeamServer(this.config.serverUrl);
      const db = datasetDbName(dataset.id);
      const samples = (await listDatasets()).find((d) => d.id === datasetId)?.sampleCount;
      await server.publish({ id: dataset.id, name: dataset.name, db, sharedBy: user.name, sharedAt: Date.now(), samples });
      this.config.datasets[dataset.id] = { name: dataset.name, server: server.url, db };
      this.save();
      await this.attach(dataset.id);
      void this.connect(dataset.id);
      this.set({ message: { ok: true, text: `Shared “${dataset.name}”: its samples and images are going to the server.` } });
      await this.refreshAvailable();
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    } finally {
      this.set({ busy: null });
    }
  }

  /** Joins a dataset listed on the server: pulls it into this browser, then keeps it in step. */
  async join(entry: CatalogueEntry): Promise<void> {
    if (!this.state.user) return this.set({ message: { ok: false, text: 'Sign in to the team server first.' } });
    if (this.config.datasets[entry.id]) return this.set({ message: { ok: true, text: `“${entry.name}” is already here.` } });
    this.set({ busy: 'joining', message: null });
    const server = new TeamServer(this.config.serverUrl);
    try {
      const engine = await this.getEngine();
      this.setDataset(entry.id, { ...blankDatasetState(entry.id, entry.name, server.url, true), state: 'syncing' });
      // One replication pulls everything while the replica copies what arrives into the studio's
      // store; then the live sync starts.
      const local = engine.platform.openLocal(engine.localReplicaName(entry.id));
      // Metadata first: the images come from the server as they are shown (Make available offline keeps them all).
      this.config.datasets[entry.id] = { name: entry.name, server: server.url, db: entry.db, imagesOnDemand: true };
      this.save();
      const replica = await this.attach(entry.id);
      await local.replicate.from(engine.platform.openRemote(server.dbUrl(entry.db)), { batch_size: JOIN_BATCH, selector: WITHOUT_IMAGES });
      await replica.caughtUp();
      void this.connect(entry.id);
      this.set({ message: { ok: true, text: `Joined “${entry.name}”: it is in your Library.` } });
    } catch (err) {
      const describe = this.engine ? (await this.engine).describeSyncError : errorMessage;
      if (this.replicas.has(entry.id) && (await getDataset(entry.id).catch(() => undefined))) {
        // Part of it arrived: it stays, and the live sync goes on from the replication's checkpoint.
        void this.connect(entry.id);
        this.set({ message: { ok: false, text: `“${entry.name}” is only partly here (${describe(err)}): the rest arrives by itself once the server answers.` } });
      } else {
        await this.forget(entry.id).catch(() => undefined);
        this.set({ message: { ok: false, text: `Could not join “${entry.name}”: ${describe(err)}` } });
      }
    } finally {
      this.set({ busy: null });
    }
  }

  /**
   * Images on demand (they come from the server as they are shown) or every image kept here too,
   * so the dataset works offline; the pull starts again accordingly.
   */
  setImagesOnDemand(datasetId: string, onDemand: boolean): void {
    const shared = this.config.datasets[datasetId];
    if (!shared) return;
    shared.imagesOnDemand = onDemand;
    this.save();
    this.replicas.get(datasetId)?.setImagesOnDemand(onDemand);
    this.setDataset(datasetId, { imagesOnDemand: onDemand });
    this.set({
      message: { ok: true, text: onDemand
        ? `“${shared.name}”: images now come from the server as they are shown; those already here stay.`
        : `“${shared.name}”: every image is coming to this browser, so the dataset works offline once they are here.` },
    });
  }

  /** How many of a dataset's images are in this browser. */
  imagesHere(datasetId: string): Promise<{ here: number; total: number }> {
    return imageAvailability(datasetId);
  }

  /** The versions of a sample in conflict, winner first; empty when it has none (any more). */
  async conflictVersions(datasetId: string, sampleId: string): Promise<ConflictVersion[]> {
    const replica = this.replicas.get(datasetId);
    return replica ? replica.conflictVersions(sampleId) : [];
  }

  /** Ends a conflict with one version (`base`), or with some fields taken from others (`picks`). */
  async resolveConflict(datasetId: string, sampleId: string, base: string, picks: Partial<Record<MergeField, string>> = {}): Promise<boolean> {
    const replica = this.replicas.get(datasetId);
    if (!replica) return false;
    try {
      await replica.resolveConflict(sampleId, base, picks);
      this.set({ message: { ok: true, text: 'Conflict resolved: the chosen version replaces both here and on the server.' } });
      return true;
    } catch (err) {
      this.set({ message: { ok: false, text: `Could not resolve the conflict: ${errorMessage(err)}` } });
      return false;
    }
  }

  /** Says which sample of a shared dataset this person has open (null: none); nothing for a dataset that is not shared. */
  setPresence(datasetId: string, sampleId: string | null): void {
    void this.replicas.get(datasetId)?.setPresence(sampleId).catch(() => undefined);
  }

  /** The others working in a shared dataset now, and on which sample (fresh presence only). */
  othersHere(datasetId: string, now = Date.now()): Presence[] {
    const shared = this.state.datasets[datasetId];
    const self = this.state.user?.name ?? this.config.user ?? '';
    return shared ? livePresence(shared.presence, self, now) : [];
  }

  /** Gives an annotator positions `from`–`to` of a shared dataset (only some statuses, or all); null withdraws it. */
  async assign(datasetId: string, annotator: string, range: { from: number; to: number; statuses: SampleStatus[] } | null): Promise<void> {
    const replica = this.replicas.get(datasetId);
    if (!replica || !annotator.trim()) return;
    try {
      await replica.assign(annotator.trim(), range);
      this.set({ message: { ok: true, text: range ? `${annotator.trim()} has samples ${range.from}–${range.to} to do.` : `${annotator.trim()}'s assignment was withdrawn.` } });
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    }
  }

  /**
   * An annotator's queue works without the server: with images on demand, the images of the samples
   * assigned to her and still to do are fetched in the background once the dataset is in step (again
   * when the assignment changes; what failed is tried again a minute later).
   */
  private async prefetchQueue(datasetId: string): Promise<void> {
    const shared = this.state.datasets[datasetId];
    const user = this.state.user?.name ?? this.config.user;
    const assignment = shared?.assignments.find((a) => a.annotator === user);
    if (this.follows || !shared?.imagesOnDemand || shared.state !== 'idle' || !assignment || this.prefetching.has(datasetId)) return;
    const key = JSON.stringify(assignment);
    const last = this.prefetched.get(datasetId);
    if (last && last.assignment === key && (last.at === Infinity || Date.now() - last.at < 60_000)) return;
    this.prefetching.add(datasetId);
    try {
      const queue = await this.queue(datasetId, user ?? undefined);
      const ids = [...new Set((queue?.todo ?? []).map((s) => s.assetId))];
      const here = await storedAssetIds(ids);
      const fetched = await Promise.all(ids.filter((id) => !here.has(id)).map((id) => this.imageSource.fetch(id)));
      const complete = fetched.every(Boolean);
      this.prefetched.set(datasetId, { assignment: key, at: complete ? Infinity : Date.now() });
      this.setDataset(datasetId, { queueImages: { here: ids.length - fetched.filter((ok) => !ok).length, total: ids.length } });
    } catch {
      this.prefetched.set(datasetId, { assignment: key, at: Date.now() });
    } finally {
      this.prefetching.delete(datasetId);
    }
  }

  /** The signed-in user's queue in a shared dataset, or null when nothing is assigned to them. */
  async queue(datasetId: string, user = this.state.user?.name ?? this.config.user): Promise<TeamQueue | null> {
    const assignment = this.state.datasets[datasetId]?.assignments.find((a) => a.annotator === user);
    if (!assignment) return null;
    const samples = queueOf(assignment, await readDatasetSamples(datasetId));
    return { assignment, samples, todo: samples.filter((s) => TO_DO.includes(s.status)) };
  }

  /** Forgets refused changes the person has read (all of the dataset's when `docId` is left out). */
  dismissRefused(datasetId: string, docId?: string): void {
    this.replicas.get(datasetId)?.dismissRefused(docId);
  }

  /** Reads the per-project roles of a shared dataset (and so the signed-in user's role there) and whether its rules are installed. */
  async refreshRoles(datasetId: string): Promise<void> {
    const shared = this.config.datasets[datasetId];
    if (!shared) return;
    const settings = await new TeamServer(shared.server).projectSettings(shared.db).catch(() => null);
    if (!settings) return;
    const user = this.state.user;
    this.setDataset(datasetId, { roles: settings.roles, rules: settings.rules, role: user ? projectRole(user, settings.roles) : null });
  }

  /** Installs (or updates) the server's rules in a shared dataset's database: an admin of it only, as sharing does. */
  async installRules(datasetId: string): Promise<void> {
    const shared = this.config.datasets[datasetId];
    if (!shared) return;
    try {
      await new TeamServer(shared.server).installRules(shared.db);
      this.set({ message: { ok: true, text: `The server now enforces the team's rules in “${shared.name}”.` } });
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    }
    await this.refreshRoles(datasetId);
  }

  /** Gives a user a role in one shared dataset (an admin of its database only: the server says so otherwise). */
  async setProjectRole(datasetId: string, user: string, role: ProjectRole | null): Promise<void> {
    const shared = this.config.datasets[datasetId];
    if (!shared || !user.trim()) return;
    try {
      await new TeamServer(shared.server).setProjectRole(shared.db, user.trim(), role);
      this.set({ message: { ok: true, text: role ? `${user.trim()} is ${role} in “${shared.name}”.` : `${user.trim()} has their own roles again in “${shared.name}”.` } });
      await this.refreshRoles(datasetId);
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    }
  }

  // ── models ───────────────────────────────────────────────────────────────────────────────

  /** Lists the models shared with the team. */
  async refreshModels(): Promise<void> {
    try {
      this.set({ models: await new TeamServer(this.config.serverUrl).models() });
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    }
  }

  /** Shares one of this browser's models (its card and ONNX file) with the team. */
  async shareModel(modelId: string): Promise<void> {
    const user = this.state.user;
    if (!user) return this.set({ message: { ok: false, text: 'Sign in to the team server first (Settings → Team).' } });
    try {
      const model = await getModel(modelId);
      if (!model) throw new Error('That model is no longer here.');
      const sha256 = await sha256Hex(model.onnx);
      const sent = await new TeamServer(this.config.serverUrl).shareModel({ sha256, name: model.name, role: model.role, card: model.card, onnx: model.onnx }, user.name);
      this.set({ message: { ok: true, text: sent ? `Shared “${model.name}” with the team.` : `“${model.name}” is on the team server already.` } });
      await this.refreshModels();
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
    }
  }

  /** The SHA-256 of these models' files: which shared graphs this browser has already. */
  async graphsHere(models: { onnx: Blob }[]): Promise<Set<string>> {
    return new Set(await Promise.all(models.map((m) => sha256Hex(m.onnx))));
  }

  /**
   * Brings a model shared with the team into this browser (Models lists it); its file is checked
   * against the SHA-256 it is named by.
   */
  async fetchModel(entry: TeamModelEntry): Promise<boolean> {
    try {
      const onnx = await new TeamServer(this.config.serverUrl).modelFile(entry);
      if ((await sha256Hex(onnx)) !== entry.sha256) throw new Error(`“${entry.name}” arrived damaged (its bytes do not match its SHA-256): fetch it again.`);
      await putModel({ id: `team:${entry.sha256}`, name: entry.name, role: entry.role, onnx, card: entry.card, createdAt: Date.now() });
      this.set({ message: { ok: true, text: `“${entry.name}” is in your models: make it active to use it.` } });
      return true;
    } catch (err) {
      this.set({ message: { ok: false, text: errorMessage(err) } });
      return false;
    }
  }

  /** The shared state of one dataset, or undefined when it is not shared (the Library's badge). */
  datasetState(datasetId: string): TeamDatasetState | undefined {
    return this.state.datasets[datasetId];
  }

  private async attach(datasetId: string): Promise<DatasetReplica> {
    const existing = this.replicas.get(datasetId);
    if (existing) return existing;
    const shared = this.config.datasets[datasetId];
    const engine = await this.getEngine();
    this.setDataset(datasetId, blankDatasetState(datasetId, shared.name, shared.server, shared.imagesOnDemand === true));
    const replica = new engine.DatasetReplica({
      datasetId,
      local: engine.platform.openLocal(engine.localReplicaName(datasetId)),
      platform: engine.platform,
      user: () => this.state.user?.name ?? this.config.user ?? 'unknown',
      imagesOnDemand: shared.imagesOnDemand === true,
      onStatus: (status) => {
        this.setDataset(datasetId, status);
        void this.prefetchQueue(datasetId);
      },
      onGone: () => void this.forget(datasetId),
    });
    this.replicas.set(datasetId, replica);
    setAssetSource(this.assetSource);
    await replica.start();
    return replica;
  }

  private async connect(datasetId: string): Promise<void> {
    const replica = this.replicas.get(datasetId);
    const shared = this.config.datasets[datasetId];
    if (!replica || !shared || !this.engine) return;
    void this.refreshRoles(datasetId);
    const engine = await this.engine;
    replica.connect(engine.platform.openRemote(new TeamServer(shared.server).dbUrl(shared.db)));
  }

  private async connectAll(): Promise<void> {
    await Promise.all([...this.replicas.keys()].map((id) => this.connect(id)));
  }

  /** The dataset left this browser for good: stop replicating it and drop its replica (the server keeps it). */
  private async forget(datasetId: string): Promise<void> {
    const replica = this.replicas.get(datasetId);
    this.replicas.delete(datasetId);
    if (!this.replicas.size) setAssetSource(null);
    delete this.config.datasets[datasetId];
    this.save();
    this.dropDataset(datasetId);
    await replica?.stop();
    const engine = await this.getEngine();
    await engine.platform.openLocal(engine.localReplicaName(datasetId)).destroy().catch(() => undefined);
  }

  private setDataset(id: string, patch: Partial<TeamDatasetState>): void {
    const shared = this.config.datasets[id];
    const prev = this.state.datasets[id] ?? blankDatasetState(id, shared?.name ?? id, shared?.server ?? this.config.serverUrl, shared?.imagesOnDemand === true);
    this.set({ datasets: { ...this.state.datasets, [id]: { ...prev, ...patch, id } } });
  }

  private dropDataset(id: string): void {
    const rest = { ...this.state.datasets };
    delete rest[id];
    this.set({ datasets: rest });
  }
}

async function loadBrowserEngine(): Promise<Engine> {
  const m = await import('../../team/browser');
  return { platform: m.browserPlatform, DatasetReplica: m.DatasetReplica, localReplicaName: m.localReplicaName, describeSyncError: m.describeSyncError };
}

/** The studio's one team controller. */
export const team = new TeamController();

/** Called once at start (main.tsx): resumes the shared datasets, if any. */
export function resumeTeam(): void {
  void team.resume();
}
