/**
 * A binary min-heap ordered by (time, sequence): the simulator's event queue. The sequence
 * number breaks ties in insertion order, so equal-time events run in a deterministic order.
 */
export interface Timed {
  readonly time: number;
  readonly seq: number;
}

export class MinHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      swap(a, i, p);
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        swap(a, i, m);
        i = m;
      }
    }
    return top;
  }

  /** Remove every item matching `drop` (O(n) rebuild). Returns how many were removed. */
  removeWhere(drop: (item: T) => boolean): number {
    const kept = this.items.filter((x) => !drop(x));
    const removed = this.items.length - kept.length;
    if (removed > 0) {
      this.items.length = 0;
      for (const x of kept) this.push(x);
    }
    return removed;
  }

  /** Every item, in no particular order. */
  values(): readonly T[] {
    return this.items;
  }
}

function less(a: Timed, b: Timed): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
