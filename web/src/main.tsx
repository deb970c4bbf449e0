import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ProblemError, renew } from './auth/session';
import { i18n } from './i18n';
import { router } from './app';
import { prefetchBoard } from './pages/board';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A refusal (4xx) will not change by asking again; a network error may.
      retry: (count, error) => !(error instanceof ProblemError && error.status < 500) && count < 2,
    },
  },
});

// Render-as-you-fetch on a cold load: the session is renewed from its cookie now, not after the
// first render (RequireSession then finds the renewal in flight), and the board's columns are
// asked for the moment the access token arrives, not once the board has mounted. About 70 ms of
// the board's ~700 ms to interactive on this machine (npm run bench:board-browser, docs/web-app.md).
if (window.location.pathname !== '/login') {
  renew()
    .then((state) => {
      if (state && window.location.pathname === '/' && !window.location.search) {
        prefetchBoard(queryClient);
      }
    })
    // RequireSession renews again and, without a session, sends the reader to the login page.
    .catch(() => undefined);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
