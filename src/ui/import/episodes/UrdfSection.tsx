/**
 * End effector from forward kinematics: the user picks a URDF folder (meshes are not needed for
 * FK), the tip link, the joint-column mapping (by name, with a dialog when names differ) and units.
 * The choices are the UrdfChoiceController's (src/app/episodes/urdfChoice.ts).
 */
import { useSyncExternalStore } from 'react';
import { JOINT_UNIT_LABELS } from '../../../app/episodes/episodeLabels';
import type { UrdfChoiceController } from '../../../app/episodes/urdfChoice';
import type { JointUnits } from '../../../importers/episodes/kinematics';
import { entriesFromInput } from './folderInput';

export function UrdfSection({ controller, stateNames }: { controller: UrdfChoiceController; stateNames: string[] }) {
  const { urdfs, urdfPath, model, error, tips, tip, mapping, units, mappingOpen, chainJoints, unmapped } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  return (
    <div className="ep-urdf">
      <div className="toolbar">
        <label className="btn btn-small">
          Choose URDF folder…
          <input type="file" hidden multiple aria-label="URDF folder" {...{ webkitdirectory: '', directory: '' }} onChange={(e) => {
            if (!e.target.files) return;
            void controller.pickFolder(entriesFromInput(e.target.files));
            e.target.value = '';
          }} />
        </label>
        {urdfs.length > 1 && (
          <select aria-label="URDF file" value={urdfPath} onChange={(e) => void controller.chooseUrdf(e.target.value)}>
            {urdfs.map((u) => <option key={u} value={u}>{u}</option>)}
          </select>
        )}
        {model && (
          <>
            <label>tip link <select aria-label="End-effector link" value={tip} onChange={(e) => controller.chooseTip(e.target.value)}>
              {tips.map((l) => <option key={l}>{l}</option>)}
            </select></label>
            <label>units <select aria-label="Joint units" value={units} onChange={(e) => controller.chooseUnits(e.target.value as JointUnits)}>
              {(Object.keys(JOINT_UNIT_LABELS) as JointUnits[]).map((u) => <option key={u} value={u}>{JOINT_UNIT_LABELS[u]}</option>)}
            </select></label>
            <button className="btn btn-small" onClick={() => controller.openMapping()}>Joint mapping…</button>
          </>
        )}
      </div>
      {error && <div className="import-report" role="alert">{error}</div>}
      {model && <p className="muted" data-testid="urdf-summary">{model.robotName}: {chainJoints.length} joints from {model.rootLink} to {tip}; {chainJoints.length - unmapped.length} matched to state columns{unmapped.length ? `, unmapped (held at 0): ${unmapped.map((j) => j.name).join(', ')}` : ''}.</p>}
      {mappingOpen && model && (
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
                        <select aria-label={`Column for ${j.name}`} value={col} onChange={(e) => controller.mapJoint(j.name, e.target.value)}>
                          <option value="">(held at 0)</option>
                          {stateNames.map((n) => <option key={n} value={n}>{n}</option>)}
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <div className="modal-actions"><button className="btn btn-primary" onClick={() => controller.closeMapping()}>Done</button></div>
          </div>
        </div>
      )}
    </div>
  );
}
