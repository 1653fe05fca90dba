import { functionLines, statementLines, strykerConfig } from '../../scripts/stryker-config.mjs';

const here = new URL('./', import.meta.url);
const guards = (name) => functionLines(here, 'src/http-guards.ts', name);
const serve = (firstLineText) => statementLines(here, 'src/serve.ts', firstLineText);

/**
 * Mutation testing of the security-relevant code (docs/testing.md): Python's random draw, the
 * token guard and session cookie, and in `serve` the token check and the body limits, each
 * function and statement found by name or first line when the config loads.
 */
export default strykerConfig([
  'src/python-random.ts',
  statementLines(here, 'src/http-guards.ts', 'const digest = (value: string) =>'),
  guards('constantTimeEquals'),
  guards('createTokenGuard'),
  guards('checkTokenStrength'),
  'src/http-session.ts',
  serve('if (token) checkTokenStrength(token);'),
  serve('const guard = token ? createTokenGuard(token) : undefined;'),
  serve('const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;'),
  serve('maxBodySize: bodyLimit,'),
  serve('if (guard && !guard.accepts(req.headers.authorization, req.headers.cookie)) {'),
  serve("const declaredLength = Number(req.headers['content-length'] ?? 0);"),
  serve('if (declaredLength > bodyLimit) {'),
]);
