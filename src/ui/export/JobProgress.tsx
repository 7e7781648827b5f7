import { useEffect, useState } from 'react';
import { formatBytes } from '../../core/formatBytes';
import { etaSeconds, useJobs } from '../../app/jobs/jobs';

/** Inline progress of one job (bytes), with ETA and Cancel; the job tray shows the same job. */
export function JobProgress({ jobId, unit = 'bytes' }: { jobId: number | null; unit?: 'bytes' | 'items' }) {
  const job = useJobs((s) => s.jobs.find((j) => j.id === jobId));
  const [, tick] = useState(0);
  useEffect(() => {
    if (!job) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [job]);
  if (!job) return null;
  const eta = etaSeconds(job);
  const fmt = (n: number) => (unit === 'bytes' ? formatBytes(n) : String(n));
  return (
    <div className="export-progress" role="progressbar" aria-label={`${job.label} progress`} aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
      <div className="job-head">
        <span>{job.label}</span>
        <span className="muted" data-testid="export-progress-text">{fmt(job.done)} of ~{fmt(job.total)}{eta !== null ? ` · about ${eta} s left` : ''}</span>
        {job.cancel && <button className="btn btn-small" onClick={job.cancel}>Cancel</button>}
      </div>
      <div className="bar"><div className="bar-fill" style={{ width: `${job.total ? Math.min(100, (100 * job.done) / job.total) : 0}%` }} /></div>
    </div>
  );
}
