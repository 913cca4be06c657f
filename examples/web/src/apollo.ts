import { ApolloClient, HttpLink, InMemoryCache, from, split } from '@apollo/client';
import { setContext } from '@apollo/client/link/context';
import { onError } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { getAccessToken, setAccessToken } from './auth';
import { API_URL, WS_URL } from './config';
import { typePolicies } from './typePolicies';

export interface Apollo {
  client: ApolloClient<unknown>;
  /** Closes the websocket and stops the client. */
  dispose(): void;
}

/**
 * One Apollo Client per sign-in: queries and mutations over HTTP with
 * `Authorization: Bearer <token>`, subscriptions over graphql-ws with the token
 * in connection_init. Create a new one when the token changes (App does).
 */
export function createApollo(): Apollo {
  const httpLink = new HttpLink({ uri: API_URL });

  const authLink = setContext((_, { headers }) => {
    const token = getAccessToken();
    return { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });

  // An expired or revoked access token: sign out (a fuller app would trade its refresh token here).
  const errorLink = onError(({ graphQLErrors }) => {
    if (graphQLErrors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED') && getAccessToken()) setAccessToken(null);
  });

  const wsClient: Client = createClient({
    url: WS_URL,
    lazy: true,
    connectionParams: () => {
      const token = getAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  const wsLink = new GraphQLWsLink(wsClient);

  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    wsLink,
    from([errorLink, authLink, httpLink]),
  );

  const client = new ApolloClient({
    link,
    cache: new InMemoryCache({ typePolicies }),
    // Sent as apollographql-client-name / -version on every HTTP request (the API's CORS allows them).
    clientAwareness: { name: 'marketgraph-web', version: '0.1.0' },
  });

  return {
    client,
    dispose() {
      client.stop();
      void wsClient.dispose();
    },
  };
}
