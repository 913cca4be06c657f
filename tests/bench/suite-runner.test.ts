import { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runEntry } from '../../bench/suite-runner.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A stream that keeps what the runner streamed to it. */
function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  return Object.assign(stream, { text: () => chunks.join('') });
}

const entry = (name: string) => ({ name, file: `tests/bench/fixtures/${name}.ts`, about: `fixture ${name}` });

describe('running one benchmark of the suite', () => {
  it('runs the file with BENCH_SUITE=1, streams its output and collects its rows', async () => {
    const stdout = sink();
    const result = await runEntry(entry('prints-rows'), { cwd: root, stdout, stderr: sink() });
    expect(result).toMatchObject({ name: 'prints-rows', status: 'ok', exitCode: 0 });
    expect(result.rows.map((row) => [row.id, row.ratio, row.met])).toEqual([['fixture.rps', 2, true]]);
    expect(stdout.text()).toContain('| ours | 200 |');
    expect(stdout.text()).toContain('suite mode: 1');
  });

  it('reports a crash as failed with its exit code, keeping the rows printed before it', async () => {
    const stderr = sink();
    const result = await runEntry(entry('fails-after-a-row'), { cwd: root, stdout: sink(), stderr });
    expect(result).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(result.rows.map((row) => row.id)).toEqual(['fixture.first']);
    expect(stderr.text()).toContain('fixture: boom');
  });

  it('reports a benchmark that exits 0 without rows as failed, saying so', async () => {
    const result = await runEntry(entry('prints-nothing'), { cwd: root, stdout: sink(), stderr: sink() });
    expect(result).toMatchObject({ status: 'failed', exitCode: 0, problem: 'printed no BENCH_ROWS line' });
  });

  it('reports a listed file that does not exist as not present without starting anything', async () => {
    const result = await runEntry({ name: 'alerts', file: 'bench/no-such-benchmark.ts', about: 'alerts' }, { cwd: root });
    expect(result).toMatchObject({ name: 'alerts', status: 'not present', rows: [] });
    expect(result.seconds).toBeUndefined();
  });

  it('stops a benchmark that does not exit by itself and reports it failed', async () => {
    const result = await runEntry(entry('hangs'), { cwd: root, stdout: sink(), stderr: sink(), timeoutMs: 3_000 });
    expect(result.status).toBe('failed');
    expect(result.problem).toMatch(/stopped after 3 s/);
  });
});
