/**
 * A fixed-capacity FIFO ring: push is O(1) and, when full, overwrites the
 * oldest item and says so, so a producer never waits and never grows memory.
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a whole number of at least 1');
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends; returns true when the oldest item had to be dropped to make room. */
  push(item: T): boolean {
    const tail = (this.head + this.size) % this.capacity;
    this.items[tail] = item;
    if (this.size < this.capacity) {
      this.size += 1;
      return false;
    }
    this.head = (this.head + 1) % this.capacity;
    return true;
  }

  /** Removes and returns up to `count` items, oldest first. */
  take(count: number): T[] {
    const n = Math.min(count, this.size);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i += 1) {
      out[i] = this.items[this.head] as T;
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.size -= n;
    return out;
  }
}
