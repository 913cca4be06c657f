import { z } from 'zod';

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100, { message: 'must be at most 100 characters' });

/** Ids are UUIDs; anything else cannot name a key, so it is NOT_FOUND rather than a database error. */
export const apiKeyIdSchema = z.uuid();
