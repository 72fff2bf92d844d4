/** A `Metrics` sink that keeps the last value of every series, labels included, for assertions. */
import type { MetricLabels, Metrics } from '../../src/index.js';

function key(name: string, labels?: MetricLabels): string {
  if (!labels || Object.keys(labels).length === 0) return name;
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return `${name}{${parts.join(',')}}`;
}

export class MetricsRecorder implements Metrics {
  readonly gauges = new Map<string, number>();
  readonly counters = new Map<string, number>();

  increment(name: string, value = 1, labels?: MetricLabels): void {
    const k = key(name, labels);
    this.counters.set(k, (this.counters.get(k) ?? 0) + value);
  }

  observe(): void {}

  gauge(name: string, value: number, labels?: MetricLabels): void {
    this.gauges.set(key(name, labels), value);
  }

  remove(name: string, labels: MetricLabels): void {
    this.gauges.delete(key(name, labels));
  }

  /** The gauge's last value, or undefined if never set (or removed). */
  gaugeOf(name: string, labels?: MetricLabels): number | undefined {
    return this.gauges.get(key(name, labels));
  }

  counterOf(name: string, labels?: MetricLabels): number {
    return this.counters.get(key(name, labels)) ?? 0;
  }
}
