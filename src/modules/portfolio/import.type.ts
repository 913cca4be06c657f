import { Field, Float, Int, ObjectType } from '../../graphql/type-graphql.js';
import { CashBalance } from './portfolio.type.js';

@ObjectType({ description: 'A line of the CSV that was not imported, and why.' })
export class ImportLineError {
  @Field(() => Int, { description: 'The line the record ends on (line 1 is the header).' })
  line!: number;

  @Field(() => String, { nullable: true, description: 'The column at fault, when one is.' })
  field!: string | null;

  @Field(() => String)
  message!: string;

  @Field(() => String, { description: 'BAD_USER_INPUT for a line that fails its checks; INSUFFICIENT_FUNDS or INSUFFICIENT_POSITION for one the books refuse.' })
  code!: string;
}

@ObjectType({ description: 'Lines imported (or, in a dry run, that would be) per side.' })
export class ImportCounts {
  @Field(() => Int) buys!: number;
  @Field(() => Int) sells!: number;
  @Field(() => Int) dividends!: number;
  @Field(() => Int) fees!: number;
  @Field(() => Int) deposits!: number;
  @Field(() => Int) withdrawals!: number;
}

@ObjectType({ description: 'An open position after the import.' })
export class ImportedPosition {
  @Field(() => String) symbol!: string;
  @Field(() => String, { description: 'The listing currency (of averageCost).' }) currency!: string;
  @Field(() => Float) quantity!: number;
  @Field(() => Float) averageCost!: number;
}

@ObjectType({ description: 'What an import did, or in a dry run would do.' })
export class ImportReport {
  @Field(() => Boolean)
  dryRun!: boolean;

  @Field(() => Boolean)
  strict!: boolean;

  @Field(() => Boolean, { description: 'Whether the imported lines were written (false in a dry run, a strict import with errors, or when no line was good).' })
  committed!: boolean;

  @Field(() => Int, { description: 'Data rows read (the header and empty lines not counted).' })
  rows!: number;

  @Field(() => Int, { description: 'Lines booked (or that would be).' })
  imported!: number;

  @Field(() => Int)
  rejected!: number;

  @Field(() => ImportCounts)
  counts!: ImportCounts;

  @Field(() => [ImportLineError], { description: 'One entry per rejected line, by line number.' })
  errors!: ImportLineError[];

  @Field(() => [CashBalance], { description: 'Cash per currency after the good lines (what it would be, in a dry run).' })
  cash!: CashBalance[];

  @Field(() => [ImportedPosition], { description: 'Open positions after the good lines (what they would be, in a dry run).' })
  positions!: ImportedPosition[];
}
