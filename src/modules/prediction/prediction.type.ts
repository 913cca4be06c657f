import { JSONObjectResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum ModelTypeEnum {
  NAIVE = 'NAIVE',
  ARIMA = 'ARIMA',
  EXPONENTIAL_SMOOTHING = 'EXPONENTIAL_SMOOTHING',
  RANDOM_FOREST = 'RANDOM_FOREST',
  LSTM = 'LSTM',
}
registerEnumType(ModelTypeEnum, { name: 'ModelType', description: 'The kind of forecaster a model is.' });

export enum ModelStatusEnum {
  ACTIVE = 'ACTIVE',
  DEPRECATED = 'DEPRECATED',
}
registerEnumType(ModelStatusEnum, { name: 'ModelStatus', description: 'ACTIVE: the version predictions come from; DEPRECATED: replaced by a later training run.' });

export enum PredictionTrendEnum {
  UP = 'UP',
  DOWN = 'DOWN',
  FLAT = 'FLAT',
}
registerEnumType(PredictionTrendEnum, { name: 'PredictionTrend', description: 'The forecast against the last close: FLAT within ±0.5 %.' });

@ObjectType({ description: 'One trained version of a forecaster in the model registry.' })
export class Model {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "The forecaster's version and the training instant." })
  version!: string;

  @Field(() => ModelTypeEnum)
  type!: ModelTypeEnum;

  @Field(() => ModelStatusEnum)
  status!: ModelStatusEnum;

  @Field(() => JSONObjectResolver, {
    description:
      'Walk-forward backtest: per horizon ("7", "30", "90") n, mae, mape (percent), directionalAccuracy, maeNaive, skill ' +
      '(1 - mae / maeNaive) and beatsNaive; overall skill (mean over horizons), beatsNaive and folds. The naive baseline has baseline: true.',
  })
  metrics!: Record<string, unknown>;

  @Field(() => JSONObjectResolver, { description: 'Hyper-parameters as trained (trees, epochs, seeds, grids).' })
  parameters!: Record<string, unknown>;

  @Field(() => Boolean, { description: 'Beat the random walk on the backtest (mean skill above 0); never true for the naive baseline.' })
  beatsNaive!: boolean;

  @Field(() => Date)
  trainedAt!: Date;
}

@ObjectType({ description: 'A forecast some sessions ahead of the latest daily close.' })
export class PredictionHorizon {
  @Field(() => Int, { description: 'Trading sessions ahead.' })
  horizon!: number;

  @Field(() => Float)
  targetPrice!: number;

  @Field(() => Float, { description: 'targetPrice minus the close it was made from.' })
  change!: number;

  @Field(() => Float, { description: 'change as a percentage of that close.' })
  changePercent!: number;

  @Field(() => PredictionTrendEnum)
  trend!: PredictionTrendEnum;

  @Field(() => Float, { description: 'Lower end of the model’s ~80 % band.' })
  low!: number;

  @Field(() => Float, { description: 'Upper end of the model’s ~80 % band.' })
  high!: number;

  @Field(() => Float, { description: '0..1, by the model’s own error estimate.' })
  confidence!: number;
}

@ObjectType({ description: 'The best model’s latest forecasts of a stock (best by backtest skill among models that beat naive; else naive).' })
export class Prediction {
  @Field(() => String)
  symbol!: string;

  @Field(() => Date, { description: 'The daily candle the forecasts start from.' })
  asOf!: Date;

  @Field(() => Float, { description: 'The close the forecasts start from.' })
  basePrice!: number;

  @Field(() => PredictionHorizon, { nullable: true, description: '7 sessions ahead.' })
  shortTerm!: PredictionHorizon | null;

  @Field(() => PredictionHorizon, { nullable: true, description: '30 sessions ahead.' })
  mediumTerm!: PredictionHorizon | null;

  @Field(() => PredictionHorizon, { nullable: true, description: '90 sessions ahead.' })
  longTerm!: PredictionHorizon | null;

  @Field(() => Float, { description: '0 (surely down) to 100 (surely up): 50 + 50 × the mean of direction × confidence over the horizons; 50 is no view.' })
  bullishScore!: number;

  @Field(() => Model)
  model!: Model;
}
