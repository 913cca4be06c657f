// Sums self time per function over a .cpuprofile file, or over the main-thread
// ones in a directory (node --cpu-prof --cpu-prof-dir=<dir> writes one per
// thread: CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile), and prints the top entries and the share per
// package. With a windows file (bench/fanout.ts FANOUT_WINDOWS=file), only the
// samples inside those time windows count.
//   node --import tsx bench/cpu-profile-summary.ts <dir|file> [windows.json|-] [top=25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number }

const [dir, windowsFile, top = '25'] = process.argv.slice(2);
if (!dir) throw new Error('usage: cpu-profile-summary.ts <dir> [windows.json] [top]');
const windows = windowsFile && windowsFile !== '-' ? (JSON.parse(readFileSync(windowsFile, 'utf8')) as [number, number][]) : undefined;
const inWindow = (at: number) => !windows || windows.some(([from, to]) => at >= from && at <= to);

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;

function packageOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const modules = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  const src = url.match(/\/(src|bench)\/(.*)$/);
  return src ? `${src[1]}/${src[2]}` : url;
}

const files = statSync(dir).isDirectory()
  ? readdirSync(dir)
      .filter((name) => /\.0\.\d+\.cpuprofile$/.test(name))
      .map((name) => join(dir, name))
  : [dir];
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (!inWindow(at)) return;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const key = `${functionName || '(anonymous)'} ${packageOf(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + micros);
    total += micros;
  });
}

const print = (title: string, entries: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${(micros / 1000).toFixed(1).padStart(9)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
};
console.log(`total ${(total / 1000).toFixed(1)} ms`);
print('self time by package', byPackage, 20);
print('self time by function', byFunction, Number(top));
