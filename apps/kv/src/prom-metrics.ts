/**
 * `PromMetrics`: raft-io's `Metrics` hook backed by prom-client. Each name the server
 * reports becomes a Counter, Histogram or Gauge on first use, in this node's own registry,
 * next to Node's default process metrics and the HTTP metrics of the kv API. A name first
 * reported with labels (the per-peer metrics: `peer`, and `outcome` for snapshot transfers)
 * gets those label names; `remove` drops one series (a peer that left, or all of them when
 * this node stops leading). The hook never throws: a call that prom-client refuses (labels
 * other than the name's first ones) is dropped.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricLabels, Metrics } from 'raft-io';
import type { KvHttpStats } from './kv-node.js';

/** Histogram buckets for durations in seconds (0.25 ms to 10 s). */
const SECONDS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Histogram buckets for counts (events per batch, commands per append). */
const COUNTS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly gauges = new Map<string, Gauge>();
  /** HTTP requests by method, route and status. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** HTTP request durations by method and route. */
  readonly httpDuration: Histogram<'method' | 'route'>;

  constructor(labels: Record<string, string> = {}) {
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'kv_http_requests_total',
      help: 'HTTP requests answered, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'kv_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method and route',
      labelNames: ['method', 'route'],
      buckets: SECONDS,
      registers: [this.registry],
    });
  }

  /**
   * Report the HTTP server's counters, read from `stats` at each scrape: open connections,
   * requests in flight, connections dropped at the cap or closed for pipelining, body bytes
   * held under the budget (now and at most) and bodies refused for lack of budget.
   */
  trackHttp(stats: () => KvHttpStats): void {
    const gauges: [string, string, (s: KvHttpStats) => number][] = [
      ['kv_http_connections', 'Open HTTP connections', (s) => s.connections],
      ['kv_http_requests_in_flight', 'HTTP requests being served', (s) => s.requestsInFlight],
      ['kv_http_body_bytes_in_flight', 'Request body bytes held now', (s) => s.bodies.bytesInFlight],
      ['kv_http_body_bytes_peak', 'Most request body bytes held at once', (s) => s.bodies.peakBytesInFlight],
      ['kv_http_body_bytes_limit', 'Budget of request body bytes held at once', (s) => s.bodies.limitBytes],
    ];
    for (const [name, help, read] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(stats()));
        },
      });
    }
    const counters: [string, string, (s: KvHttpStats) => number][] = [
      [
        'kv_http_connections_dropped_total',
        'HTTP connections closed at the connection cap',
        (s) => s.droppedConnections,
      ],
      [
        'kv_http_pipelining_closed_total',
        'HTTP connections closed for pipelining more requests than allowed',
        (s) => s.pipeliningClosed,
      ],
      [
        'kv_http_bodies_refused_total',
        'Request bodies refused for lack of budget (503 BUSY)',
        (s) => s.bodies.refused,
      ],
    ];
    for (const [name, help, read] of counters) {
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          // The count lives in the server; the counter mirrors it at each scrape.
          this.reset();
          this.inc(read(stats()));
        },
      });
    }
  }

  increment(name: string, value = 1, labels?: MetricLabels): void {
    try {
      let c = this.counters.get(name);
      if (!c) {
        c = new Counter({
          name,
          help: `raft-io ${name}`,
          labelNames: labelNames(labels),
          registers: [this.registry],
        });
        this.counters.set(name, c);
      }
      if (labels && Object.keys(labels).length > 0) c.inc(labels, value);
      else c.inc(value);
    } catch {
      // Never let a metric break the driver loop.
    }
  }

  observe(name: string, value: number, labels?: MetricLabels): void {
    try {
      let h = this.histograms.get(name);
      if (!h) {
        h = new Histogram({
          name,
          help: `raft-io ${name}`,
          labelNames: labelNames(labels),
          buckets: name.endsWith('_seconds') ? SECONDS : COUNTS,
          registers: [this.registry],
        });
        this.histograms.set(name, h);
      }
      if (labels && Object.keys(labels).length > 0) h.observe(labels, value);
      else h.observe(value);
    } catch {
      // Never let a metric break the driver loop.
    }
  }

  gauge(name: string, value: number, labels?: MetricLabels): void {
    try {
      let g = this.gauges.get(name);
      if (!g) {
        g = new Gauge({
          name,
          help: `raft-io ${name}`,
          labelNames: labelNames(labels),
          registers: [this.registry],
        });
        this.gauges.set(name, g);
      }
      if (labels && Object.keys(labels).length > 0) g.set(labels, value);
      else g.set(value);
    } catch {
      // Never let a metric break the driver loop.
    }
  }

  remove(name: string, labels: MetricLabels): void {
    try {
      const g = this.gauges.get(name);
      if (!g) return;
      if (Object.keys(labels).length > 0) g.remove(labels);
      else g.reset();
    } catch {
      // Never let a metric break the driver loop.
    }
  }
}

function labelNames(labels: MetricLabels | undefined): string[] {
  return labels ? Object.keys(labels).sort() : [];
}
