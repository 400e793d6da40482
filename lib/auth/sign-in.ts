import 'server-only';
import { z } from 'zod';
import { getConfig } from '../config/current';
import { ForbiddenError, UnauthorizedError } from '../http/errors';
import { verifyAgainstDummy, verifyPassword } from './password';
import { buildPrincipal, type Principal } from './principal';
import { clientIp, SignInLimiter } from './rate-limit';
import { issueSession, localIdentity } from './session';

/** Local (config-file) user sign-in: throttled, constant work for unknown names, one message for every failure. */

export const signInInput = z.object({
  name: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(1024),
});

const registry = globalThis as typeof globalThis & { __dasboardSignInLimiter?: SignInLimiter };
function limiter(): SignInLimiter {
  registry.__dasboardSignInLimiter ??= new SignInLimiter();
  return registry.__dasboardSignInLimiter;
}

export interface SignInResult {
  readonly setCookie: string;
  readonly principal: Principal;
  readonly csrfToken: string;
}

export async function signInWithPassword(
  body: unknown,
  requestHeaders: Pick<Headers, 'get'>,
): Promise<SignInResult> {
  const { name, password } = signInInput.parse(body);
  const ip = clientIp(requestHeaders);
  limiter().assertAllowed(ip, name);
  const config = getConfig();
  const user = config.users.find((u) => u.name === name);
  const ok =
    user === undefined
      ? await verifyAgainstDummy(password)
      : await verifyPassword(password, user.passwordHash);
  if (user === undefined || !ok) {
    limiter().recordFailure(ip, name);
    logSignIn('sign-in failed', user?.name);
    throw new UnauthorizedError('Wrong user name or password');
  }
  limiter().recordSuccess(name);
  const identity = localIdentity(user);
  const { setCookie, claims } = await issueSession(identity, requestHeaders);
  const principal = buildPrincipal({ ...identity, id: identity.sub, sessionId: claims.sid }, config);
  if (principal === null) {
    logSignIn('sign-in refused: no role', user.name);
    throw new ForbiddenError('Your account has no dasboard role');
  }
  logSignIn('signed in', user.name);
  return { setCookie, principal, csrfToken: claims.csrf };
}

// The attempted name is logged only when it is a real user (a password typed into the name field stays out of logs).
function logSignIn(msg: string, user: string | undefined): void {
  console.info(JSON.stringify({ level: 'info', msg, idp: 'local', user: user ?? null }));
}
