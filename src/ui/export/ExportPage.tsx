import { EmptyState } from '../common/EmptyState';

/** Placeholder until export lands (owned by the export work). */
export default function ExportPage() {
  return (
    <section className="page">
      <EmptyState title="Export"><p>HAMSTER/VILA and LeRobot export and project backup arrive with the Export issue.</p></EmptyState>
    </section>
  );
}
