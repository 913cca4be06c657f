import { PrismaClientKnownRequestError } from '@prisma/client/runtime/client';

/** A unique constraint rejected the write (Prisma's P2002), e.g. a duplicate email. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof PrismaClientKnownRequestError && error.code === 'P2002';
}

/** The row to update or delete does not exist (Prisma's P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof PrismaClientKnownRequestError && error.code === 'P2025';
}
