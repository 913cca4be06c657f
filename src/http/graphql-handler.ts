import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { checkDocumentText, type GuardLimits } from '../graphql/guards/index.js';
import type { RequestContext } from '../graphql/request-context.js';
import type { AuthState } from '../graphql/auth.js';
import { ResponseCache, type CachedResponse, type ResponseCacheSlot } from '../cache/response-cache.js';
import { requestScopeOf } from '../observability/request-id.js';

/** Bodies above this are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 1_000_000;

/** Variables (as JSON text) above this are refused with 413: no operation here needs more. */
export const MAX_VARIABLES_CHARS = 100_000;

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** Codes of errors in a well-formed request: application/json clients get them with 200, as the GraphQL-over-HTTP spec asks. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// Events rather than `for await`: the async iterator showed in the profile of the cached read path (issue 11).
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        // Drain the rest so the connection can still carry the 413.
        req.resume();
        return reject(new HttpError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`));
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (!contentType?.toLowerCase().includes('json')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST', requestId: requestScopeOf(req).requestId } }] }));
}

function prefersGraphQLResponse(accept: string | undefined): boolean {
  return accept?.toLowerCase().includes(GRAPHQL_RESPONSE_JSON) ?? false;
}

/** A guard's refusal, in the media type the client asked for, without Apollo ever parsing the document. */
function sendGuardError(req: IncomingMessage, res: ServerResponse, error: GraphQLError): void {
  const modern = prefersGraphQLResponse(req.headers.accept);
  res.writeHead(modern ? 400 : 200, { 'content-type': `${modern ? GRAPHQL_RESPONSE_JSON : 'application/json'}; charset=utf-8` });
  const { message, extensions } = error.toJSON();
  res.end(JSON.stringify({ errors: [{ message, extensions: { ...extensions, requestId: requestScopeOf(req).requestId } }] }));
}

/**
 * Told of each request answered with an error before Apollo (body too large, not JSON, batched, variables too large,
 * a document the text guard refuses): Apollo's plugins never see those, so this writes their operation log line and
 * metrics instead. `errorCodes` are the codes the client received.
 */
export type RefusalObserver = (req: IncomingMessage, errorCodes: readonly string[], startedAt: number) => void;

/** The query text and variables of a single request, wherever they were sent. */
function documentOf(body: unknown, url: URL): { query?: unknown; variables?: unknown } {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as { query?: unknown; variables?: unknown };
  return { query: url.searchParams.get('query') ?? undefined, variables: url.searchParams.get('variables') ?? undefined };
}

function isRequestErrorBody(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
    return parsed.data === undefined && !!parsed.errors?.length && parsed.errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)));
  } catch {
    return false;
  }
}

/**
 * The response cache's seam: who is asking (the same check Apollo's context makes, so a refused token is never
 * answered from cache) and what a hit spends from their budget.
 */
export interface CachedReads {
  cache: ResponseCache;
  authenticate(req: IncomingMessage): Promise<AuthState>;
  /** Spends a hit's recorded cost; the RateLimit-* headers to send, or null when refused (Apollo then answers the 429). */
  spend(req: IncomingMessage, auth: AuthState, cost: CachedResponse['cost']): Promise<Record<string, string> | null>;
  /** A hit never reaches Apollo's plugins: this writes its operation log line and metrics instead. */
  observeHit(req: IncomingMessage, auth: AuthState, hit: CachedResponse, startedAt: number): void;
}

/** Answers with the same viewer class share an entry: only PUBLIC answers are kept, so the class only keeps roles apart. */
function viewerClassOf(auth: AuthState): string {
  return auth.viewer ? auth.viewer.role : 'ANONYMOUS';
}

function persistedQueryHashOf(body: object): string | undefined {
  const hash = (body as { extensions?: { persistedQuery?: { sha256Hash?: unknown } } }).extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** A hit: the stored bytes with the headers Apollo sent for them, plus this caller's RateLimit-* and the entry's age. */
function writeHit(res: ServerResponse, hit: CachedResponse, rateLimitHeaders: Record<string, string>): void {
  res.writeHead(200, {
    'content-type': hit.contentType,
    ...(hit.cacheControl ? { 'cache-control': hit.cacheControl, age: String(Math.max(0, Math.floor((Date.now() - hit.startedAt) / 1000))) } : {}),
    ...rateLimitHeaders,
    'content-length': hit.body.length,
    'x-response-cache': 'HIT',
  });
  res.end(hit.body);
}

/** Hands one node:http request to Apollo Server and writes its answer back; with `reads`, repeated public queries skip Apollo. */
export function createGraphQLHandler<TContext extends RequestContext>(
  apollo: ApolloServer<TContext>,
  contextFor: (req: IncomingMessage, auth?: AuthState) => Promise<TContext>,
  limits: Pick<GuardLimits, 'maxDocumentChars' | 'maxTokens'>,
  reads?: CachedReads,
  observeRefusal?: RefusalObserver,
) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const startedAt = performance.now();
    const refuse = (status: number, message: string) => {
      sendError(req, res, status, message);
      observeRefusal?.(req, ['BAD_REQUEST'], startedAt);
    };
    let body: unknown;
    try {
      body = parseBody(await readBody(req), req.headers['content-type']);
    } catch (error) {
      if (error instanceof HttpError) return refuse(error.status, error.message);
      throw error;
    }
    if (Array.isArray(body)) return refuse(400, 'Batched requests are not supported: send one operation per request');
    const { query, variables } = documentOf(body, url);
    if (variables !== undefined && (typeof variables === 'string' ? variables : JSON.stringify(variables)).length > MAX_VARIABLES_CHARS) {
      return refuse(413, `Variables are larger than ${MAX_VARIABLES_CHARS} characters`);
    }
    let slot: ResponseCacheSlot | undefined;
    let auth: AuthState | undefined;
    // POST with a JSON body only: Apollo's CSRF prevention lets those through, and GETs keep going through Apollo.
    // Before the text guard: an entry exists only for a document that passed every guard and ran without errors.
    if (reads && req.method === 'POST' && body && typeof body === 'object') {
      const persistedQueryHash = typeof query === 'string' ? undefined : persistedQueryHashOf(body);
      if (typeof query === 'string' || persistedQueryHash) {
        auth = await reads.authenticate(req);
        // A refused credential goes to Apollo, which answers it as it always has; nothing cached for it either way.
        if (!auth.authError) {
          const { operationName } = body as { operationName?: unknown };
          const key = ResponseCache.keyOf({
            query: typeof query === 'string' ? query : undefined,
            persistedQueryHash,
            operationName: typeof operationName === 'string' ? operationName : undefined,
            variables,
            accept: req.headers.accept,
            viewerClass: viewerClassOf(auth),
          });
          const hit = reads.cache.getLocal(key) ?? (await reads.cache.getShared(key));
          if (hit) {
            const rateLimitHeaders = await reads.spend(req, auth, hit.cost);
            if (rateLimitHeaders) {
              writeHit(res, hit, rateLimitHeaders);
              return reads.observeHit(req, auth, hit, startedAt);
            }
          }
          slot = reads.cache.open(key);
        }
      }
    }
    if (typeof query === 'string') {
      const refused = checkDocumentText(query, limits);
      if (refused) {
        sendGuardError(req, res, refused);
        return observeRefusal?.(req, [String(refused.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED')], startedAt);
      }
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const context = await contextFor(req, auth);
        if (slot) context.responseCache = slot;
        return context;
      },
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      // Apollo answers 400 for parse and validation errors in every media type; the spec wants 200 for application/json.
      const legacy = response.headers.get('content-type')?.startsWith('application/json') ?? false;
      if (legacy && res.statusCode === 400 && isRequestErrorBody(response.body.string)) res.statusCode = 200;
      if (slot?.storable && res.statusCode === 200) {
        res.setHeader('x-response-cache', 'MISS');
        res.end(response.body.string);
        await reads!.cache.set(slot, response.body.string, response.headers.get('content-type') ?? 'application/json; charset=utf-8', response.headers.get('cache-control') ?? '');
        return;
      }
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
