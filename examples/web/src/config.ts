declare global {
  interface Window {
    __MARKETGRAPH_CONFIG__?: { apiUrl?: string };
  }
}

/** The GraphQL endpoint: /config.js (serve time), then VITE_API_URL (build time), then the local default. */
export const API_URL: string =
  window.__MARKETGRAPH_CONFIG__?.apiUrl || import.meta.env.VITE_API_URL || 'http://localhost:4000/graphql';

/** The websocket URL of the same endpoint (graphql-ws shares the /graphql path). */
export const WS_URL = API_URL.replace(/^http/, 'ws');
