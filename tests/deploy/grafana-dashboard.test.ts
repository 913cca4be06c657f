import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

// The observability profile is for users (not started by tests); this only proves its files fit together.
const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const dashboard = JSON.parse(read('deploy/grafana/dashboards/marketgraph.json')) as {
  uid: string;
  panels: { id: number; type: string; datasource?: { uid: string }; targets?: { expr: string; datasource: { uid: string } }[] }[];
};

/** The metric names GET /metrics exposes (agreed with the metrics work; see README "Metrics dashboards"). */
const METRICS = [
  'mg_graphql_operation_duration_seconds',
  'mg_graphql_errors_total',
  'mg_http_requests_total',
  'mg_ws_connections',
  'mg_ws_subscriptions',
  'mg_events_published_total',
  'mg_events_delivered_total',
  'mg_events_dropped_total',
  'mg_job_runs_total',
  'mg_job_duration_seconds',
  'mg_cache_requests_total',
  'mg_db_pool_connections',
  'mg_db_query_duration_seconds',
  'mg_redis_errors_total',
  'mg_rate_limit_rejections_total',
  'mg_event_loop_lag_seconds',
  'process_resident_memory_bytes',
];

describe('the Grafana dashboard', () => {
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);

  it('charts every metric the API exposes, and only those', () => {
    const used = new Set(targets.flatMap((target) => target.expr.match(/\b(mg_[a-z_]+|process_[a-z_]+)/g) ?? []).map((name) => name.replace(/_(bucket|count|sum)$/, '')));
    expect([...used].sort()).toEqual([...METRICS].sort());
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
