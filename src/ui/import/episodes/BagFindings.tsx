/** What an opened ROS bag holds (src/importers/rosbag's BagFacts): its topics with types and message counts. */
import type { BagFacts } from '../../../importers/rosbag/facts';

export function BagFindings({ facts }: { facts: BagFacts }) {
  return (
    <details className="ep-findings" open data-testid="bag-findings">
      <summary>
        Found: {facts.topics.length} topic{facts.topics.length === 1 ? '' : 's'} · {facts.cameras.length} camera{facts.cameras.length === 1 ? '' : 's'}
        {' · '}{facts.storage}{facts.profile ? ` (${facts.profile})` : ''}
      </summary>
      <table className="ep-table" aria-label="Topics" data-testid="bag-topics">
        <thead><tr><th>topic</th><th>type</th><th>messages</th></tr></thead>
        <tbody>
          {facts.topics.map((t) => (
            <tr key={t.name}><td><code>{t.name}</code></td><td>{t.type}</td><td>{t.count}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
