import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** `first` of every connection: 1-100, default 20; out of range is BAD_USER_INPUT, never silently clamped. */
export const firstSchema = z
  .number()
  .int()
  .min(1, { message: `must be between 1 and ${MAX_PAGE_SIZE}` })
  .max(MAX_PAGE_SIZE, { message: `must be between 1 and ${MAX_PAGE_SIZE}` })
  .nullish()
  .transform((value) => value ?? DEFAULT_PAGE_SIZE);
