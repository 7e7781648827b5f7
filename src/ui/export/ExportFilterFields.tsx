import { ALL_SOURCES, ALL_STATUSES, OUTCOME_LABELS, OUTCOMES, type ExportFilter, type Outcome } from '../../exporters/exportFilter';

const toggled = <T,>(list: readonly T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

/** The filter both exports share; each shows the fields that apply to it. */
export function ExportFilterFields({ value, onChange, fields, outcomeCounts }: {
  value: ExportFilter;
  onChange: (f: ExportFilter) => void;
  fields: ('statuses' | 'sources' | 'outcomes' | 'task')[];
  outcomeCounts?: Record<Outcome, number>;
}) {
  return (
    <>
      {fields.includes('outcomes') && (
        <div className="option-row" role="group" aria-label="Outcomes to export">
          <span className="option-label">Runs</span>
          {OUTCOMES.map((o) => (
            <label key={o} className="check">
              <input type="checkbox" checked={value.outcomes.includes(o)} onChange={() => onChange({ ...value, outcomes: toggled(value.outcomes, o) })} /> {OUTCOME_LABELS[o]}
              {outcomeCounts && <span className="muted"> ({outcomeCounts[o]})</span>}
            </label>
          ))}
        </div>
      )}
      {fields.includes('statuses') && (
        <div className="option-row" role="group" aria-label="Statuses to export">
          <span className="option-label">Statuses</span>
          {ALL_STATUSES.map((s) => (
            <label key={s} className="check"><input type="checkbox" checked={value.statuses.includes(s)} onChange={() => onChange({ ...value, statuses: toggled(value.statuses, s) })} /> {s}</label>
          ))}
        </div>
      )}
      {fields.includes('sources') && (
        <div className="option-row" role="group" aria-label="Sources to export">
          <span className="option-label">Sources</span>
          {ALL_SOURCES.map((s) => (
            <label key={s} className="check"><input type="checkbox" checked={value.sources.includes(s)} onChange={() => onChange({ ...value, sources: toggled(value.sources, s) })} /> {s}</label>
          ))}
        </div>
      )}
      {fields.includes('task') && (
        <div className="option-row">
          <label>Task contains <input aria-label="Task contains" type="search" placeholder="any task" value={value.task} onChange={(e) => onChange({ ...value, task: e.target.value })} /></label>
        </div>
      )}
    </>
  );
}
