/**
 * The revisions this replica wrote itself, remembered to recognise them in its own changes feed:
 * a revision made from a Dexie record is never applied back to Dexie (no echo). Bounded; the oldest
 * are forgotten first (a forgotten one only costs a comparison that finds both sides equal).
 */
const LIMIT = 20_000;

export class OwnRevisions {
  private readonly revs = new Set<string>();

  add(rev: string): void {
    this.revs.add(rev);
    if (this.revs.size > LIMIT) {
      const oldest = this.revs.values().next().value;
      if (oldest !== undefined) this.revs.delete(oldest);
    }
  }

  has(rev: string): boolean {
    return this.revs.has(rev);
  }
}
