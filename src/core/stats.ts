/** Scrapy's stats collector: a flat map of counters and values, dumped when the spider closes. */
export class StatsCollector {
  private readonly values = new Map<string, unknown>();

  get<T = unknown>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  inc(key: string, count = 1, start = 0): void {
    this.values.set(key, ((this.values.get(key) as number | undefined) ?? start) + count);
  }

  max(key: string, value: number): void {
    const current = this.values.get(key) as number | undefined;
    if (current === undefined || value > current) this.values.set(key, value);
  }

  min(key: string, value: number): void {
    const current = this.values.get(key) as number | undefined;
    if (current === undefined || value < current) this.values.set(key, value);
  }

  toObject(): Record<string, unknown> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
