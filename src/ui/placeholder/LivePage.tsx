import { EmptyState } from '../common/EmptyState';

export default function LivePage() {
  return (
    <section className="page">
      <EmptyState title="Live robot console">
        <p>Connecting to a robot over rosbridge, the camera and 3D view, teleoperation and running the hierarchical model arrive with the Live issue.</p>
      </EmptyState>
    </section>
  );
}
