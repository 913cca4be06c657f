// The training run: the largest active stocks' daily history, each forecaster backtested walk-forward for 7/30/90
// sessions and fitted on the full history (in the evaluation worker pool), every result saved as a new ACTIVE version.
import type { PredictionConfig } from '../../config.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Logger } from '../../log.js';
import type { ModelEvaluation } from '../../workers/model-evaluation-pool.js';
import { HORIZONS } from './backtest.js';
import { ModelRegistry, type ModelRow } from './model-registry.js';
import { forecasters, type ForecasterSettings } from './models/index.js';
import { largestSymbols, loadWindows } from './prediction-history.js';

/** Windows shorter than this are left out of training (the longest horizon plus the feature warm-up). */
export const MIN_TRAINING_SESSIONS = 150;

export function forecasterSettings(config: PredictionConfig): Omit<ForecasterSettings, 'training'> {
  return {
    randomForest: { trees: config.trees, maxSamples: config.maxSamples },
    lstm: { epochs: config.lstmEpochs, maxSamples: config.maxSamples },
  };
}

export interface TrainingRunOptions {
  /** Train on candles up to this instant only. */
  asOf?: Date;
  /** The training instant (part of each version); default now. */
  trainedAt?: Date;
}

export class ModelTrainingService {
  constructor(
    private readonly deps: { sql: SqlExecutor; registry: ModelRegistry; evaluation: ModelEvaluation; config: PredictionConfig; logger: Logger },
  ) {}

  /** Trains every forecaster; one that cannot be trained (too little history) is logged and keeps its previous version. */
  async train(options: TrainingRunOptions = {}): Promise<ModelRow[]> {
    const { sql, registry, evaluation, config, logger } = this.deps;
    const symbols = await largestSymbols(sql, config.symbols);
    const windows = (await loadWindows(sql, symbols, { sessions: config.historySessions, asOf: options.asOf }))
      .filter((w) => w.closes.length >= MIN_TRAINING_SESSIONS)
      .map(({ lastTs: _lastTs, ...window }) => window);
    if (windows.length === 0) {
      logger.info({ symbols: symbols.length }, 'no stock has enough daily history to train on yet');
      return [];
    }
    const trainedAt = options.trainedAt ?? new Date();
    const settings = forecasterSettings(config);
    const runs = forecasters(settings).map(async (forecaster) => {
      const started = Date.now();
      try {
        const result = await evaluation.run({
          forecaster: forecaster.name,
          settings,
          windows,
          horizons: [...HORIZONS],
          backtest: { folds: config.folds },
        });
        const row = await registry.save({
          name: forecaster.name,
          type: forecaster.type,
          forecasterVersion: forecaster.version,
          parameters: result.parameters,
          metrics: result.metrics,
          state: result.state,
          trainedAt,
        });
        logger.info({ model: row.name, version: row.version, skill: result.metrics.skill, ms: Date.now() - started }, 'model trained');
        return row;
      } catch (err) {
        logger.error({ err, model: forecaster.name }, 'model training failed; the previous version stays active');
        return null;
      }
    });
    return (await Promise.all(runs)).filter((row): row is ModelRow => row !== null);
  }
}
