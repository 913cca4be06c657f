import { Field, Float, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum CandleInterval {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

registerEnumType(CandleInterval, {
  name: 'CandleInterval',
  description:
    'The length of time one candle covers. WEEK (from Monday) and MONTH are aggregated from the DAY candles of the ' +
    'New York trading dates in them, and stamped at the period\'s start in America/New_York.',
});

@ObjectType({ description: 'A listed company, from the stock database.' })
export class Stock {
  @Field(() => String, { description: 'Ticker, upper case (e.g. AAPL, BRK.B).' })
  symbol!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  sector!: string;

  @Field(() => String)
  industry!: string;

  @Field(() => String, { description: 'Listing exchange, e.g. NASDAQ or NYSE.' })
  exchange!: string;

  @Field(() => String, { description: 'ISO 4217 currency of its prices.' })
  currency!: string;

  @Field(() => Float, { nullable: true, description: 'Approximate market capitalisation in `currency`.' })
  marketCap!: number | null;

  @Field(() => Boolean, { description: 'False once delisted; inactive stocks are left out of `stocks` and cannot be added to lists.' })
  isActive!: boolean;
}

@ObjectType({ description: 'The latest price of a stock and its change against the previous close.' })
export class Quote {
  @Field(() => String)
  symbol!: string;

  @Field(() => Float, { description: 'Latest price (the close of the latest candle until the live feed lands).' })
  price!: number;

  @Field(() => Float, { nullable: true })
  previousClose!: number | null;

  @Field(() => Float, { nullable: true, description: 'price - previousClose' })
  change!: number | null;

  @Field(() => Float, { nullable: true, description: 'change / previousClose * 100' })
  changePercent!: number | null;

  @Field(() => Float, { description: 'Shares traded in the latest candle.' })
  volume!: number;

  @Field(() => Date, { description: 'When the price was observed.' })
  timestamp!: Date;
}

@ObjectType({ description: 'One OHLCV bar. Prices are stored as exact decimals and served as Float.' })
export class Candle {
  @Field(() => Date, { description: 'Start of the period the candle covers.' })
  timestamp!: Date;

  @Field(() => Float)
  open!: number;

  @Field(() => Float)
  high!: number;

  @Field(() => Float)
  low!: number;

  @Field(() => Float)
  close!: number;

  @Field(() => Float, { nullable: true, description: 'Close adjusted for splits and dividends.' })
  adjClose!: number | null;

  @Field(() => Float, { description: 'Shares traded (exact up to 2^53).' })
  volume!: number;
}
