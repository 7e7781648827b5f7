import { useEffect, useState } from 'react';
import { formatBytes, readStorageReport, requestPersistentStorage, type StorageReport } from '../../storage/quota';

export default function SettingsPage() {
  const [report, setReport] = useState<StorageReport | null>(null);
  const refresh = () => void readStorageReport().then(setReport);
  useEffect(refresh, []);
  const pct = report?.usageBytes != null && report.quotaBytes ? (100 * report.usageBytes) / report.quotaBytes : null;
  return (
    <section className="page">
      <header className="page-header"><h1>Settings</h1></header>
      <div className="card" aria-label="Storage">
        <h2>Storage</h2>
        <p>Everything you make in Path Studio lives in this browser (IndexedDB). Export or back up datasets you care about.</p>
        <dl className="facts">
          <dt>Used</dt><dd data-testid="storage-usage">{report ? formatBytes(report.usageBytes) : '…'}</dd>
          <dt>Available to this site</dt><dd data-testid="storage-quota">{report ? formatBytes(report.quotaBytes) : '…'}</dd>
          <dt>Persistent</dt>
          <dd data-testid="storage-persisted">
            {report?.persisted == null ? 'unknown' : report.persisted ? 'yes — the browser will not evict this data' : 'no — the browser may evict data under storage pressure'}
          </dd>
        </dl>
        {pct !== null && <div className="bar" aria-label="Storage used"><div className="bar-fill" style={{ width: `${Math.min(100, pct)}%` }} /></div>}
        {report && !report.persisted && (
          <button className="btn" onClick={() => void requestPersistentStorage().then(refresh)}>Ask the browser to keep data</button>
        )}
      </div>
    </section>
  );
}
