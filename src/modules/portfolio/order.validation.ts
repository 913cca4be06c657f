import { z } from 'zod';
import { firstSchema } from '../../graphql/pagination.js';
import { symbolSchema } from '../stock/stock.validation.js';
import { idSchema, priceSchema, quantitySchema } from './portfolio.validation.js';

const ORDER_TYPES = ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'] as const;
const TIME_IN_FORCE = ['DAY', 'GTC', 'IOC', 'FOK'] as const;
export const ORDER_STATUSES = ['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'REJECTED'] as const;

export const placeOrderSchema = z
  .object({
    portfolioId: idSchema,
    symbol: symbolSchema,
    side: z.enum(['BUY', 'SELL']),
    quantity: quantitySchema,
    type: z.enum(ORDER_TYPES),
    limitPrice: priceSchema.nullish().transform((value) => value ?? null),
    stopPrice: priceSchema.nullish().transform((value) => value ?? null),
    timeInForce: z.enum(TIME_IN_FORCE).nullish().transform((value) => value ?? 'DAY'),
    clientOrderId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'must be 1-64 of A-Z a-z 0-9 . _ : -' })
      .nullish()
      .transform((value) => value ?? null),
  })
  .superRefine((input, ctx) => {
    const needsLimit = input.type === 'LIMIT' || input.type === 'STOP_LIMIT';
    const needsStop = input.type === 'STOP' || input.type === 'STOP_LIMIT';
    if (needsLimit && !input.limitPrice) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `is required for a ${input.type} order` });
    if (!needsLimit && input.limitPrice) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `must not be given for a ${input.type} order` });
    if (needsStop && !input.stopPrice) ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `is required for a ${input.type} order` });
    if (!needsStop && input.stopPrice) ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `must not be given for a ${input.type} order` });
  });

export type PlaceOrder = z.output<typeof placeOrderSchema>;

export const ordersArgsSchema = z.object({
  status: z.enum(ORDER_STATUSES).nullish().transform((value) => value ?? null),
  first: firstSchema,
  after: z.string().max(200).nullish(),
});
