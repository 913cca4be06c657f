import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 10;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: 'must be at most 254 characters' })
  .pipe(z.email({ message: 'is not a valid email address' }));

/** Length is what matters most; 200 caps the cost of hashing hostile input. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(200, { message: 'must be at most 200 characters' });

export const registerSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  fullName: z.string().trim().min(1, { message: 'must not be empty' }).max(200, { message: 'must be at most 200 characters' }),
});

export type RegisterInput = z.output<typeof registerSchema>;

export const loginSchema = z.object({
  // Any string: a malformed email simply matches no account.
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});

export const refreshTokenSchema = z.string().min(1, { message: 'must not be empty' }).max(200);
