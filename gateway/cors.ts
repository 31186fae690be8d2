/**
 * Which browser origins may call the gateway (CORS), from configuration:
 * `GatewayOptions.corsOrigins`, else `IPS_CORS_ORIGINS` (comma-separated), else none in production
 * (`NODE_ENV=production`) and the loopback origins in development. An entry is an exact origin
 * (`https://partner.example`) or one with any port (`http://127.0.0.1:*`).
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

export const DEVELOPMENT_CORS_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'];

export function configuredCorsOrigins(
  explicit: readonly string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (explicit) return [...explicit];
  if (env.IPS_CORS_ORIGINS !== undefined)
    return env.IPS_CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  return env.NODE_ENV === 'production' ? [] : DEVELOPMENT_CORS_ORIGINS;
}

export function originAllowed(origin: string, allowList: readonly string[]): boolean {
  return allowList.some((entry) => {
    if (entry === '*') return true;
    if (!entry.endsWith(':*')) return entry === origin;
    const base = entry.slice(0, -2);
    return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
  });
}

/**
 * The `cors` middleware: preflights are answered here (204), before any token check; a disallowed
 * origin gets no `Access-Control-Allow-Origin`, so its browser refuses the answer.
 */
export function corsMiddleware(allowList: readonly string[]): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && originAllowed(origin, allowList)),
    methods: ['GET', 'POST', 'OPTIONS'],
    // Apollo's CSRF prevention accepts a GET carrying one of these; content-type for JSON POSTs.
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
}
