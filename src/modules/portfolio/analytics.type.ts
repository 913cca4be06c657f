import { Field, Float, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum PerformanceRangeEnum {
  ONE_DAY = 'ONE_DAY',
  ONE_WEEK = 'ONE_WEEK',
  ONE_MONTH = 'ONE_MONTH',
  THREE_MONTHS = 'THREE_MONTHS',
  YTD = 'YTD',
  ONE_YEAR = 'ONE_YEAR',
  FIVE_YEARS = 'FIVE_YEARS',
  MAX = 'MAX',
}
registerEnumType(PerformanceRangeEnum, {
  name: 'PerformanceRange',
  description: 'A look-back ending today: from the close on or before today minus the period (ONE_DAY: the previous session; YTD: the last session of last year; MAX: the first entry).',
});

export enum AllocationBy {
  SECTOR = 'SECTOR',
  SYMBOL = 'SYMBOL',
  CURRENCY = 'CURRENCY',
  ASSET_CLASS = 'ASSET_CLASS',
}
registerEnumType(AllocationBy, { name: 'AllocationBy', description: 'How `Portfolio.allocation` groups the value.' });

@ObjectType({ description: 'A portfolio’s value at one close (today: live), in its base currency.' })
export class ValuePoint {
  @Field(() => String, { description: 'Trade date, YYYY-MM-DD (New York).' })
  date!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: 'Returns over a range, as fractions (0.05 = 5 %). Null when the range holds nothing invested.' })
export class Performance {
  @Field(() => String, { nullable: true, description: 'The anchor date the returns are measured from; null when the books are empty.' })
  from!: string | null;

  @Field(() => String, { nullable: true, description: 'The last date (today).' })
  to!: string | null;

  @Field(() => Float, { nullable: true, description: 'Daily sub-period returns chained, each day’s deposits and withdrawals at the start of the day.' })
  timeWeightedReturn!: number | null;

  @Field(() => Float, { nullable: true, description: 'XIRR of the start value, the flows and the end value: annualised (actual/365).' })
  moneyWeightedReturn!: number | null;

  @Field(() => Float, { nullable: true, description: '(end value − start value − net flows) / (start value + inflows).' })
  totalReturn!: number | null;

  @Field(() => Float, { nullable: true, description: 'The benchmark’s close-to-close return over the same dates; null without candles.' })
  benchmarkReturn!: number | null;

  @Field(() => [ValuePoint], { description: 'One point per trading day from the anchor to today (today: the live valuation).' })
  series!: ValuePoint[];
}

@ObjectType({ description: 'The largest peak-to-trough fall of the time-weighted index.' })
export class DrawdownFigure {
  @Field(() => Float, { description: 'Negative fraction (−0.1 = 10 % below the peak); 0 when it never fell.' })
  value!: number;

  @Field(() => String, { nullable: true, description: 'Date of the peak.' })
  from!: string | null;

  @Field(() => String, { nullable: true, description: 'Date of the trough.' })
  to!: string | null;
}

@ObjectType({ description: 'Risk of the daily time-weighted returns over a range; a figure is null when the range has too few days.' })
export class Risk {
  @Field(() => Float, { nullable: true, description: 'Sample standard deviation of daily returns × √252.' })
  volatility!: number | null;

  @Field(() => Float, { nullable: true, description: '(mean daily return − rf/252) / its standard deviation × √252.' })
  sharpe!: number | null;

  @Field(() => Float, { nullable: true, description: 'Like sharpe, over the downside deviation below rf/252.' })
  sortino!: number | null;

  @Field(() => Float, { nullable: true, description: 'cov(portfolio, benchmark) / var(benchmark), daily returns.' })
  beta!: number | null;

  @Field(() => Float, { nullable: true })
  correlation!: number | null;

  @Field(() => DrawdownFigure, { nullable: true })
  maxDrawdown!: DrawdownFigure | null;

  @Field(() => Float, { nullable: true, description: 'One-day 95 % historical VaR in the base currency: −(5th percentile of daily returns) × today’s value, ≥ 0.' })
  valueAtRisk95!: number | null;
}

@ObjectType({ description: 'One slice of the value: positions at market value and cash, in the base currency.' })
export class AllocationSlice {
  @Field(() => String, { description: 'Sector, symbol, currency or asset class; cash is CASH (by sector, symbol and asset class).' })
  key!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Float, { description: 'value / total value.' })
  weight!: number;
}

@ObjectType({ description: 'A portfolio’s live value, pushed by portfolioValueUpdated.' })
export class PortfolioValue {
  @Field(() => String)
  portfolioId!: string;

  @Field(() => Float)
  totalValue!: number;

  @Field(() => Float)
  dayChange!: number;

  @Field(() => Date)
  timestamp!: Date;
}
