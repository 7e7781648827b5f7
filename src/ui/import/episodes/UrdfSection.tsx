/**
 * End effector from forward kinematics: the user picks a URDF folder (meshes are not needed for
 * FK), the tip link, the joint-column mapping (by name, with a dialog when names differ) and units.
 */
import { useEffect, useMemo, useState } from 'react';
import { chainTo, endEffectorCandidates, matchJointColumns, JOINT_UNIT_LABELS, type FkPlan, type JointUnits, type KinematicModel } from '../../../importers/episodes/kinematics';
import type { EpisodeSource } from '../../../importers/episodes/source';
import { parseUrdf } from '../../../importers/episodes/urdf';
import { entriesFromInput, type FolderEntry } from './folderInput';

export interface UrdfChoice {
  plan: FkPlan;
  origin: string;
  /** For the 3D view: the URDF text, its folder's files (meshes) and the tip link. */
  urdfText: string;
  meshFiles: Map<string, File>;
  tip: string;
}

function guessUnits(source: EpisodeSource, sample: number[][] | null): JointUnits {
  if (/so10[01]|koch|moss/i.test(source.robotType ?? '')) return 'range100';
  const maxAbs = Math.max(0, ...(sample ?? []).flat().map(Math.abs));
  return maxAbs > 2 * Math.PI ? 'deg' : 'rad';
}

export function UrdfSection({ source, onChange }: { source: EpisodeSource; onChange: (c: UrdfChoice | null) => void }) {
  const [files, setFiles] = useState<FolderEntry[]>([]);
  const [urdfPath, setUrdfPath] = useState<string>('');
  const [model, setModel] = useState<KinematicModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tip, setTip] = useState('');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [units, setUnits] = useState<JointUnits>('rad');
  const [dialog, setDialog] = useState(false);
  const [urdfText, setUrdfText] = useState('');

  const urdfs = useMemo(() => files.filter((f) => /\.urdf$/i.test(f.path)).map((f) => f.path).sort(), [files]);

  useEffect(() => {
    const entry = files.find((f) => f.path === urdfPath);
    if (!entry) { setModel(null); return; }
    let live = true;
    void entry.file.text().then(async (text) => {
      try {
        const m = parseUrdf(text, new DOMParser(), entry.path.split('/').pop());
        const first = await source.readEpisode(source.episodes[0].index).catch(() => null);
        if (!live) return;
        setUrdfText(text);
        setModel(m);
        setError(null);
        setTip(endEffectorCandidates(m)[0] ?? '');
        const map = matchJointColumns(source.stateNames, m);
        setMapping(map);
        setUnits(guessUnits(source, first?.states.slice(0, 50) ?? null));
        const chainJoints = (() => { try { return chainTo(m, endEffectorCandidates(m)[0]).filter((j) => j.type !== 'fixed'); } catch { return []; } })();
        // Names differ: ask the user to map columns to joints.
        if (chainJoints.some((j) => !Object.values(map).includes(j.name))) setDialog(true);
      } catch (e) {
        if (live) { setModel(null); setError(e instanceof Error ? e.message : String(e)); }
      }
    });
    return () => { live = false; };
  }, [files, urdfPath, source]);

  const plan = useMemo<FkPlan | null>(() => {
    if (!model || !tip) return null;
    try {
      const chain = chainTo(model, tip);
      const columns = Object.entries(mapping).map(([col, joint]) => ({ index: source.stateNames.indexOf(col), joint })).filter((c) => c.index >= 0 && joint(c.joint));
      function joint(name: string) { return model!.joints.some((j) => j.name === name); }
      return { chain, columns, units, joints: Object.fromEntries(model.joints.map((j) => [j.name, j])) };
    } catch {
      return null;
    }
  }, [model, tip, mapping, units, source.stateNames]);

  const meshFiles = useMemo(() => {
    // Paths relative to the picked folder (its own name dropped), as the URDF refers to them.
    const map = new Map<string, File>();
    for (const f of files) map.set(f.path.split('/').slice(1).join('/') || f.path, f.file);
    return map;
  }, [files]);

  useEffect(() => {
    onChange(plan ? { plan, origin: `forward kinematics of ${urdfPath.split('/').pop()} (${tip})`, urdfText, meshFiles, tip } : null);
  }, [plan, onChange, urdfPath, tip, urdfText, meshFiles]);

  const chainJoints = plan?.chain.filter((j) => j.type !== 'fixed') ?? [];
  const unmapped = chainJoints.filter((j) => !plan?.columns.some((c) => c.joint === j.name));

  return (
    <div className="ep-urdf">
      <div className="toolbar">
        <label className="btn btn-small">
          Choose URDF folder…
          <input type="file" hidden multiple aria-label="URDF folder" {...{ webkitdirectory: '', directory: '' }} onChange={(e) => {
            if (!e.target.files) return;
            const list = entriesFromInput(e.target.files);
            setFiles(list);
            const found = list.filter((f) => /\.urdf$/i.test(f.path)).map((f) => f.path).sort();
            setUrdfPath(found[0] ?? '');
            setError(found.length ? null : 'The folder has no .urdf file.');
            e.target.value = '';
          }} />
        </label>
        {urdfs.length > 1 && (
          <select aria-label="URDF file" value={urdfPath} onChange={(e) => setUrdfPath(e.target.value)}>
            {urdfs.map((u) => <option key={u} value={u}>{u}</option>)}
          </select>
        )}
        {model && (
          <>
            <label>tip link <select aria-label="End-effector link" value={tip} onChange={(e) => setTip(e.target.value)}>
              {endEffectorCandidates(model).map((l) => <option key={l}>{l}</option>)}
            </select></label>
            <label>units <select aria-label="Joint units" value={units} onChange={(e) => setUnits(e.target.value as JointUnits)}>
              {(Object.keys(JOINT_UNIT_LABELS) as JointUnits[]).map((u) => <option key={u} value={u}>{JOINT_UNIT_LABELS[u]}</option>)}
            </select></label>
            <button className="btn btn-small" onClick={() => setDialog(true)}>Joint mapping…</button>
          </>
        )}
      </div>
      {error && <div className="import-report" role="alert">{error}</div>}
      {model && <p className="muted" data-testid="urdf-summary">{model.robotName}: {chainJoints.length} joints from {model.rootLink} to {tip}; {chainJoints.length - unmapped.length} matched to state columns{unmapped.length ? `, unmapped (held at 0): ${unmapped.map((j) => j.name).join(', ')}` : ''}.</p>}
      {dialog && model && (
        <div className="modal-backdrop" role="dialog" aria-label="Joint mapping">
          <div className="modal">
            <h2>Map state columns to URDF joints</h2>
            <p className="muted">The names did not all match. Pick the state column that drives each joint.</p>
            <table className="ep-map">
              <tbody>
                {model.joints.filter((j) => j.type !== 'fixed' && !j.mimic).map((j) => {
                  const col = Object.entries(mapping).find(([, jn]) => jn === j.name)?.[0] ?? '';
                  return (
                    <tr key={j.name}>
                      <td>{j.name}</td>
                      <td>
                        <select aria-label={`Column for ${j.name}`} value={col} onChange={(e) => {
                          const next = Object.fromEntries(Object.entries(mapping).filter(([c, jn]) => jn !== j.name && c !== e.target.value));
                          if (e.target.value) next[e.target.value] = j.name;
                          setMapping(next);
                        }}>
                          <option value="">(held at 0)</option>
                          {source.stateNames.map((n) => <option key={n} value={n}>{n}</option>)}
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <div className="modal-actions"><button className="btn btn-primary" onClick={() => setDialog(false)}>Done</button></div>
          </div>
        </div>
      )}
    </div>
  );
}
