import { EmptyState } from '../common/EmptyState';

/** Placeholder until the Annotate editor lands (owned by the editor work). */
export default function AnnotatePage() {
  return (
    <section className="page">
      <EmptyState title="Annotate">
        <p>Open a dataset in the Library and choose a sample to annotate.</p>
      </EmptyState>
    </section>
  );
}
