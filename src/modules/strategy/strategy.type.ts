import { Field, Float, ID, Int, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';
import { OrderSide } from '../portfolio/portfolio.type.js';

export enum StrategyKind {
  SMA_CROSSOVER = 'SMA_CROSSOVER',
  RSI_MEAN_REVERSION = 'RSI_MEAN_REVERSION',
  FOLLOW_MODEL = 'FOLLOW_MODEL',
}
registerEnumType(StrategyKind, {
  name: 'StrategyKind',
  description: 'SMA_CROSSOVER: buy on a golden cross, sell on a death cross. RSI_MEAN_REVERSION: buy when the RSI falls below lower, sell when it rises above upper. FOLLOW_MODEL: buy on an UP, sell on a DOWN prediction of the model at or above minConfidence.',
});

export enum SizingMode {
  FIXED_QUANTITY = 'FIXED_QUANTITY',
  PERCENT_OF_CASH = 'PERCENT_OF_CASH',
}
registerEnumType(SizingMode, { name: 'SizingMode', description: 'Shares a BUY signal orders: a fixed number, or whole shares worth a percent of the cash. A SELL signal sells the whole position.' });

@ObjectType({ description: 'A strategy a portfolio enabled: its signals on daily bars place paper market orders.' })
export class Strategy {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  portfolioId!: string;

  @Field(() => StrategyKind)
  kind!: StrategyKind;

  @Field(() => [String])
  symbols!: string[];

  @Field(() => Int, { nullable: true })
  fastPeriod!: number | null;

  @Field(() => Int, { nullable: true })
  slowPeriod!: number | null;

  @Field(() => Int, { nullable: true, description: 'RSI period.' })
  period!: number | null;

  @Field(() => Float, { nullable: true })
  lower!: number | null;

  @Field(() => Float, { nullable: true })
  upper!: number | null;

  @Field(() => String, { nullable: true })
  modelId!: string | null;

  @Field(() => Float, { nullable: true })
  minConfidence!: number | null;

  @Field(() => SizingMode)
  sizingMode!: SizingMode;

  @Field(() => Float, { nullable: true })
  quantity!: number | null;

  @Field(() => Float, { nullable: true })
  percentOfCash!: number | null;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;
}

@ObjectType({ description: 'One simulated execution of a backtest. Money as decimal strings.' })
export class BacktestTrade {
  @Field(() => String)
  symbol!: string;

  @Field(() => OrderSide)
  side!: OrderSide;

  @Field(() => String)
  quantity!: string;

  @Field(() => String)
  price!: string;

  @Field(() => String)
  commission!: string;

  @Field(() => String)
  slippageBps!: string;

  @Field(() => Date, { description: 'The close of the bar whose signal placed the order.' })
  signalAt!: Date;

  @Field(() => Date, { description: 'The bar it filled on (at that bar’s open).' })
  executedAt!: Date;
}

@ObjectType({ description: 'Cash plus positions at the close of one daily bar.' })
export class EquityPoint {
  @Field(() => Date)
  ts!: Date;

  @Field(() => String)
  value!: string;
}

@ObjectType({ description: 'A strategy replayed over stored daily candles with the paper orders’ fill model.' })
export class BacktestReport {
  @Field(() => String, { description: 'The currency of the symbols and of every amount.' })
  currency!: string;

  @Field(() => String)
  initialCash!: string;

  @Field(() => String)
  finalValue!: string;

  @Field(() => String, { description: 'finalValue / initialCash − 1.' })
  totalReturn!: string;

  @Field(() => Float, { nullable: true, description: 'Daily Sharpe ratio annualised by √252, after the daily risk-free rate (RISK_FREE_RATE / 252); null with fewer than two returns or none that vary.' })
  sharpe!: number | null;

  @Field(() => Float, { description: 'Largest fall from a running peak of the equity curve, as a fraction.' })
  maxDrawdown!: number;

  @Field(() => [BacktestTrade])
  trades!: BacktestTrade[];

  @Field(() => [EquityPoint])
  equityCurve!: EquityPoint[];
}
