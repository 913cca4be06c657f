import type { Context } from '../../composition/context.js';
import { requireViewer } from '../../graphql/auth.js';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { ApiKey, ApiKeyCreated } from './api-key.type.js';
import { apiKeyNameSchema } from './api-key.validation.js';

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: "The signed-in user's API keys that are not revoked, newest first." })
  apiKeys(@Ctx() ctx: Context): Promise<ApiKey[]> {
    return ctx.services.apiKeys.list(requireViewer(ctx));
  }

  @Mutation(() => ApiKeyCreated, { description: 'Creates an API key; the key itself is in this answer only.' })
  createApiKey(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<ApiKeyCreated> {
    return ctx.services.apiKeys.create(requireViewer(ctx), parseInput(apiKeyNameSchema, name, 'name'));
  }

  @Mutation(() => Boolean, { description: 'Revokes one of your API keys at once; NOT_FOUND for any other id.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.apiKeys.revoke(requireViewer(ctx), id);
  }
}
