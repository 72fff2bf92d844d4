/**
 * The in-flight window of one follower: the last index of each AppendEntries sent but not
 * yet acknowledged, bounded by count and by bytes. A full window pauses replication.
 * Invariant: `indexes` is increasing; `bytes` is the sum of the sizes of the messages held.
 */
export class Inflights {
  private indexes: number[] = [];
  private sizes: number[] = [];
  private start = 0;
  private bytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  get count(): number {
    return this.indexes.length - this.start;
  }

  /** Bytes of the messages held. */
  get bytesInFlight(): number {
    return this.bytes;
  }

  /** Array slots in use, freed ones included: compaction keeps it within twice `count` + 64. */
  get storedSlots(): number {
    return this.indexes.length;
  }

  /** Record a message whose last entry is `index` and whose entries hold `size` bytes. */
  add(index: number, size: number): void {
    this.indexes.push(index);
    this.sizes.push(size);
    this.bytes += size;
  }

  /** Free every message whose last index is at most `index` (they were acknowledged). */
  freeLE(index: number): void {
    while (this.start < this.indexes.length && this.indexes[this.start]! <= index) {
      this.bytes -= this.sizes[this.start]!;
      this.start++;
    }
    // Compact the arrays now and then instead of shifting on every free.
    if (this.start > 64 && this.start * 2 > this.indexes.length) {
      this.indexes = this.indexes.slice(this.start);
      this.sizes = this.sizes.slice(this.start);
      this.start = 0;
    }
  }

  /** Free the oldest message (it may have been lost). */
  freeFirst(): void {
    if (this.count > 0) this.freeLE(this.indexes[this.start]!);
  }

  full(): boolean {
    return this.count >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  reset(): void {
    this.indexes = [];
    this.sizes = [];
    this.start = 0;
    this.bytes = 0;
  }
}
