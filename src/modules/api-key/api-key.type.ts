import { Field, ID, ObjectType } from '../../graphql/type-graphql.js';

@ObjectType({ description: 'A named key for scripts and servers; acts as its owner, with the same tier and role.' })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first characters of the key, to tell keys apart. The whole key is only shown once.' })
  prefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Last request made with the key (updated at most once a minute).' })
  lastUsedAt!: Date | null;
}

@ObjectType({ description: 'A new API key. `key` is shown this once: only its hash is stored.' })
export class ApiKeyCreated {
  @Field(() => String, { description: 'Send as `Authorization: ApiKey <key>` or `X-Api-Key: <key>`.' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}
