import { ApolloProvider } from '@apollo/client';
import { useEffect, useState } from 'react';
import { createApollo, type Apollo } from './apollo';
import { setAccessToken, useAccessToken } from './auth';
import { LoginPage } from './pages/LoginPage';
import { PortfolioPage } from './pages/PortfolioPage';
import { PortfoliosPage } from './pages/PortfoliosPage';
import { SearchPage } from './pages/SearchPage';
import { StockPage } from './pages/StockPage';
import { WatchlistsPage } from './pages/WatchlistsPage';
import { navigate, useRoute } from './router';

/**
 * A fresh client (cache and websocket) for each sign-in, so nothing of one user leaks to the next.
 * Until the client for the current token exists nothing renders, so no query starts on a client
 * that is about to be disposed.
 */
function useApollo(token: string | null): Apollo | null {
  const [current, setCurrent] = useState<{ token: string | null; apollo: Apollo } | null>(null);
  useEffect(() => {
    const apollo = createApollo();
    setCurrent({ token, apollo });
    return () => apollo.dispose();
  }, [token]);
  return current && current.token === token ? current.apollo : null;
}

export function App() {
  const token = useAccessToken();
  const apollo = useApollo(token);
  const route = useRoute();
  if (!apollo) return null;

  const needsSignIn = (route.name === 'watchlists' || route.name === 'portfolios' || route.name === 'portfolio') && !token;
  return (
    <ApolloProvider client={apollo.client}>
      <header className="topbar">
        <a className="brand" href="#/search">marketgraph</a>
        <nav>
          <a href="#/search" className={route.name === 'search' ? 'active' : ''}>Stocks</a>
          <a href="#/watchlists" className={route.name === 'watchlists' ? 'active' : ''}>Watchlists</a>
          <a href="#/portfolios" className={route.name === 'portfolios' || route.name === 'portfolio' ? 'active' : ''}>Portfolios</a>
          {token ? (
            <button type="button" className="link" onClick={() => { setAccessToken(null); navigate('/login'); }}>
              Sign out
            </button>
          ) : (
            <a href="#/login" className={route.name === 'login' ? 'active' : ''}>Sign in</a>
          )}
        </nav>
      </header>
      <main>
        {route.name === 'login' || needsSignIn ? (
          <LoginPage onSignedIn={() => navigate('/watchlists')} />
        ) : route.name === 'stock' ? (
          <StockPage symbol={route.symbol} />
        ) : route.name === 'watchlists' ? (
          <WatchlistsPage />
        ) : route.name === 'portfolios' ? (
          <PortfoliosPage />
        ) : route.name === 'portfolio' ? (
          <PortfolioPage id={route.id} />
        ) : (
          <SearchPage />
        )}
      </main>
    </ApolloProvider>
  );
}
