import { scanMany, unpackSeries, type PackedSeries, type ScanTimeframeName, type SymbolScan } from '../modules/scanner/scan-math.js';
import { WorkerPool, siblingWorkerUrl } from './pool.js';

/** One batch of symbols for the scan worker: daily candles as text (parsed there), scanned in the timeframe. */
export interface ScanTask {
  timeframe: ScanTimeframeName;
  series: PackedSeries[];
  /** Epoch ms: a symbol whose last candle is older is left out. */
  staleBefore: number;
}

export function runScanTask(task: ScanTask): SymbolScan[] {
  return scanMany(task.series.map(unpackSeries), task.timeframe, task.staleBefore);
}

/** Runs the scanner's maths: in worker threads, or inline when `workers` is 0. */
export interface ScanCompute {
  readonly workers: number;
  run(task: ScanTask): Promise<SymbolScan[]>;
  close(): Promise<void>;
}

export function createScanCompute(workers: number): ScanCompute {
  if (workers === 0) return { workers, run: async (task) => runScanTask(task), close: async () => undefined };
  const pool = new WorkerPool<ScanTask, SymbolScan[]>(siblingWorkerUrl(import.meta.url, 'scan-worker'), workers);
  return { workers, run: (task) => pool.run(task), close: () => pool.close() };
}
