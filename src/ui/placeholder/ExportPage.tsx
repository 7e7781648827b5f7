import { EmptyState } from '../common/EmptyState';

export default function ExportPage() {
  return (
    <section className="page">
      <EmptyState title="Export">
        <p>HAMSTER/VILA and LeRobot export and project backup arrive with the Export issue.</p>
      </EmptyState>
    </section>
  );
}
