import { Field, Float, ObjectType, registerEnumType, Directive } from '../../graphql/type-graphql.js';
import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';

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

export enum AssetClass {
  EQUITY = 'EQUITY',
  ETF = 'ETF',
  FX = 'FX',
}

registerEnumType(AssetClass, {
  name: 'AssetClass',
  description:
    'EQUITY: a company\'s shares; ETF: an exchange-traded fund; FX: a currency pair (EURUSD = US dollars per euro). ' +
    'FX rows have candles and ticks like stocks (they are the FX rates portfolios convert with) but never appear in ' +
    '`stocks`, screeners or search, and cannot be added to lists or traded.',
});

@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType({ description: 'A listed company or fund, or an FX pair (assetClass), from the stock database.' })
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

  @Field(() => Float, { nullable: true, description: 'Price / trailing twelve-month earnings per share; null for loss-makers or when unknown. Stored.' })
  peRatio!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Trailing annual dividend / price as a FRACTION (0.0039 = 0.39%), as the dividend_yield screener filter uses; null when none is paid. Stored.',
  })
  dividendYield!: number | null;

  @Field(() => Float, { nullable: true, description: 'Trailing twelve-month earnings per share in `currency`; negative for a loss. Stored.' })
  eps!: number | null;

  @Field(() => Float, { nullable: true, description: "Volatility against the market (1 = moves with it), as the data source reports it. Stored." })
  beta!: number | null;

  @Field(() => String, { nullable: true, description: 'One-line company profile, where known.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Company website URL, where known.' })
  website!: string | null;

  @Field(() => AssetClass)
  assetClass!: AssetClass;

  @Field(() => Boolean, { description: 'False once delisted; inactive stocks are left out of `stocks` and cannot be added to lists.' })
  isActive!: boolean;
}

/** Figures derived from the DAY candles (see StockLoaders.sessionStats); resolved as Stock fields. */
export interface SessionStats {
  fiftyTwoWeekHigh: number | null;
  fiftyTwoWeekLow: number | null;
  averageVolume: number | null;
}

export enum MarketState {
  PRE = 'PRE',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

registerEnumType(MarketState, {
  name: 'MarketState',
  description:
    'The New York regular session (NYSE calendar with its holidays and 13:00 early closes): PRE from 04:00 to 09:30, ' +
    'OPEN from 09:30 to 16:00 (13:00 on early-close days), CLOSED otherwise, after-hours, weekends and holidays included.',
});

@Directive(cacheHint(CACHE_SECONDS.tick))
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

  @Field(() => Float, {
    description: "Shares traded in the latest candle, which may be today's partial session; screeners and averageVolume use complete sessions.",
  })
  volume!: number;

  @Field(() => Date, {
    description:
      "When the price was observed: a live tick's time; for a price from a daily candle, that session's close " +
      '(16:00 New York, 13:00 on early-close days), or now while the session is still running.',
  })
  timestamp!: Date;
}

@Directive(cacheHint(CACHE_SECONDS.tick))
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
