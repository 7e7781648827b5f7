import pLimit from 'p-limit';
import type { AssetSource } from '../../storage/assets';
import type { DatasetReplica } from '../../team/replica';

/**
 * Images of datasets shared with images on demand, fetched from their servers as screens show
 * them: each asked of the shared datasets' replicas in turn, at most four requests at once, one
 * request per image however many screens ask for it meanwhile.
 */
export class ReplicaImages implements AssetSource {
  private readonly fetching = new Map<string, Promise<boolean>>();
  private readonly limit = pLimit(4);

  constructor(private readonly replicas: () => Iterable<DatasetReplica>) {}

  /** Fetches the image into storage; true when it is stored now. */
  fetch(assetId: string): Promise<boolean> {
    const running = this.fetching.get(assetId);
    if (running) return running;
    const fetched = this.limit(() => this.firstAnswer((r) => r.fetchImage(assetId).catch(() => false))).finally(() => this.fetching.delete(assetId));
    this.fetching.set(assetId, fetched);
    return fetched;
  }

  /** Its thumbnail alone, for tiles (not stored). */
  async thumbnail(assetId: string): Promise<Blob | undefined> {
    return (await this.limit(() => this.firstAnswer((r) => r.fetchThumbnail(assetId).catch(() => null)))) || undefined;
  }

  /** The first answer the replicas give (false or null: that one has none). */
  private async firstAnswer<T>(ask: (replica: DatasetReplica) => Promise<T | false | null>): Promise<T | false> {
    for (const replica of this.replicas()) {
      const answer = await ask(replica);
      if (answer !== false && answer !== null) return answer;
    }
    return false;
  }
}
