import type { ReactNode } from 'react';
import { ALL_SOURCES, ALL_STATUSES, OUTCOME_LABELS, OUTCOMES } from '../../app/export/exportController';
import type { ExportFilter, Outcome } from '../../exporters/exportFilter';

const toggled = <T,>(list: readonly T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

/** One row of checkboxes choosing some of `options`. */
function CheckGroup<T extends string>({ name, label, options, chosen, onChange, describe }: {
  name: string;
  label: string;
  options: readonly T[];
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
  describe?: (option: T) => ReactNode;
}) {
  return (
    <div className="option-row" role="group" aria-label={name}>
      <span className="option-label">{label}</span>
      {options.map((o) => (
        <label key={o} className="check"><input type="checkbox" checked={chosen.includes(o)} onChange={() => onChange(toggled(chosen, o))} /> {describe ? describe(o) : o}</label>
      ))}
    </div>
  );
}

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
        <CheckGroup name="Outcomes to export" label="Runs" options={OUTCOMES} chosen={value.outcomes} onChange={(outcomes) => onChange({ ...value, outcomes })}
          describe={(o) => <>{OUTCOME_LABELS[o]}{outcomeCounts && <span className="muted"> ({outcomeCounts[o]})</span>}</>} />
      )}
      {fields.includes('statuses') && (
        <CheckGroup name="Statuses to export" label="Statuses" options={ALL_STATUSES} chosen={value.statuses} onChange={(statuses) => onChange({ ...value, statuses })} />
      )}
      {fields.includes('sources') && (
        <CheckGroup name="Sources to export" label="Sources" options={ALL_SOURCES} chosen={value.sources} onChange={(sources) => onChange({ ...value, sources })} />
      )}
      {fields.includes('task') && (
        <div className="option-row">
          <label>Task contains <input aria-label="Task contains" type="search" placeholder="any task" value={value.task} onChange={(e) => onChange({ ...value, task: e.target.value })} /></label>
        </div>
      )}
    </>
  );
}
