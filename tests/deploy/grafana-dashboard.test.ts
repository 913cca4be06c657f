import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { PROJECT_ROOT } from '../../src/paths.js';

// The observability profile is for users (not started by tests); this only proves its files fit together.
const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const dashboard = JSON.parse(read('deploy/grafana/dashboards/marketgraph.json')) as {
  uid: string;
  panels: { id: number; type: string; datasource?: { uid: string }; targets?: { expr: string; datasource: { uid: string } }[] }[];
};

/** The names the app's own registry exposes (what GET /metrics serves), histograms without their suffixes. */
const exposed = new Set((await new Metrics().registry.getMetricsAsJSON()).map((metric) => metric.name));

/** What the dashboard must chart: latency, errors, subscribers, jobs, pools, and the rest the issue lists. */
const CHARTED = [
  'marketgraph_graphql_operation_duration_seconds',
  'marketgraph_graphql_errors_total',
  'marketgraph_http_requests_total',
  'marketgraph_websocket_connections',
  'marketgraph_active_subscriptions',
  'marketgraph_events_published_total',
  'marketgraph_events_delivered_total',
  'marketgraph_slow_consumer_disconnects_total',
  'marketgraph_events_dropped_total',
  'marketgraph_job_runs_total',
  'marketgraph_job_duration_seconds',
  'marketgraph_cache_requests_total',
  'marketgraph_db_pool_connections',
  'marketgraph_db_query_duration_seconds',
  'marketgraph_redis_command_errors_total',
  'marketgraph_rate_limit_rejections_total',
  'nodejs_eventloop_lag_seconds',
  'process_resident_memory_bytes',
];

describe('the Grafana dashboard', () => {
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);

  it('charts the metrics the issue names, each one a metric the API really exposes', () => {
    const used = new Set(targets.flatMap((target) => target.expr.match(/\b(marketgraph_[a-z_]+|process_[a-z_]+|nodejs_[a-z_]+)/g) ?? []).map((name) => name.replace(/_(bucket|count|sum)$/, '')));
    expect([...used].sort()).toEqual([...CHARTED].sort());
    for (const name of used) expect(exposed.has(name), `${name} is not in the app's registry`).toBe(true);
  });

  it('queries the datasource the profile provisions, with unique panel ids', () => {
    const uid = /uid:\s*(\S+)/.exec(read('deploy/grafana/provisioning/datasources/prometheus.yml'))![1];
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) expect(panel.datasource?.uid).toBe(uid);
    for (const target of targets) expect(target.datasource.uid).toBe(uid);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is mounted by the observability profile from files that exist', () => {
    const compose = read('docker-compose.yml');
    for (const path of compose.matchAll(/- \.\/(deploy\/[^:]+):/g)) expect(existsSync(join(PROJECT_ROOT, path[1]!)), path[1]).toBe(true);
    expect(compose).toMatch(/profiles: \["observability"\]/);
    expect(read('deploy/grafana/provisioning/dashboards/marketgraph.yml')).toContain(/- \.\/deploy\/grafana\/dashboards:(\S+):ro/.exec(compose)![1]);
  });
});
