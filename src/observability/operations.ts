import type { ApolloServerPlugin } from '@apollo/server';
import { stdoutOnly, type Logger } from '../log.js';
import type { RequestContext } from '../graphql/request-context.js';
import { currentRequestScope } from './request-id.js';
import type { Metrics } from './metrics.js';

export type OperationType = 'query' | 'mutation' | 'subscription';

/** One GraphQL operation as an operator sees it: what the log line and the metrics are made of. */
export interface OperationRecord {
  transport: 'http' | 'ws';
  requestId: string;
  /** The operation's name from the parsed document; null or absent when anonymous or unparsed. */
  operationName?: string | null;
  /** Absent when the document never parsed. */
  operationType?: OperationType | null;
  durationMs: number;
  /** The cost estimate the guards computed (absent when refused before). */
  cost?: number;
  userId?: string | null;
  /** Apollo Client's client awareness headers (apollographql-client-name / -version). */
  clientName?: string;
  clientVersion?: string;
  /** extensions.code of every error sent, in order (as the client saw them, after masking). */
  errorCodes: readonly string[];
  traceId?: string;
  /** Answered without executing (e.g. a response cache hit). */
  cached?: boolean;
}

/** Headers a client controls are logged, so they are cut short: a 1 MB client name must not become a 1 MB line. */
const MAX_HEADER_CHARS = 100;
const clip = (value: string | undefined) => (value === undefined ? undefined : value.slice(0, MAX_HEADER_CHARS));

/**
 * The one place an operation is logged and counted. Apollo's plugin (operationObserverPlugin) and the websocket
 * observer call it; so must any path that answers /graphql without Apollo (a response cache), or its requests
 * would be missing from the log and the latency histogram.
 */
export class OperationObserver {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  observeOperation(record: OperationRecord): void {
    const { transport, errorCodes } = record;
    const operationName = this.metrics.operationNames.labelOf(record.operationName);
    this.metrics.operationDuration.observe({ operation_name: operationName, operation_type: record.operationType ?? 'unknown', transport }, record.durationMs / 1000);
    for (const code of errorCodes) this.metrics.errors.inc({ code, transport });
    const line = {
      requestId: record.requestId,
      transport,
      operationName: record.operationName ?? null,
      operationType: record.operationType ?? null,
      durationMs: Math.round(record.durationMs * 100) / 100,
      cost: record.cost,
      userId: record.userId ?? null,
      clientName: clip(record.clientName),
      clientVersion: clip(record.clientVersion),
      ...(record.traceId ? { traceId: record.traceId } : {}),
      ...(record.cached ? { cached: true } : {}),
      ...(errorCodes.length > 0 ? { errorCodes } : {}),
    };
    const unexpected = errorCodes.some((code) => code === 'INTERNAL_SERVER_ERROR');
    // Stdout only: the error itself is the activity log's error_logs row; a system_logs row would repeat it.
    if (unexpected) this.logger.error(stdoutOnly(line), 'graphql operation failed');
    else this.logger.info(line, 'graphql operation');
  }
}

function codesOf(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string[] {
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

/**
 * One log line and one histogram sample per HTTP operation, and `extensions.requestId` on every error sent, so a
 * user's screenshot of an error leads to its log lines.
 */
export function operationObserverPlugin<TContext extends RequestContext>(observer: OperationObserver): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const started = performance.now();
      let operationType: OperationType | undefined;
      let operationName: string | undefined;
      return {
        async didResolveOperation({ operation }) {
          operationType = operation?.operation;
          operationName = operation?.name?.value;
        },
        async willSendResponse({ response }) {
          const requestId = contextValue.requestId;
          let errorCodes: string[] = [];
          if (response.body.kind === 'single') {
            const errors = response.body.singleResult.errors;
            errorCodes = codesOf(errors);
            if (errors) response.body.singleResult.errors = errors.map((error) => ({ ...error, extensions: { ...error.extensions, requestId } }));
          }
          observer.observeOperation({
            transport: 'http',
            requestId,
            operationName,
            operationType,
            durationMs: performance.now() - started,
            cost: contextValue.cost?.requested,
            userId: contextValue.viewer?.accountId,
            clientName: request.http?.headers.get('apollographql-client-name'),
            clientVersion: request.http?.headers.get('apollographql-client-version'),
            errorCodes,
            traceId: currentRequestScope()?.traceId,
          });
        },
      };
    },
  };
}
