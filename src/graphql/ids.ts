import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The ID of anything stored in the user database (a UUID). A malformed one is
 * BAD_USER_INPUT; a well-formed one that is not the viewer's is NOT_FOUND,
 * decided by the service.
 */
export const uuidIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(UUID, { message: 'is not a valid id' });
