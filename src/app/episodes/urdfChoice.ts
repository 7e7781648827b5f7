/**
 * The end effector from forward kinematics, headless: the user picks a URDF folder (meshes are not
 * needed for FK, only for the 3D view), the tip link, the state column that drives each joint
 * (matched by name; the mapping dialog opens when names differ) and the joints' units.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import { chainTo, endEffectorCandidates, matchJointColumns, type FkPlan, type JointUnits, type KinematicModel, type UrdfJoint } from '../../importers/episodes/kinematics';
import type { EpisodeSource } from '../../importers/episodes/source';
import { parseUrdf, type XmlParserLike } from '../../importers/episodes/urdf';
import type { PickedFile } from './episodeWorkspace';
import { errorMessage } from '../../core/errorMessage';

export interface UrdfChoice {
  plan: FkPlan;
  origin: string;
  /** For the 3D view: the URDF text, its folder's files (meshes) and the tip link. */
  urdfText: string;
  meshFiles: Map<string, File>;
  tip: string;
}

export interface UrdfChoiceSnapshot {
  /** The .urdf files in the picked folder. */
  urdfs: string[];
  urdfPath: string;
  model: KinematicModel | null;
  error: string | null;
  /** Links that can be the end effector, and the one chosen. */
  tips: string[];
  tip: string;
  /** State column → the joint it drives. */
  mapping: Record<string, string>;
  units: JointUnits;
  mappingOpen: boolean;
  /** The FK chain's moving joints, and those no column drives (held at 0). */
  chainJoints: UrdfJoint[];
  unmapped: UrdfJoint[];
  /** What the workspace uses; null until the URDF, tip and mapping give a chain. */
  choice: UrdfChoice | null;
}

type Inputs = Pick<UrdfChoiceSnapshot, 'urdfPath' | 'model' | 'tip' | 'mapping' | 'units'> & { urdfText: string; meshFiles: Map<string, File> };

/** LeRobot's small arms (SO-100/101, Koch, Moss) store −100…100 of each joint's range; other values beyond a full turn must be degrees. */
function guessUnits(source: EpisodeSource, sample: number[][] | null): JointUnits {
  if (/so10[01]|koch|moss/i.test(source.robotType ?? '')) return 'range100';
  const maxAbs = Math.max(0, ...(sample ?? []).flat().map(Math.abs));
  return maxAbs > 2 * Math.PI ? 'deg' : 'rad';
}

const moving = (joints: UrdfJoint[]) => joints.filter((j) => j.type !== 'fixed');

export class UrdfChoiceController extends SnapshotStore<UrdfChoiceSnapshot> {
  private files: PickedFile[] = [];
  private inputs: Inputs = { urdfPath: '', model: null, tip: '', mapping: {}, units: 'rad', urdfText: '', meshFiles: new Map() };
  private loading = 0;
  private disposed = false;

  /** `xml` parses the URDF (the browser's DOMParser; another in Node). */
  constructor(private readonly source: EpisodeSource, private readonly xml: () => XmlParserLike = () => new DOMParser()) {
    super({ urdfs: [], urdfPath: '', model: null, error: null, tips: [], tip: '', mapping: {}, units: 'rad', mappingOpen: false, chainJoints: [], unmapped: [], choice: null });
  }

  /** A picked URDF folder: its first .urdf file (by path) is read. */
  async pickFolder(files: PickedFile[]): Promise<void> {
    this.files = files;
    const urdfs = files.filter((f) => /\.urdf$/i.test(f.path)).map((f) => f.path).sort();
    // Paths relative to the picked folder (its own name dropped), as the URDF refers to them.
    const meshFiles = new Map(files.map((f) => [f.path.split('/').slice(1).join('/') || f.path, f.file]));
    this.update({ meshFiles }, { urdfs, error: urdfs.length ? null : 'The folder has no .urdf file.' });
    await this.chooseUrdf(urdfs[0] ?? '');
  }

  /** Reads one of the folder's .urdf files: its tip link, the columns matched to its joints, the units guessed. */
  async chooseUrdf(path: string): Promise<void> {
    const request = ++this.loading;
    this.update({ urdfPath: path });
    const entry = this.files.find((f) => f.path === path);
    if (!entry) { this.update({ model: null }); return; }
    const text = await entry.file.text();
    try {
      const model = parseUrdf(text, this.xml(), entry.path.split('/').pop());
      const first = await this.source.readEpisode(this.source.episodes[0].index).catch(() => null);
      if (request !== this.loading || this.disposed) return;
      const tips = endEffectorCandidates(model);
      const mapping = matchJointColumns(this.source.stateNames, model);
      const chain = (() => { try { return moving(chainTo(model, tips[0])); } catch { return []; } })();
      this.update(
        { model, urdfText: text, tip: tips[0] ?? '', mapping, units: guessUnits(this.source, first?.states.slice(0, 50) ?? null) },
        // Names differ: ask the user to map columns to joints.
        { error: null, tips, mappingOpen: this.getSnapshot().mappingOpen || chain.some((j) => !Object.values(mapping).includes(j.name)) },
      );
    } catch (e) {
      if (request === this.loading && !this.disposed) this.update({ model: null }, { error: errorMessage(e) });
    }
  }

  chooseTip(tip: string): void {
    this.update({ tip });
  }

  chooseUnits(units: JointUnits): void {
    this.update({ units });
  }

  /** The state column that drives `joint` ('' : none, held at 0); a column drives one joint at most. */
  mapJoint(joint: string, column: string): void {
    const mapping = Object.fromEntries(Object.entries(this.inputs.mapping).filter(([c, j]) => j !== joint && c !== column));
    if (column) mapping[column] = joint;
    this.update({ mapping });
  }

  openMapping(): void {
    this.set({ mappingOpen: true });
  }

  closeMapping(): void {
    this.set({ mappingOpen: false });
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Sets the FK inputs and what follows from them (chain, choice), with `rest` of the snapshot. */
  private update(change: Partial<Inputs>, rest: Partial<UrdfChoiceSnapshot> = {}): void {
    const inputs = { ...this.inputs, ...change };
    this.inputs = inputs;
    const plan = planOf(inputs, this.source.stateNames);
    const chainJoints = plan ? moving(plan.chain) : [];
    this.set({
      ...rest,
      urdfPath: inputs.urdfPath, model: inputs.model, tip: inputs.tip, mapping: inputs.mapping, units: inputs.units,
      chainJoints,
      unmapped: chainJoints.filter((j) => !plan?.columns.some((c) => c.joint === j.name)),
      choice: plan && { plan, origin: `forward kinematics of ${inputs.urdfPath.split('/').pop()} (${inputs.tip})`, urdfText: inputs.urdfText, meshFiles: inputs.meshFiles, tip: inputs.tip },
    });
  }
}

function planOf({ model, tip, mapping, units }: Inputs, stateNames: readonly string[]): FkPlan | null {
  if (!model || !tip) return null;
  try {
    const chain = chainTo(model, tip);
    const columns = Object.entries(mapping)
      .map(([column, joint]) => ({ index: stateNames.indexOf(column), joint }))
      .filter((c) => c.index >= 0 && model.joints.some((j) => j.name === c.joint));
    return { chain, columns, units, joints: Object.fromEntries(model.joints.map((j) => [j.name, j])) };
  } catch {
    return null;
  }
}
