import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { logIn } from '../trpc.js';

/** Shown when the server runs with METASPO_API_TOKEN and this tab has not logged in yet. */
export function LoginPage() {
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await logIn(token);
      setToken('');
      await queryClient.resetQueries();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <section>
      <h1>Log in</h1>
      <p>
        This server requires its API token (the <code>METASPO_API_TOKEN</code> it was started with). It is
        kept by the browser as a cookie that scripts cannot read, for this site only.
      </p>
      <form className="config-form" onSubmit={(e) => void submit(e)} aria-label="Token login">
        <div className="field">
          <label htmlFor="login-token">API token</label>
          <input
            id="login-token"
            type="password"
            autoComplete="current-password"
            required
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!token || pending}>
            {pending ? 'Logging in…' : 'Log in'}
          </button>
        </div>
        <div className="field-wide" aria-live="polite">
          {error && (
            <div className="error-note" role="alert">
              {error}
            </div>
          )}
        </div>
      </form>
    </section>
  );
}
