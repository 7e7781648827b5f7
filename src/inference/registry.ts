/**
 * The model registry: adding models (card checked against the graph), the active planner and
 * policy, and the built-in default models. A failed load never replaces what is active: a
 * candidate loads under its own key and takes over only once it has passed every check.
 */
import type { ModelRecord } from '../storage/types';
import { BUILTIN_MODEL_PREFIX, deleteModel, getModel, listModels, putModel } from '../storage/models';
import type { BackendPreference, LoadedModel } from './inferenceProtocol';
import { inferenceClient } from './client';
import { defaultEntry, type BuiltinIndex, type BuiltinIndexEntry } from './builtinIndex';
import { checkCardAgainstGraph, parseModelCard, type ModelCard, type ModelRole } from './modelCard';
import type { FloatTensor } from './preprocess';
import { DEFAULT_REMOTE_CONFIG, type RemotePlannerConfig } from './remotePlanner';
import { traceMark } from './startupTrace';
import { errorMessage } from '../core/errorMessage';

export interface ActiveLocal {
  kind: 'local';
  record: ModelRecord;
  card: ModelCard;
  loaded: LoadedModel;
  /** The worker key the session lives under. */
  key: string;
}
export interface ActiveRemote {
  kind: 'remote';
  config: RemotePlannerConfig;
}
export type ActivePlanner = ActiveLocal | ActiveRemote;

export interface RegistryState {
  planner: ActivePlanner | null;
  policy: ActiveLocal | null;
  /** Set while a model loads (for the UI). */
  busy: string | null;
  lastError: string | null;
}

const ACTIVE_KEY = 'path-studio.activeModels';
const REMOTE_KEY = 'path-studio.remotePlanner';
const BACKEND_KEY = 'path-studio.inferenceBackend';
/** WASM thread count override (benchmarks compare counts); unset = the worker's rule. */
const THREADS_KEY = 'path-studio.inferenceThreads';

let state: RegistryState = { planner: null, policy: null, busy: null, lastError: null };
const listeners = new Set<() => void>();
function set(patch: Partial<RegistryState>) {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
}
export const getRegistryState = (): RegistryState => state;
export function subscribeRegistry(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

interface SavedActive { planner?: string; policy?: string }
function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    return raw ? { ...fallback, ...(JSON.parse(raw) as T) } : fallback;
  } catch {
    return fallback;
  }
}
const writeJson = (key: string, v: unknown) => globalThis.localStorage?.setItem(key, JSON.stringify(v));
const savedActive = () => readJson<SavedActive>(ACTIVE_KEY, {});
function saveActive(patch: SavedActive) {
  writeJson(ACTIVE_KEY, { ...savedActive(), ...patch });
}
export const getRemoteConfig = (): RemotePlannerConfig => readJson(REMOTE_KEY, DEFAULT_REMOTE_CONFIG);
export const saveRemoteConfig = (c: RemotePlannerConfig) => writeJson(REMOTE_KEY, c);
export const getBackendPreference = (): BackendPreference => (globalThis.localStorage?.getItem(BACKEND_KEY) as BackendPreference | null) ?? 'auto';
export const setBackendPreference = (p: BackendPreference) => globalThis.localStorage?.setItem(BACKEND_KEY, p);
const threadsOverride = (): number | undefined => Number(globalThis.localStorage?.getItem(THREADS_KEY)) || undefined;

let preparing: Promise<void> | null = null;
/**
 * Starts the worker and onnxruntime's WASM (fetch + compile) now, in parallel with fetching the
 * models; the first load then only builds its graph. Idempotent; failures surface at load time.
 */
export function prepareRuntime(): Promise<void> {
  preparing ??= inferenceClient()
    .prepare(getBackendPreference(), threadsOverride())
    .then((marks) => marks.forEach((m) => traceMark(`worker.${m.name}`, m.at)))
    .catch(() => undefined);
  return preparing;
}

/** Zero tensors of the card's input shapes (free dimensions = 1): warm-up and graph checks. */
export function zeroFeeds(card: ModelCard): Record<string, FloatTensor> {
  const feeds: Record<string, FloatTensor> = {};
  for (const i of card.inputs) {
    const dims = i.shape.map((d) => d ?? 1);
    feeds[i.name] = { dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) };
  }
  return feeds;
}

export class ModelRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRejectedError';
  }
}

let candidateSeq = 0;
/** Loads `onnx` with `card` in the worker under a fresh key and checks them against each other. */
async function loadChecked(onnx: Blob, card: ModelCard, fileName: string): Promise<{ key: string; loaded: LoadedModel }> {
  const key = `candidate-${++candidateSeq}`;
  const client = inferenceClient();
  const trace = (name: string, at?: number) => traceMark(`${card.role}.${name}`, at);
  let loaded: LoadedModel;
  try {
    const bytes = await onnx.arrayBuffer();
    trace('bytesRead');
    loaded = await client.load(key, bytes, getBackendPreference());
    for (const m of loaded.marks) trace(`worker.${m.name}`, m.at);
    trace('loaded');
  } catch (err) {
    throw new ModelRejectedError(`${fileName}: cannot load the model — ${errorMessage(err)}`);
  }
  const mismatch = checkCardAgainstGraph(card, loaded);
  if (mismatch) {
    await client.unload(key).catch(() => undefined);
    throw new ModelRejectedError(`${fileName}: the model card does not match the model — ${mismatch}`);
  }
  try {
    const t0 = performance.now();
    await client.run(key, zeroFeeds(card));
    loaded = { ...loaded, warmupMs: performance.now() - t0 };
    trace('checked');
  } catch (err) {
    await client.unload(key).catch(() => undefined);
    throw new ModelRejectedError(`${fileName}: the model loads but fails to run on inputs shaped as its card says — ${errorMessage(err)}`);
  }
  return { key, loaded };
}

/** Parses card text, naming the file in any error. */
export function parseCardText(text: string, fileName: string): ModelCard {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelRejectedError(`${fileName}: not valid JSON (${errorMessage(err)})`);
  }
  const parsed = parseModelCard(json);
  if (!parsed.ok) throw new ModelRejectedError(`${fileName}: ${parsed.error}`);
  return parsed.card;
}

/** Adds a model: the card is checked against the graph before anything is stored. */
export async function addModel(onnx: File, cardFile: File, id = crypto.randomUUID()): Promise<ModelRecord> {
  const card = parseCardText(await cardFile.text(), cardFile.name);
  const { key } = await loadChecked(onnx, card, onnx.name);
  await inferenceClient().unload(key).catch(() => undefined);
  const record: ModelRecord = { id, name: card.name, role: card.role, onnx: new Blob([onnx], { type: 'application/octet-stream' }), card: card as unknown as Record<string, unknown>, createdAt: Date.now() };
  await putModel(record);
  return record;
}

/**
 * Makes a stored model the active planner or policy; on any failure the previous one stays.
 * `onlyIfNone`: give up (returning null) if the person chose another model while this one loaded.
 * `justStored`: the record as it was just written (its bytes still in memory), to skip reading it back.
 */
export async function activateModel(id: string, onlyIfNone = false, justStored?: ModelRecord): Promise<ActiveLocal | null> {
  const record = justStored?.id === id ? justStored : await getModel(id);
  if (!record) throw new ModelRejectedError('that model is no longer stored');
  const parsed = parseModelCard(record.card);
  if (!parsed.ok) throw new ModelRejectedError(`${record.name}: ${parsed.error}`);
  set({ busy: `Loading ${record.name}…` });
  try {
    const { key, loaded } = await loadChecked(record.onnx, parsed.card, record.name);
    if (onlyIfNone && state[record.role]) {
      await inferenceClient().unload(key).catch(() => undefined);
      return null;
    }
    const active: ActiveLocal = { kind: 'local', record, card: parsed.card, loaded, key };
    const previous = record.role === 'planner' ? state.planner : state.policy;
    if (record.role === 'planner') set({ planner: active, lastError: null });
    else set({ policy: active, lastError: null });
    saveActive({ [record.role]: id });
    if (previous?.kind === 'local') await inferenceClient().unload(previous.key).catch(() => undefined);
    return active;
  } catch (err) {
    set({ lastError: errorMessage(err) });
    throw err;
  } finally {
    set({ busy: null });
  }
}

export function activateRemotePlanner(config: RemotePlannerConfig): void {
  saveRemoteConfig(config);
  const previous = state.planner;
  set({ planner: { kind: 'remote', config }, lastError: null });
  saveActive({ planner: 'remote' });
  if (previous?.kind === 'local') void inferenceClient().unload(previous.key).catch(() => undefined);
}

export async function removeModel(id: string): Promise<void> {
  for (const role of ['planner', 'policy'] as ModelRole[]) {
    const a = state[role];
    if (a?.kind === 'local' && a.record.id === id) {
      await inferenceClient().unload(a.key).catch(() => undefined);
      set({ [role]: null });
      saveActive({ [role]: undefined });
    }
  }
  await deleteModel(id);
}

/** Reloads every active model with the current backend preference. */
export async function reloadActive(): Promise<void> {
  for (const a of [state.planner, state.policy]) if (a?.kind === 'local') await activateModel(a.record.id);
}

// ---- built-in models (public/models) ----

const base = () => (typeof import.meta.env?.BASE_URL === 'string' ? import.meta.env.BASE_URL : '/');

/** The shipped models' index (none when it cannot be read: the studio then has no built-ins). */
async function loadBuiltinIndex(): Promise<BuiltinIndex> {
  const res = await fetch(`${base()}models/index.json`);
  return res.ok ? ((await res.json()) as BuiltinIndex) : { models: [] };
}

/** Whether two cards say the same (key order aside). */
function sameCard(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Stores the shipped default models (fetched from the app's own origin) that are not stored yet and
 * replaces a stored one whose card differs from the shipped one (the models were retrained);
 * `roles` limits it (the planner is installed first so that it can start loading sooner).
 */
export async function seedDefaultModels(roles: ModelRole[] = ['planner', 'policy'], index?: BuiltinIndex): Promise<ModelRecord[]> {
  index ??= await loadBuiltinIndex();
  const added: ModelRecord[] = [];
  for (const entry of index.models.filter((e) => roles.includes(e.role))) {
    const id = BUILTIN_MODEL_PREFIX + entry.id;
    const stored = await getModel(id);
    const fetchFile = <T>(name: string, read: (r: Response) => Promise<T>) =>
      fetch(`${base()}models/${entry.dir}/${name}`).then((r) => (r.ok ? read(r) : Promise.reject(new Error(`models/${entry.dir}/${name}: HTTP ${r.status}`))));
    // Only the small card is fetched to decide whether a stored built-in is still current.
    let cardText: string, onnx: Blob;
    if (stored) {
      cardText = await fetchFile('card.json', (r) => r.text());
      if (sameCard(stored.card, parseCardText(cardText, `models/${entry.dir}/card.json`))) continue;
      onnx = await fetchFile('model.onnx', (r) => r.blob());
    } else {
      [onnx, cardText] = await Promise.all([fetchFile('model.onnx', (r) => r.blob()), fetchFile('card.json', (r) => r.text())]);
    }
    traceMark(`seed.${entry.id}.fetched`);
    const card = parseCardText(cardText, `models/${entry.dir}/card.json`);
    const record: ModelRecord = { id, name: card.name, role: card.role, onnx, card: card as unknown as Record<string, unknown>, createdAt: Date.now() };
    await putModel(record);
    traceMark(`seed.${entry.id}.stored`);
    added.push(record);
  }
  return added;
}

let restoring: Promise<void> | null = null;
/**
 * First use in a session: seed the built-in models, then activate what was active last time
 * (or, on a fresh profile, the built-ins that public/models/index.json marks `default`). Idempotent.
 */
export function restoreActiveModels(): Promise<void> {
  restoring ??= (async () => {
    traceMark('restore.start');
    void prepareRuntime();
    const index = await loadBuiltinIndex().catch((err: unknown) => {
      set({ lastError: `the built-in models could not be listed: ${errorMessage(err)}` });
      return { models: [] as BuiltinIndexEntry[] };
    });
    const seed = async (roles: ModelRole[]): Promise<ModelRecord[]> => {
      try {
        return await seedDefaultModels(roles, index);
      } catch (err) {
        set({ lastError: `the built-in models could not be installed: ${errorMessage(err)}` });
        return [];
      }
    };
    const seeded = await seed(['planner']);
    const saved = savedActive();
    let stored = await listModels();
    const pick = (role: ModelRole, savedId?: string) => {
      if (savedId && stored.some((m) => m.id === savedId)) return savedId;
      const builtin = defaultEntry(index, role);
      return builtin && stored.find((m) => m.id === BUILTIN_MODEL_PREFIX + builtin.id)?.id;
    };
    if (saved.planner === 'remote') activateRemotePlanner(getRemoteConfig());
    const plannerId = saved.planner === 'remote' ? undefined : pick('planner', saved.planner);
    // The planner first (Annotate waits for it); the policy loads behind it.
    if (plannerId && !state.planner) await activateModel(plannerId, true, seeded[0]).catch(() => undefined); // lastError says why
    // Policies install and load behind the planner.
    void seed(['policy']).then(async () => {
      stored = await listModels();
      const policyId = pick('policy', saved.policy);
      if (policyId && !state.policy) await activateModel(policyId, true).catch(() => undefined);
    });
  })();
  return restoring;
}

export { listModels };
