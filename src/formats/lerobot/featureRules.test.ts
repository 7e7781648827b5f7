// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedFixture } from '../../testing/sharedFixtures';
import { checkFeatureRules, checkVideoStream, FEATURE_RULES, policyFeatureType, type FeatureRuleId, type FeatureSpec } from './featureRules';

/** A small dataset that follows every rule; each test breaks one. */
function dataset(): { features: Record<string, FeatureSpec>; stats: Record<string, Record<string, unknown>> } {
  const scalar = (dtype: string) => ({ dtype, shape: [1], names: null });
  const video = {
    dtype: 'video', shape: [6, 8, 3], names: ['height', 'width', 'channels'],
    info: { 'video.height': 6, 'video.width': 8, 'video.codec': 'h264', 'video.pix_fmt': 'yuv420p', 'video.fps': 10, 'video.channels': 3, has_audio: false },
  };
  const features: Record<string, FeatureSpec> = {
    action: { dtype: 'float32', shape: [2], names: ['dx', 'dy'] },
    'observation.state': { dtype: 'float32', shape: [2], names: ['x', 'y'] },
    'observation.path_valid': { dtype: 'float32', shape: [1], names: ['path_valid'] },
    'observation.images.front': video,
    timestamp: scalar('float32'), frame_index: scalar('int64'), episode_index: scalar('int64'), index: scalar('int64'), task_index: scalar('int64'),
    'next.success': scalar('bool'),
  };
  const vec = (n: number) => {
    const v = Array.from({ length: n }, () => 0.5);
    return { min: v.map(() => 0), max: v.map(() => 1), mean: v, std: v.map(() => 0.1), count: [20], q01: v, q10: v, q50: v, q90: v, q99: v };
  };
  const img = () => {
    const v = [[[0.5]], [[0.5]], [[0.5]]];
    return { min: [[[0]], [[0]], [[0]]], max: [[[1]], [[1]], [[1]]], mean: v, std: v, count: [3], q01: v, q10: v, q50: v, q90: v, q99: v };
  };
  const stats: Record<string, Record<string, unknown>> = {};
  for (const [k, f] of Object.entries(features)) stats[k] = f.dtype === 'video' ? img() : vec((f.shape as number[])[0]);
  return { features, stats };
}

const rules = (features: Record<string, FeatureSpec>, stats: Record<string, unknown> | null) =>
  checkFeatureRules(features, stats, { fps: 10 }).map((p) => `${p.rule} ${p.feature}`);
/** The rules a broken dataset fails, each once. */
const failed = (features: Record<string, FeatureSpec>, stats: Record<string, unknown> | null) =>
  [...new Set(checkFeatureRules(features, stats, { fps: 10 }).map((p) => p.rule))].sort();

describe('lerobot feature rules', () => {
  it('every rule names its lerobot source', () => {
    expect(FEATURE_RULES.map((r) => r.id)).toHaveLength(new Set(FEATURE_RULES.map((r) => r.id)).size);
    for (const r of FEATURE_RULES) expect(r.source).toMatch(/\.py /);
  });

  it('a dataset that follows them passes', () => {
    const { features, stats } = dataset();
    expect(rules(features, stats)).toEqual([]);
  });

  it('policyFeatureType classifies keys as dataset_to_policy_features does', () => {
    expect(policyFeatureType('observation.images.front', { dtype: 'video' })).toBe('VISUAL');
    expect(policyFeatureType('observation.environment_state', { dtype: 'float32' })).toBe('ENV');
    expect(policyFeatureType('observation.path_valid', { dtype: 'bool' })).toBe('STATE');
    expect(policyFeatureType('action', { dtype: 'float32' })).toBe('ACTION');
    expect(policyFeatureType('next.success', { dtype: 'bool' })).toBeNull();
    expect(policyFeatureType('timestamp', { dtype: 'float32' })).toBeNull();
  });

  const cases: [FeatureRuleId, string, (d: ReturnType<typeof dataset>) => void][] = [
    ['key-no-slash', 'a "/" in a key (utils._validate_feature_names)', (d) => { d.features['observation/extra'] = { dtype: 'float32', shape: [1], names: ['extra'] }; d.stats['observation/extra'] = d.stats.timestamp; }],
    ['dtype-known', 'an unknown dtype (validate_feature_dtype_and_shape)', (d) => { d.features['next.success'].dtype = 'boolean'; }],
    ['shape', 'a shape of 0 (get_hf_features_from_features)', (d) => { d.features['next.success'].shape = [0]; }],
    ['visual-shape', 'a video with names[2] not "channels" (dataset_to_policy_features)', (d) => { d.features['observation.images.front'].names = ['height', 'width', 'rgb']; }],
    ['video-info', 'video.height disagreeing with the shape', (d) => { (d.features['observation.images.front'].info as Record<string, unknown>)['video.height'] = 7; }],
    ['policy-input-float32', 'observation.path_valid as bool (normalize_processor casts stats to bool)', (d) => { d.features['observation.path_valid'].dtype = 'bool'; }],
    ['policy-input-float32', 'an int64 observation feature', (d) => { d.features['observation.path_valid'].dtype = 'int64'; }],
    ['names', 'fewer names than values (hw_to_dataset_features)', (d) => { d.features.action.names = ['dx']; }],
    ['names', 'a float32 observation vector without names (build_dataset_frame)', (d) => { d.features['observation.state'].names = null; }],
    ['state-and-action', 'no observation.state (configs/policies.py robot_state_feature)', (d) => { delete d.features['observation.state']; delete d.stats['observation.state']; }],
    ['default-features', 'frame_index as float32 (DEFAULT_FEATURES)', (d) => { d.features.frame_index.dtype = 'float32'; }],
    ['stats-present', 'a feature without stats (compute_episode_stats)', (d) => { delete d.stats['observation.path_valid']; }],
    ['stats-keys', 'stats without quantiles (DEFAULT_QUANTILES)', (d) => { delete d.stats.action.q99; }],
    ['stats-count', 'count as a bare number (_validate_stat_value)', (d) => { d.stats.action.count = 20; }],
    ['stats-shape', 'image stats of shape (3,) (_validate_stat_value)', (d) => { d.stats['observation.images.front'].mean = [0.5, 0.5, 0.5]; }],
    ['stats-shape', 'vector stats of the wrong length', (d) => { d.stats.action.std = [0.1]; }],
    ['stats-values', 'a mean outside [min, max]', (d) => { d.stats.action.mean = [2, 0.5]; }],
    ['stats-values', 'image stats in 0…255 instead of 0…1', (d) => { d.stats['observation.images.front'].max = [[[255]], [[255]], [[255]]]; }],
  ];
  for (const [rule, what, breakIt] of cases) {
    it(`${rule}: finds ${what}`, () => {
      const d = dataset();
      breakIt(d);
      expect(failed(d.features, d.stats)).toEqual([rule]);
    });
  }

  it('problems say what to change', () => {
    const d = dataset();
    d.features['observation.path_valid'].dtype = 'bool';
    const [p] = checkFeatureRules(d.features, d.stats);
    expect(p.message).toContain('write it as float32');
  });

  it('checkVideoStream compares info with the probed stream (pix_fmt as ffprobe names it)', () => {
    const { features } = dataset();
    const f = features['observation.images.front'];
    expect(checkVideoStream('observation.images.front', f, { codec_name: 'h264', pix_fmt: 'yuv420p', width: 8, height: 6 })).toEqual([]);
    expect(checkVideoStream('observation.images.front', f, { codec_name: 'h264', pix_fmt: 'yuvj420p', width: 8, height: 6 }).map((p) => p.message))
      .toEqual(['"observation.images.front" info says video.pix_fmt = "yuv420p", the stream is "yuvj420p"']);
  });

  const so101 = sharedFixture('lerobot-so101-v3');
  it.skipIf(!so101.present)('a dataset written by lerobot itself passes (so the rules are lerobot\'s, not ours)', () => {
    const info = JSON.parse(readFileSync(so101.path('meta/info.json'), 'utf8'));
    const stats = JSON.parse(readFileSync(so101.path('meta/stats.json'), 'utf8'));
    expect(checkFeatureRules(info.features, stats, { fps: info.fps })).toEqual([]);
  });
});
