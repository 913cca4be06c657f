import { Field, InputType, Int, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';
import { CandleInterval } from '../stock/stock.type.js';

export enum MarketDataProviderName {
  SIMULATED = 'SIMULATED',
  YAHOO = 'YAHOO',
  CSV = 'CSV',
}

registerEnumType(MarketDataProviderName, {
  name: 'MarketDataProviderName',
  description: 'Where market data comes from.',
  valuesConfig: {
    SIMULATED: { description: 'The deterministic synthetic price path the seed uses.' },
    YAHOO: { description: "Yahoo Finance's chart API." },
    CSV: { description: 'A CSV file in the server’s import directory: symbol,date,open,high,low,close,volume[,adj_close].' },
  },
});

@InputType({ description: 'What to backfill into the stock database.' })
export class BackfillInput {
  @Field(() => MarketDataProviderName)
  provider!: MarketDataProviderName;

  @Field(() => [String], {
    description: 'Listed symbols, at most 100. For CSV an empty list takes every stock in the file; rows of unlisted stocks are reported, rows of stocks not asked for skipped.',
  })
  symbols!: string[];

  @Field(() => CandleInterval, { defaultValue: CandleInterval.DAY, description: 'CSV holds DAY only. MINUTE spans at most 31 days, HOUR 2 years.' })
  interval!: CandleInterval;

  @Field(() => Date, { description: 'First candle time included.' })
  from!: Date;

  @Field(() => Date, { description: 'Last candle time included; at most 10 years after `from`.' })
  to!: Date;

  @Field(() => String, { nullable: true, description: 'CSV only: a file path relative to the server’s CSV_IMPORT_DIR.' })
  csvPath?: string | null;
}

@ObjectType({ description: 'A row or symbol a backfill could not use.' })
export class BackfillError {
  @Field(() => Int, { nullable: true, description: 'Line of the CSV file (the header is line 1).' })
  line!: number | null;

  @Field(() => String, { nullable: true })
  symbol!: string | null;

  @Field(() => String)
  reason!: string;
}

@ObjectType({ description: 'What a backfill did. Repeating one inserts nothing: stored candles are never overwritten.' })
export class BackfillReport {
  @Field(() => Int, { description: 'Candles written.' })
  inserted!: number;

  @Field(() => Int, { description: 'Good candles not written: already stored, outside [from, to], or (CSV) of symbols not asked for.' })
  skipped!: number;

  @Field(() => [BackfillError], { description: 'Rejected rows and failed symbols (at most 1000 listed).' })
  errors!: BackfillError[];
}
