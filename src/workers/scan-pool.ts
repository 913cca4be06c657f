import { scanMany, unpackSeries, type PackedSeries, type ScanTimeframeName, type SymbolScan } from '../modules/scanner/scan-math.js';
import { createCompute, siblingWorkerUrl, type Compute } from './pool.js';

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
export type ScanCompute = Compute<ScanTask, SymbolScan[]>;

export function createScanCompute(workers: number): ScanCompute {
  return createCompute(siblingWorkerUrl(import.meta.url, 'scan-worker'), workers, runScanTask);
}
