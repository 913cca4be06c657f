// npm run subscribe -- AAPL MSFT [--url ws://localhost:4000/graphql] [--token <accessToken>]
// Prints every priceUpdated tick for the given symbols until Ctrl-C.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const url = option('url') ?? 'ws://localhost:4000/graphql';
const token = option('token');
const symbols = args.length > 0 ? args : ['AAPL'];

const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : undefined });
client.subscribe(
  { query: 'subscription($s: [String!]!) { priceUpdated(symbols: $s) { symbol price previousClose change changePercent volume timestamp } }', variables: { s: symbols } },
  {
    next: ({ data, errors }) => console.log(JSON.stringify(errors ?? data?.priceUpdated)),
    error: (error) => {
      console.error('subscription failed:', JSON.stringify(error));
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
process.on('SIGINT', () => void Promise.resolve(client.dispose()).then(() => process.exit(0)));
