import { useEffect, useState } from 'react';
import { formatBytes } from '../../core/formatBytes';
import { KeymapCard } from './KeymapCard';
import { TeamCard } from './TeamCard';
import { maxImagePixels, readStorageReport, requestPersistentStorage, setMaxImageMegapixels, type StorageReport } from '../../app/settings/storageSettings';
import { errorMessage } from '../../core/errorMessage';

/** The largest image the studio decodes: decompression bombs are refused from their header. */
function ImageLimitCard() {
  const [value, setValue] = useState(String(maxImagePixels() / 1e6));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = () => {
    try {
      setMaxImageMegapixels(Number(value));
      setMessage({ ok: true, text: `Images up to ${Number(value)} MP are decoded; larger ones are refused from their header.` });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  return (
    <div className="card" aria-label="Images">
      <h2>Images</h2>
      <p>Images larger than this are refused when imported, before any pixel is decoded (a small file can claim billions of pixels).</p>
      <label>
        Largest image (megapixels){' '}
        <input type="number" min={1} max={1000} value={value} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && save()} />
      </label>{' '}
      <button className="btn" onClick={save}>Save</button>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? '' : 'form-error'}>{message.text}</p>}
    </div>
  );
}

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
      <TeamCard />
      <ImageLimitCard />
      <KeymapCard />
    </section>
  );
}
