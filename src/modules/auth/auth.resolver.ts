import { requireViewer } from '../../graphql/auth.js';
import type { Context } from '../../composition/context.js';
import { Arg, Ctx, Mutation, Query, Resolver } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { AuthPayload, RegisterInput, User } from './auth.type.js';
import { loginSchema, refreshTokenSchema, registerSchema } from './auth.validation.js';

/** Notes who just signed in on the context: the activity log records the sign-in as theirs, whatever the client selected. */
async function signedIn(ctx: Context, payload: Promise<AuthPayload>): Promise<AuthPayload> {
  const result = await payload;
  ctx.signedInAccountId = result.user.id;
  return result;
}

@Resolver()
export class AuthResolver {
  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() ctx: Context): Promise<User> {
    return ctx.services.auth.me(requireViewer(ctx));
  }

  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return signedIn(ctx, ctx.services.auth.register(parseInput(registerSchema, input)));
  }

  @Mutation(() => AuthPayload, { description:
      'Signs in; a wrong email or password is UNAUTHENTICATED, without saying which. After 10 failures for an email (100 for an IP) within 15 minutes every attempt is RATE_LIMITED until the window ends.' })
  login(@Arg('email', () => String) email: string, @Arg('password', () => String) password: string, @Ctx() ctx: Context): Promise<AuthPayload> {
    const input = parseInput(loginSchema, { email, password });
    return signedIn(ctx, ctx.services.auth.login(input.email, input.password, ctx.clientIp));
  }

  @Mutation(() => AuthPayload, {
    description: 'Trades a refresh token for a new pair. Each refresh token works once; reusing one ends that whole sign-in.',
  })
  refreshToken(@Arg('token', () => String) token: string, @Ctx() ctx: Context): Promise<AuthPayload> {
    return signedIn(ctx, ctx.services.auth.refresh(parseInput(refreshTokenSchema, token, 'token')));
  }

  @Mutation(() => Boolean, {
    description: 'Ends the sign-in of `refreshToken`, or every sign-in of this user when it is omitted. False when the token is unknown.',
  })
  logout(@Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null | undefined, @Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireViewer(ctx);
    return ctx.services.auth.logout(viewer, refreshToken == null ? undefined : parseInput(refreshTokenSchema, refreshToken, 'refreshToken'));
  }
}
