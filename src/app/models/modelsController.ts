/**
 * The Models screen: the stored models and the active planner and policy (the registry in
 * src/inference keeps them), adding, activating and removing models, the backend they run on, a
 * remote planner and the studio's relay beside the page, trying the planner, and pre-labelling a
 * dataset with it as a background job.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import { inferenceAutomation } from '../../inference/automationHook';
import { inferenceClient } from '../../inference/client';
import type { BackendPreference } from '../../inference/inferenceProtocol';
import type { LatencySummary } from '../../inference/latencyStats';
import { prelabelDataset } from '../../inference/prelabel';
import {
  activateModel,
  activateRemotePlanner,
  addModel,
  getBackendPreference,
  getRegistryState,
  getRemoteConfig,
  listModels,
  reloadActive,
  removeModel,
  restoreActiveModels,
  setBackendPreference,
  subscribeRegistry,
  type RegistryState,
} from '../../inference/registry';
import { fetchRelayStatus, type RelayStatus, type RemoteConnection, type RemotePlannerConfig } from '../../inference/remotePlanner';
import { activePlannerStatus, type PlannerStatus } from '../../inference/suggest';
import { BUILTIN_MODEL_PREFIX } from '../../storage/models';
import { exposeForAutomation } from '../automation';
import { useJobs } from '../jobs/jobs';
import { useDatasets } from '../library/datasetList';
import type { ModelRecord } from '../records';
import { notify, notifyError } from '../toasts';
import { TryPlannerController } from './tryPlanner';
import { errorMessage } from '../../core/errorMessage';

/** The address the relay posts to for a planner at `url` (the form explains the relay with it). */
export { plannerBase } from '../../inference/remotePlanner';

/** The studio's relay as this page found it: still asking, absent (static hosting), or its status. */
export type RelayState = { checked: false } | { checked: true; status: RelayStatus | null };

export interface ModelsState {
  registry: RegistryState;
  /** Whether the active planner can run, and why not. */
  planner: PlannerStatus;
  /** The stored models; null until read. */
  models: ModelRecord[] | null;
  backend: BackendPreference;
  /** Set while a dropped model is checked against its card. */
  adding: boolean;
  /** Why the last dropped files were refused. */
  addError: string | null;
  /** The remote planner as last saved (the form starts from it). */
  remoteConfig: RemotePlannerConfig;
  relay: RelayState;
  prelabelling: boolean;
}

export const isBuiltinModel = (model: ModelRecord) => model.id.startsWith(BUILTIN_MODEL_PREFIX);

/** The relay's status when it holds the API key for `connection`; the browser then keeps none. */
export function relayKeyHolder(relay: RelayState, connection: RemoteConnection): RelayStatus | null {
  return connection === 'relay' && relay.checked && relay.status?.apiKey === 'relay' ? relay.status : null;
}

export class ModelsController extends SnapshotStore<ModelsState> {
  readonly tryPlanner = new TryPlannerController();
  private relayAsked = false;

  constructor() {
    super({
      registry: getRegistryState(),
      planner: activePlannerStatus(),
      models: null,
      backend: getBackendPreference(),
      adding: false,
      addError: null,
      remoteConfig: getRemoteConfig(),
      relay: { checked: false },
      prelabelling: false,
    });
  }

  /**
   * Follows the registry while the screen is open (the first open installs and loads the built-in
   * models) and asks the relay for its status; returns what stops following.
   */
  open(): () => void {
    const unexpose = exposeForAutomation('__pathStudioInference', inferenceAutomation());
    // Built-in policies are installed behind the planner: the list follows the registry.
    const unsubscribe = subscribeRegistry(() => {
      this.syncRegistry();
      void this.refresh();
    });
    this.syncRegistry();
    void restoreActiveModels().finally(() => void this.refresh());
    if (!this.relayAsked) {
      this.relayAsked = true;
      void fetchRelayStatus().then((status) => this.set({ relay: { checked: true, status } }));
    }
    return () => {
      unsubscribe();
      unexpose();
    };
  }

  async refresh(): Promise<void> {
    this.set({ models: await listModels() });
  }

  /** Round-trip latency of the active local `role` so far (it changes with every call, without telling). */
  latency(role: 'planner' | 'policy'): LatencySummary | null {
    const active = this.getSnapshot().registry[role];
    return active?.kind === 'local' ? inferenceClient().latency(active.key) : null;
  }

  /** Stores an .onnx file and its card once they are checked against each other; nothing is stored otherwise. */
  async addModel(files: File[]): Promise<void> {
    this.set({ addError: null });
    const onnx = files.filter((f) => f.name.toLowerCase().endsWith('.onnx'));
    const cards = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (onnx.length !== 1 || cards.length !== 1) {
      this.set({ addError: `Drop exactly one .onnx file and its model card (.json) together — got ${onnx.length} .onnx and ${cards.length} .json${files.length ? ` (${files.map((f) => f.name).join(', ')})` : ''}.` });
      return;
    }
    this.set({ adding: true });
    try {
      const record = await addModel(onnx[0], cards[0]);
      notify({ kind: 'success', message: `Added ${record.role} "${record.name}".` });
      void this.refresh();
    } catch (err) {
      this.set({ addError: errorMessage(err) });
    } finally {
      this.set({ adding: false });
    }
  }

  /** Makes a stored model the active planner or policy; on failure the previous one stays. */
  async activate(id: string): Promise<void> {
    await activateModel(id).then(() => void this.refresh(), notifyError);
  }

  async remove(id: string): Promise<void> {
    await removeModel(id).then(() => void this.refresh(), notifyError);
  }

  /** Runs models on `backend` from now on: the active ones are loaded again. */
  setBackend(backend: BackendPreference): void {
    this.set({ backend });
    setBackendPreference(backend);
    void reloadActive().catch(notifyError);
  }

  /** Makes the remote planner at `config` the active planner. */
  connectRemotePlanner(config: RemotePlannerConfig): void {
    const connection = config.connection ?? 'relay';
    // A key in the relay's configuration replaces the browser's: do not keep one here too.
    const saved = relayKeyHolder(this.getSnapshot().relay, connection) ? { ...config, apiKey: undefined } : config;
    activateRemotePlanner(saved);
    this.set({ remoteConfig: saved });
    notify({ kind: 'success', message: `The remote planner at ${config.url} is now the active planner${connection === 'relay' ? ", through the studio's relay" : ''}.` });
  }

  /** Runs the active planner over the dataset's unlabelled samples as a job (tray, cancel), then says how it went. */
  async prelabel(datasetId: string): Promise<void> {
    const dataset = useDatasets.getState().datasets.find((d) => d.id === datasetId);
    if (!dataset) return;
    const abort = new AbortController();
    const job = useJobs.getState().start(`Pre-labelling "${dataset.name}"`, 0, () => abort.abort());
    this.set({ prelabelling: true });
    try {
      const r = await prelabelDataset(dataset.id, { signal: abort.signal, onProgress: (done, total) => useJobs.getState().progress(job, done, total) });
      const parts = [`${r.labelled} of ${r.candidates} unlabelled samples pre-labelled`];
      if (r.noInstruction) parts.push(`${r.noInstruction} skipped (no instruction)`);
      if (r.failed.length) parts.push(`${r.failed.length} failed: ${r.failed[0].error}`);
      if (r.cancelled) parts.push('cancelled');
      notify({ kind: r.failed.length && !r.labelled ? 'error' : 'success', message: `"${dataset.name}": ${parts.join('; ')}.` });
    } catch (e) {
      // Samples labelled before the failure are saved; the rest can be pre-labelled again.
      notifyError(e);
    } finally {
      useJobs.getState().finish(job);
      this.set({ prelabelling: false });
    }
  }

  private syncRegistry(): void {
    this.set({ registry: getRegistryState(), planner: activePlannerStatus() });
  }
}
