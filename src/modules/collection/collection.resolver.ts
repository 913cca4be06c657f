import { requireViewer } from '../../graphql/auth.js';
import type { Context } from '../../composition/context.js';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { User } from '../auth/auth.type.js';
import { Stock } from '../stock/stock.type.js';
import { Collection, CreateCollectionInput } from './collection.type.js';
import { collectionStockSchema, createCollectionSchema, idSchema, renameCollectionSchema } from './collection.validation.js';

@Resolver(() => Collection)
export class CollectionResolver {
  @Query(() => [Collection], { description: 'The signed-in user’s watchlists, oldest first.' })
  collections(@Ctx() ctx: Context): Promise<Collection[]> {
    return ctx.services.collections.list(requireViewer(ctx));
  }

  @Query(() => Collection, { description: 'One of the signed-in user’s watchlists; NOT_FOUND for any other id.' })
  collection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Collection> {
    const viewer = requireViewer(ctx);
    return ctx.services.collections.read(viewer, parseInput(idSchema, id, 'id'));
  }

  @Mutation(() => Collection)
  createCollection(@Arg('input', () => CreateCollectionInput) input: CreateCollectionInput, @Ctx() ctx: Context): Promise<Collection> {
    const viewer = requireViewer(ctx);
    return ctx.services.collections.create(viewer, parseInput(createCollectionSchema, input));
  }

  @Mutation(() => Collection)
  renameCollection(@Arg('id', () => ID) id: string, @Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<Collection> {
    const viewer = requireViewer(ctx);
    const input = parseInput(renameCollectionSchema, { id, name });
    return ctx.services.collections.rename(viewer, input.id, input.name);
  }

  @Mutation(() => Boolean)
  deleteCollection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireViewer(ctx);
    return ctx.services.collections.delete(viewer, parseInput(idSchema, id, 'id'));
  }

  @Mutation(() => Collection, { description: 'Adds a listed stock at the end; adding one already there changes nothing.' })
  addStockToCollection(
    @Arg('collectionId', () => ID) collectionId: string,
    @Arg('symbol', () => String) symbol: string,
    @Ctx() ctx: Context,
  ): Promise<Collection> {
    const viewer = requireViewer(ctx);
    const input = parseInput(collectionStockSchema, { collectionId, symbol });
    return ctx.services.collections.addStock(viewer, input.collectionId, input.symbol);
  }

  @Mutation(() => Collection, { description: 'Removing a stock that is not in the collection changes nothing.' })
  removeStockFromCollection(
    @Arg('collectionId', () => ID) collectionId: string,
    @Arg('symbol', () => String) symbol: string,
    @Ctx() ctx: Context,
  ): Promise<Collection> {
    const viewer = requireViewer(ctx);
    const input = parseInput(collectionStockSchema, { collectionId, symbol });
    return ctx.services.collections.removeStock(viewer, input.collectionId, input.symbol);
  }

  @FieldResolver(() => [Stock], { description: 'Full stocks from the stock database, in list order.' })
  stocks(@Root() collection: Collection, @Ctx() ctx: Context): Promise<Stock[]> {
    return ctx.services.collections.stocksOf(collection);
  }
}

@Resolver(() => User)
export class UserCollectionsResolver {
  @FieldResolver(() => [Collection])
  collections(@Root() user: User, @Ctx() ctx: Context): Promise<Collection[]> {
    // `me` is the only way to reach a User, so the user is always the viewer.
    const viewer = requireViewer(ctx);
    return ctx.services.collections.list({ ...viewer, accountId: user.id });
  }
}
