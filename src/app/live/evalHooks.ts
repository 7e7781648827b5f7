/**
 * Hooks for the closed-loop evaluation (`npm run eval`): a headless browser runs seeded episodes
 * through the very same console session, models and safety path an operator uses, and reads the
 * outcome and the figures back. Nothing here is reachable from the UI.
 */
import { activateModel, getRegistryState, listModels, restoreActiveModels } from '../../inference';
import type { LiveSession } from '../../robot/liveSession';
import { plannerFrom, policyFrom } from './modelAdapters';
import { exposeForAutomation } from '../automation';

export interface EvalEpisodeRequest {
  seed: number;
  task: string;
  split: 'train' | 'heldout';
  policyId: string;
  usePlanner: boolean;
  maxSeconds: number;
  replanEverySec?: number;
  record?: boolean;
}

export interface EvalEpisodeResult {
  instruction: string;
  success: boolean;
  endReason: string;
  steps: number;
  seconds: number;
  stepLatencyMs: number[];
  policyMs: number[];
  decodeMs: number[];
  plannerMs: number;
  droppedSteps: number;
  droppedFrames: number;
  /** Steps sent from the last chunk because no new frame had come (controlLoop.ts). */
  chunkSteps: number;
  backend: string;
}

export interface EvalHooks {
  /** The stored models; `active` marks the planner and policy Live runs now (a fresh profile: the built-in defaults). */
  models(): Promise<{ id: string; name: string; role: string; conditioning?: string; active: boolean }[]>;
  runEpisode(req: EvalEpisodeRequest): Promise<EvalEpisodeResult>;
}

declare global {
  interface Window {
    __pathStudioEval?: EvalHooks;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function installEvalHooks(session: LiveSession): () => void {
  const hooks: EvalHooks = {
    async models() {
      await restoreActiveModels();
      // The built-in policies are all stored, then the default loads, behind the planner on first use (registry.ts).
      const t0 = performance.now();
      while (!getRegistryState().policy && performance.now() - t0 < 60_000) await sleep(250);
      const all = await listModels();
      const reg = getRegistryState();
      const active = new Set([reg.policy?.record.id, reg.planner?.kind === 'local' ? reg.planner.record.id : undefined]);
      return all.map((m) => ({ id: m.id, name: m.name, role: m.role, conditioning: (m.card as { conditioning?: string }).conditioning, active: active.has(m.id) }));
    },
    async runEpisode(req) {
      const link = session.link;
      if (!link?.reset || link.status.state !== 'connected') throw new Error('not connected to a robot with a reset service');
      if (getRegistryState().policy?.record.id !== req.policyId) await activateModel(req.policyId);
      const reset = await link.reset({ seed: req.seed, tasks: [req.task], split: req.split });
      // Let a frame of the new scene arrive before the planner looks.
      const after = session.latestFrame?.seq ?? 0;
      const t0 = performance.now();
      while ((session.latestFrame?.seq ?? 0) < after + 2 && performance.now() - t0 < 3000) await sleep(30);
      const reg = getRegistryState();
      if (!reg.policy) throw new Error('no policy is active');
      const planner = req.usePlanner && reg.planner ? plannerFrom(reg.planner) : null;
      session.startModel({ policy: policyFrom(reg.policy), planner, instruction: reset.instruction, stopAfterSuccessMs: 300, record: req.record ?? false, replanEverySec: req.replanEverySec ?? 0 });
      const start = performance.now();
      while (session.loop.mode !== 'idle' && performance.now() - start < req.maxSeconds * 1000) await sleep(50);
      if (session.loop.mode !== 'idle') session.stop('stop', 'evaluation time limit');
      const m = session.metrics;
      const snap = session.getSnapshot();
      return {
        instruction: reset.instruction,
        success: snap.success === true,
        endReason: snap.safety.reason,
        steps: m.steps,
        seconds: (performance.now() - start) / 1000,
        stepLatencyMs: [...m.stepLatency.values()],
        policyMs: [...m.policyMs.values()],
        decodeMs: [...m.decodeMs.values()],
        plannerMs: m.plannerLastMs,
        droppedSteps: m.droppedSteps,
        droppedFrames: m.droppedFrames,
        chunkSteps: m.chunkSteps,
        backend: reg.policy.loaded.backend,
      };
    },
  };
  return exposeForAutomation('__pathStudioEval', hooks);
}
