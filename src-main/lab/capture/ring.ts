/** A fixed-capacity ring of items with consecutive ids: the oldest falls out when full. */
export class Ring<T extends { id: number }> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;
  evicted = 0;

  constructor(private capacity: number) {
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }
  get limit(): number {
    return this.capacity;
  }

  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
      this.evicted++;
    }
  }

  private at(index: number): T {
    return this.items[(this.start + index) % this.capacity] as T;
  }

  /** Items are pushed with increasing ids, so an id maps to a slot without a search. */
  get(id: number): T | undefined {
    if (this.count === 0) return undefined;
    const first = this.at(0).id;
    const index = id - first;
    if (index < 0 || index >= this.count) return undefined;
    const item = this.at(index);
    return item.id === id ? item : undefined;
  }

  /** Items with id > afterId, oldest first, at most `limit`. */
  after(afterId: number, limit: number): T[] {
    const out: T[] = [];
    if (this.count === 0) return out;
    const first = this.at(0).id;
    for (let i = Math.max(0, afterId + 1 - first); i < this.count && out.length < limit; i++) out.push(this.at(i));
    return out;
  }

  /** The newest `limit` items with id < beforeId, oldest first (a page of history, read backwards). */
  before(beforeId: number, limit: number): T[] {
    if (this.count === 0) return [];
    const first = this.at(0).id;
    const end = Math.min(this.count, Math.max(0, beforeId - first));
    const start = Math.max(0, end - limit);
    const out: T[] = new Array(end - start);
    for (let i = start; i < end; i++) out[i - start] = this.at(i);
    return out;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  clear(): void {
    this.items = new Array(this.capacity);
    this.start = 0;
    this.count = 0;
  }

  resize(capacity: number): void {
    const kept = [...this].slice(-capacity);
    this.evicted += this.count - kept.length;
    this.capacity = capacity;
    this.items = new Array(capacity);
    this.start = 0;
    this.count = 0;
    for (const item of kept) this.push(item);
  }
}
