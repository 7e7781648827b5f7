import { EmptyState } from '../common/EmptyState';

export default function ImportPage() {
  return (
    <section className="page">
      <EmptyState title="Import videos and robot episodes">
        <p>Video import (track a point into a path) and LeRobot / robomimic episode import arrive in the next issues. To add images now, open a dataset in the Library and drop them there.</p>
      </EmptyState>
    </section>
  );
}
