import { Field, ID, InputType, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum AccountRole {
  USER = 'USER',
  ADMIN = 'ADMIN',
}
registerEnumType(AccountRole, { name: 'AccountRole' });

export enum SubscriptionTier {
  FREE = 'FREE',
  PRO = 'PRO',
}
registerEnumType(SubscriptionTier, { name: 'SubscriptionTier', description: 'Decides rate limits and quotas.' });

@ObjectType({ description: 'A signed-up person. Only ever visible to themselves.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Lower-cased; unique regardless of case.' })
  email!: string;

  @Field(() => String)
  fullName!: string;

  @Field(() => AccountRole)
  role!: AccountRole;

  @Field(() => SubscriptionTier)
  tier!: SubscriptionTier;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'A fresh pair of tokens for a signed-in user.' })
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <accessToken>` (HTTP) or in connection_init (websocket).' })
  accessToken!: string;

  @Field(() => Date)
  accessTokenExpiresAt!: Date;

  @Field(() => String, { description: 'Single use: refreshToken(token) returns a new pair and retires this one.' })
  refreshToken!: string;

  @Field(() => Date)
  refreshTokenExpiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@InputType()
export class RegisterInput {
  @Field(() => String)
  email!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  password!: string;

  @Field(() => String)
  fullName!: string;
}
