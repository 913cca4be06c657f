import { Field, Float, ObjectType, Directive } from '../../graphql/type-graphql.js';
import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';

@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType({ description: 'MACD(12, 26, 9). The signal and histogram are null for the first 33 daily candles.' })
export class Macd {
  @Field(() => Float, { nullable: true, description: 'EMA12 - EMA26 of the close.' })
  macd!: number | null;

  @Field(() => Float, { nullable: true, description: 'EMA9 of `macd`, seeded with the mean of its first 9 values.' })
  signal!: number | null;

  @Field(() => Float, { nullable: true, description: 'macd - signal' })
  histogram!: number | null;
}

@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType({ description: 'Bollinger Bands (20, 2): SMA20 plus and minus two population standard deviations of the close.' })
export class Bollinger {
  @Field(() => Float, { nullable: true })
  upper!: number | null;

  @Field(() => Float, { nullable: true, description: 'SMA20 of the close.' })
  middle!: number | null;

  @Field(() => Float, { nullable: true })
  lower!: number | null;
}

@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType({
  description:
    'Technical indicators of one stock at the close of one daily candle. A field is null until enough candles exist ' +
    '(e.g. sma200 needs 200); computed from the stored daily candles and stored with 6 decimals (rsi14: 4).',
})
export class IndicatorPoint {
  @Field(() => Date, { description: 'Start of the daily candle these values are computed at.' })
  timestamp!: Date;

  @Field(() => Float, { nullable: true, description: 'Simple moving average of the last 20 closes.' })
  sma20!: number | null;

  @Field(() => Float, { nullable: true })
  sma50!: number | null;

  @Field(() => Float, { nullable: true })
  sma200!: number | null;

  @Field(() => Float, { nullable: true, description: 'Exponential moving average (multiplier 2/13), seeded with SMA12.' })
  ema12!: number | null;

  @Field(() => Float, { nullable: true, description: 'Exponential moving average (multiplier 2/27), seeded with SMA26.' })
  ema26!: number | null;

  @Field(() => Float, { nullable: true, description: 'Wilder’s 14-day RSI, 0-100; from the 15th candle.' })
  rsi14!: number | null;

  @Field(() => Macd, { nullable: true, description: 'Null until `macd` has a value (the 26th candle).' })
  macd!: Macd | null;

  @Field(() => Bollinger, { nullable: true, description: 'Null before the 20th candle.' })
  bollinger!: Bollinger | null;

  @Field(() => Float, { nullable: true, description: 'Wilder’s 14-day average true range; from the 14th candle.' })
  atr14!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'On-balance volume, accumulated from the first stored candle (which counts its own volume).',
  })
  obv!: number | null;
}
