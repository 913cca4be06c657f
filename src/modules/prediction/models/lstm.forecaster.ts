// LSTM: one small recurrent layer over the last `lookback` sessions (normalised log return + a few normalised
// engineered features per step), a dense head with one output per horizon (the normalised log return over it).
// Pure-JS tfjs on the CPU backend; seeded initialisers and unshuffled batches make training repeatable.
import * as tf from '@tensorflow/tfjs';
import type { FittedModel, Forecast, Forecaster, SeriesWindow } from '../forecaster.js';
import { trainOn, type MlForecasterOptions } from './train-on.js';
import {
  assertHorizons, clamp01, featureValue, forwardReturn, lastClose, logReturns, mean, residualBand, std, thinIndices,
  type ResidualBand,
} from './training-set.js';

/** The pure-JS CPU backend, without its one-off "install tfjs-node" banner (tfjs-node cannot be installed here). */
function useCpu(): void {
  if (tf.getBackend() !== 'cpu') void tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
}

export interface LstmParameters {
  lookback: number;
  units: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** At most this many engineered features per step (the first complete ones by name). */
  maxFeatures: number;
  /** Training sequences kept (evenly thinned beyond this). */
  maxSamples: number;
}

export const defaultLstmParameters: LstmParameters = {
  lookback: 20, units: 16, epochs: 8, batchSize: 64, learningRate: 0.01, seed: 7, maxFeatures: 3, maxSamples: 3000,
};

interface Scale {
  mean: number;
  std: number;
}

export interface LstmState {
  model: 'LSTM';
  version: string;
  parameters: LstmParameters;
  horizons: number[];
  featureNames: string[];
  /** Step input scaling: [return, ...features]. */
  inputs: Scale[];
  /** Output scaling per horizon. */
  targets: Scale[];
  bands: ResidualBand[];
  weights: { shape: number[]; values: number[] }[];
}

const VERSION = '1';

function scaleOf(values: readonly number[]): Scale {
  const finite = values.filter(Number.isFinite);
  const centre = mean(finite);
  const spread = std(finite, centre);
  return { mean: centre, std: spread > 1e-12 ? spread : 1 };
}

function buildModel(p: LstmParameters, steps: number, width: number, outputs: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.lstm({
    units: p.units,
    inputShape: [steps, width],
    kernelInitializer: tf.initializers.glorotUniform({ seed: p.seed }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: p.seed + 1 }),
  }));
  model.add(tf.layers.dense({ units: outputs, kernelInitializer: tf.initializers.glorotUniform({ seed: p.seed + 2 }) }));
  return model;
}

/** The normalised step inputs ending at t (length lookback × width), or null when a return is missing. */
function sequenceAt(
  series: SeriesWindow, returns: readonly number[], t: number, state: Pick<LstmState, 'parameters' | 'featureNames' | 'inputs'>,
): number[] | null {
  const { lookback } = state.parameters;
  if (t - lookback + 1 < 1) return null;
  const out: number[] = [];
  for (let s = t - lookback + 1; s <= t; s++) {
    const r = returns[s];
    if (!Number.isFinite(r)) return null;
    out.push((r - state.inputs[0].mean) / state.inputs[0].std);
    state.featureNames.forEach((name, j) => {
      const v = featureValue(series, s, name);
      const scale = state.inputs[j + 1];
      out.push(Number.isFinite(v) ? (v - scale.mean) / scale.std : 0);
    });
  }
  return out;
}

export async function trainLstm(
  parameters: LstmParameters,
  training: readonly SeriesWindow[],
  horizons: readonly number[],
): Promise<LstmState> {
  assertHorizons(horizons);
  useCpu();
  const names = training[0]?.featureNames ?? [];
  const featureNames = names.slice(0, parameters.maxFeatures);
  const perSeries = training.map((series) => ({ series, returns: logReturns(series.closes) }));
  const inputs = [
    scaleOf(perSeries.flatMap((s) => s.returns)),
    ...featureNames.map((name) => scaleOf(perSeries.flatMap(({ series }) => series.closes.map((_, t) => featureValue(series, t, name))))),
  ];
  const draft = { parameters, featureNames, inputs };

  const sequences: number[][] = [];
  const rawTargets: number[][] = [];
  for (const { series, returns } of perSeries) {
    for (let t = 0; t < series.closes.length; t++) {
      const ys = horizons.map((h) => forwardReturn(series.closes, t, h));
      if (!ys.every(Number.isFinite)) continue;
      const sequence = sequenceAt(series, returns, t, draft);
      if (!sequence) continue;
      sequences.push(sequence);
      rawTargets.push(ys);
    }
  }
  if (sequences.length < 20) throw new RangeError(`too little history to train the LSTM (${sequences.length} sequences)`);
  const keep = thinIndices(sequences.length, parameters.maxSamples);
  const targets = horizons.map((_, k) => scaleOf(keep.map((i) => rawTargets[i][k])));
  const width = 1 + featureNames.length;

  const model = buildModel(parameters, parameters.lookback, width, horizons.length);
  model.compile({ optimizer: tf.train.adam(parameters.learningRate), loss: 'meanSquaredError' });
  const x = tf.tensor3d(keep.flatMap((i) => sequences[i]), [keep.length, parameters.lookback, width]);
  const y = tf.tensor2d(keep.flatMap((i) => rawTargets[i].map((v, k) => (v - targets[k].mean) / targets[k].std)), [keep.length, horizons.length]);
  try {
    await model.fit(x, y, { epochs: parameters.epochs, batchSize: parameters.batchSize, shuffle: false, verbose: 0 });
    const fitted = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const bands = horizons.map((_, k) =>
      residualBand(keep.map((i, row) => rawTargets[i][k] - (fitted[row][k] * targets[k].std + targets[k].mean))),
    );
    const weights = model.getWeights().map((w) => ({ shape: [...w.shape], values: Array.from(w.dataSync()) }));
    return { model: 'LSTM', version: VERSION, parameters, horizons: [...horizons], featureNames, inputs, targets, bands, weights };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

class FittedLstm implements FittedModel {
  private readonly network: tf.Sequential;

  constructor(private readonly state: LstmState) {
    useCpu();
    const { parameters, featureNames, horizons, weights } = state;
    this.network = buildModel(parameters, parameters.lookback, 1 + featureNames.length, horizons.length);
    const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
    this.network.setWeights(tensors);
    tensors.forEach((tensor) => tensor.dispose());
  }

  forecast(series: SeriesWindow, horizon: number): Forecast {
    const k = this.state.horizons.indexOf(horizon);
    if (k < 0) throw new RangeError(`the LSTM was not trained for horizon ${horizon}`);
    const close = lastClose(series);
    const t = series.closes.length - 1;
    const sequence = sequenceAt(series, logReturns(series.closes), t, this.state);
    if (!sequence) throw new RangeError(`${series.symbol}: the window needs ${this.state.parameters.lookback + 1} complete closes`);
    const width = 1 + this.state.featureNames.length;
    const output = tf.tidy(() =>
      (this.network.predict(tf.tensor3d(sequence, [1, this.state.parameters.lookback, width])) as tf.Tensor).dataSync(),
    );
    const scale = this.state.targets[k];
    const predicted = output[k] * scale.std + scale.mean;
    const band = this.state.bands[k];
    const targetPrice = close * Math.exp(predicted);
    return {
      horizon,
      targetPrice,
      low: targetPrice * Math.exp(Math.min(0, band.low)),
      high: targetPrice * Math.exp(Math.max(0, band.high)),
      // Signal against the model's own error: a forecast move of one residual spread gives about 0.63.
      confidence: clamp01(band.scale > 0 ? 1 - Math.exp(-Math.abs(predicted) / band.scale) : 0),
    };
  }

  save(): LstmState {
    return this.state;
  }
}

export class LstmForecaster implements Forecaster {
  readonly type = 'LSTM' as const;
  readonly name = 'LSTM on recent returns';
  readonly version = VERSION;
  readonly parameters: Record<string, unknown>;
  private readonly settings: LstmParameters;

  constructor(parameters: Partial<LstmParameters> = {}, private readonly options: MlForecasterOptions = {}) {
    this.settings = { ...defaultLstmParameters, ...parameters };
    this.parameters = { ...this.settings };
  }

  async fit(training: readonly SeriesWindow[], horizons: readonly number[]): Promise<FittedModel> {
    const state = await trainOn<LstmState>(
      this.options,
      { model: 'LSTM', parameters: this.settings, training, horizons },
      () => trainLstm(this.settings, training, horizons),
    );
    return this.load(state);
  }

  load(saved: unknown): FittedModel {
    const state = saved as LstmState;
    if (state?.model !== 'LSTM' || !Array.isArray(state.weights)) throw new TypeError('not a saved LSTM');
    return new FittedLstm(state);
  }
}
