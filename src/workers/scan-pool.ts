import { scanMany, type ScanSeries, type ScanTimeframeName, type SymbolScan } from '../modules/scanner/scan-math.js';
import { WorkerPool, siblingWorkerUrl } from './pool.js';

/** One batch of symbols for the scan worker: daily candles, scanned in the timeframe. */
export interface ScanTask {
  timeframe: ScanTimeframeName;
  series: ScanSeries[];
}

/** Runs the scanner's maths: in worker threads, or inline when `workers` is 0. */
export interface ScanCompute {
  readonly workers: number;
  run(task: ScanTask): Promise<SymbolScan[]>;
  close(): Promise<void>;
}

export function createScanCompute(workers: number): ScanCompute {
  if (workers === 0) return { workers, run: async (task) => scanMany(task.series, task.timeframe), close: async () => undefined };
  const pool = new WorkerPool<ScanTask, SymbolScan[]>(siblingWorkerUrl(import.meta.url, 'scan-worker'), workers);
  return { workers, run: (task) => pool.run(task), close: () => pool.close() };
}
