import { EmptyState } from '../common/EmptyState';

export default function ModelsPage() {
  return (
    <section className="page">
      <EmptyState title="Models">
        <p>Loading ONNX planners and policies with their model cards arrives with the Models issue.</p>
      </EmptyState>
    </section>
  );
}
