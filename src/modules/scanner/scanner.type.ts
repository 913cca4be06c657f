import { cacheHint } from '../../graphql/cache-control.js';
import { PageInfo } from '../../graphql/relay.js';
import { Directive, Field, Float, Int, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';
import { SCAN_CACHE_SECONDS } from './scanner.runner.js';

export enum ScanTimeframe {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
}
registerEnumType(ScanTimeframe, {
  name: 'ScanTimeframe',
  description: 'DAILY scans each symbol’s daily candles; WEEKLY scans weeks (Monday start) aggregated from them. Bars below are of the timeframe.',
});

export enum ScanKind {
  GAINERS = 'GAINERS',
  LOSERS = 'LOSERS',
  MOST_ACTIVE = 'MOST_ACTIVE',
  UNUSUAL_VOLUME = 'UNUSUAL_VOLUME',
  BREAKOUT = 'BREAKOUT',
  BREAKDOWN = 'BREAKDOWN',
  NEW_HIGH = 'NEW_HIGH',
  NEW_LOW = 'NEW_LOW',
  OVERBOUGHT = 'OVERBOUGHT',
  OVERSOLD = 'OVERSOLD',
  MACD_BULLISH_CROSS = 'MACD_BULLISH_CROSS',
  MACD_BEARISH_CROSS = 'MACD_BEARISH_CROSS',
}
registerEnumType(ScanKind, {
  name: 'ScanKind',
  description: 'What a scan looks for on each symbol’s last bar; `value` is what the kind ranks by.',
  valuesConfig: {
    GAINERS: { description: 'Close up on the previous close; value: change in percent, largest first.' },
    LOSERS: { description: 'Close down on the previous close; value: change in percent, most negative first.' },
    MOST_ACTIVE: { description: 'Every symbol that traded; value: the bar’s volume, largest first.' },
    UNUSUAL_VOLUME: { description: 'Volume above twice the mean of the 20 bars before; value: that ratio, largest first.' },
    BREAKOUT: { description: 'Close above the highest high of both the prior 20 and 50 bars; value: percent above the 50-bar high.' },
    BREAKDOWN: { description: 'Close below the lowest low of both the prior 20 and 50 bars; value: percent below the 50-bar low (negative).' },
    NEW_HIGH: { description: 'High above every high of the 52 weeks before; value: percent above the previous 52-week high.' },
    NEW_LOW: { description: 'Low below every low of the 52 weeks before; value: percent below the previous 52-week low (negative).' },
    OVERBOUGHT: { description: 'RSI 14 above 70; value: the RSI, highest first.' },
    OVERSOLD: { description: 'RSI 14 below 30; value: the RSI, lowest first.' },
    MACD_BULLISH_CROSS: { description: 'MACD (12, 26) crossed above its 9-bar signal on this bar; value: MACD minus signal.' },
    MACD_BEARISH_CROSS: { description: 'MACD (12, 26) crossed below its 9-bar signal on this bar; value: MACD minus signal (negative).' },
  },
});

export enum ScanTrend {
  UP = 'UP',
  DOWN = 'DOWN',
  SIDEWAYS = 'SIDEWAYS',
}
registerEnumType(ScanTrend, {
  name: 'ScanTrend',
  description: 'UP: SMA 50 above SMA 200 and rising over 10 bars; DOWN: below and falling; SIDEWAYS: anything else.',
});

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType({ description: 'One symbol found by a scan run.' })
export class ScanResult {
  /** Resolved to `stock` through the stock loaders. */
  symbol!: string;

  @Field(() => ScanTimeframe)
  timeframe!: ScanTimeframe;

  @Field(() => ScanKind)
  kind!: ScanKind;

  @Field(() => Int, { description: '1 first in the kind’s order.' })
  rank!: number;

  @Field(() => Float, { description: 'What the kind ranks by (see ScanKind).' })
  value!: number;

  @Field(() => Float, { nullable: true, description: 'Last close against the previous bar’s close, in percent.' })
  changePercent!: number | null;

  @Field(() => Float, { nullable: true, description: 'Last volume over the mean of the 20 bars before it; null with less history.' })
  volumeRatio!: number | null;

  @Field(() => ScanTrend, { nullable: true, description: 'Null without 210 bars of history (WEEKLY needs four years).' })
  trend!: ScanTrend | null;

  @Field(() => Float, { nullable: true, description: 'Classic pivot S1 of the last bar: 2P − high, P = (high + low + close) / 3.' })
  support!: number | null;

  @Field(() => Float, { nullable: true, description: 'Classic pivot R1 of the last bar: 2P − low.' })
  resistance!: number | null;

  @Field(() => Date, { description: 'When the run that found it ran.' })
  scannedAt!: Date;
}

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType()
export class ScanResultEdge {
  @Field(() => ScanResult)
  node!: ScanResult;

  @Field(() => String)
  cursor!: string;
}

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType({ description: 'How many hits a run found of one kind.' })
export class ScanKindCount {
  @Field(() => ScanKind)
  kind!: ScanKind;

  @Field(() => Int)
  count!: number;
}

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType({ description: 'One committed scanner run.' })
export class ScanRun {
  @Field(() => ScanTimeframe)
  timeframe!: ScanTimeframe;

  @Field(() => Date)
  scannedAt!: Date;

  @Field(() => Int, { description: 'Hits of every kind.' })
  resultCount!: number;

  @Field(() => Int, { description: 'Symbols scanned.' })
  symbolCount!: number;

  @Field(() => [ScanKindCount], { description: 'Hits per kind, every kind listed.' })
  kinds!: ScanKindCount[];
}

@Directive(cacheHint(SCAN_CACHE_SECONDS))
@ObjectType({ description: 'A page of one kind’s hits of a scan run, rank 1 first.' })
export class ScanResultConnection {
  @Field(() => [ScanResultEdge])
  edges!: ScanResultEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => ScanRun, { nullable: true, description: 'The run these hits are from; null before the first run.' })
  run!: ScanRun | null;
}
