import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum AlertConditionEnum {
  PRICE_ABOVE = 'PRICE_ABOVE',
  PRICE_BELOW = 'PRICE_BELOW',
  PERCENT_MOVE = 'PERCENT_MOVE',
  RSI_ABOVE = 'RSI_ABOVE',
  RSI_BELOW = 'RSI_BELOW',
  VOLUME_SPIKE = 'VOLUME_SPIKE',
  SCAN = 'SCAN',
  SCREENER_ENTER = 'SCREENER_ENTER',
  SCREENER_LEAVE = 'SCREENER_LEAVE',
  SENTIMENT_SWING = 'SENTIMENT_SWING',
}
registerEnumType(AlertConditionEnum, { name: 'AlertCondition', description: 'What an alert watches (see Alerts in the README).' });

@ObjectType()
export class Alert {
  @Field(() => ID) id!: string;
  @Field(() => String) symbol!: string;
  @Field(() => AlertConditionEnum) condition!: AlertConditionEnum;
  @Field(() => Float, { nullable: true }) threshold!: number | null;
  @Field(() => ID, { nullable: true }) screenerId!: string | null;
  @Field(() => String, { nullable: true }) scanKind!: string | null;
  @Field(() => Int) cooldownSeconds!: number;
  @Field(() => Boolean, { description: 'False after firing until the condition has been false again (hysteresis).' }) armed!: boolean;
  @Field(() => Date, { nullable: true }) lastFiredAt!: Date | null;
  @Field(() => Boolean, { description: 'True for the alert that mirrors a StockInterest.targetPrice.' }) fromTargetPrice!: boolean;
}

@ObjectType()
export class AlertEvent {
  @Field(() => ID) id!: string;
  @Field(() => ID) alertId!: string;
  @Field(() => String) symbol!: string;
  @Field(() => AlertConditionEnum) condition!: AlertConditionEnum;
  @Field(() => Float, { nullable: true, description: 'The value that fired it: price, % move, RSI, volume ratio or sentiment change.' })
  value!: number | null;
  @Field(() => Date) firedAt!: Date;
}

@ObjectType()
export class AlertEventConnection {
  @Field(() => [AlertEvent]) nodes!: AlertEvent[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@InputType()
export class CreateAlertInput {
  @Field(() => String) symbol!: string;
  @Field(() => AlertConditionEnum) condition!: AlertConditionEnum;
  @Field(() => Float, { nullable: true }) threshold?: number | null;
  @Field(() => ID, { nullable: true }) screenerId?: string | null;
  @Field(() => String, { nullable: true }) scanKind?: string | null;
  @Field(() => Int, { nullable: true }) cooldownSeconds?: number | null;
}
