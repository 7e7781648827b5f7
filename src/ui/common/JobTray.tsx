import { useEffect, useRef, useState } from 'react';
import { etaSeconds, useJobs } from '../../app/jobs/jobs';

/**
 * The running jobs, over the bottom of the page. Pages keep that much room at their end
 * (`--job-tray-space`, read by `.page`), so whatever sits at the bottom can be scrolled above it.
 */
export function JobTray() {
  const jobs = useJobs((s) => s.jobs);
  const [, tick] = useState(0);
  const tray = useRef<HTMLDivElement>(null);
  const showing = jobs.length > 0;
  useEffect(() => {
    const el = tray.current;
    const root = document.documentElement.style;
    if (!el) return;
    const observer = new ResizeObserver(() => root.setProperty('--job-tray-space', `${el.offsetHeight + 16}px`));
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.removeProperty('--job-tray-space');
    };
  }, [showing]);
  useEffect(() => {
    if (!jobs.length) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [jobs.length]);
  if (!jobs.length) return null;
  return (
    <div className="job-tray" aria-label="Running jobs" ref={tray}>
      {jobs.map((j) => {
        const eta = etaSeconds(j);
        return (
          <div key={j.id} className="job" role="progressbar" aria-label={j.label} aria-valuemin={0} aria-valuemax={j.total} aria-valuenow={j.done}>
            <div className="job-head">
              <span>{j.label}</span>
              <span className="muted">{j.done} / {j.total}{eta !== null ? ` · ${eta}s left` : ''}</span>
              {j.cancel && <button className="btn btn-small" onClick={j.cancel}>Cancel</button>}
            </div>
            {j.detail && <div className="muted job-detail" role="status">{j.detail}</div>}
            <div className="bar"><div className="bar-fill" style={{ width: `${j.total ? (100 * j.done) / j.total : 0}%` }} /></div>
          </div>
        );
      })}
    </div>
  );
}
