import { z } from 'zod';
import { symbolSchema } from '../stock/stock.validation.js';
import { SentimentWindow } from './sentiment.type.js';

export const sentimentWindowSchema = z.nativeEnum(SentimentWindow).default(SentimentWindow.SEVEN_DAYS);

export const sentimentUpdatedSchema = z.object({ symbol: symbolSchema, window: sentimentWindowSchema });
