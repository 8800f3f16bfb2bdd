import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/** `__Host-` pins the cookie to this origin over https (ASVS 3.3.x); plain http cannot use the prefix. */
export function sessionCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-satchel_session' : 'satchel_session';
}

export function setSessionCookie(
  reply: FastifyReply,
  config: Pick<Config, 'secureCookies'>,
  token: string,
  expiresAt: Date,
): void {
  reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>): void {
  reply.clearCookie(sessionCookieName(config), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
  });
}

export function readSessionCookie(
  request: FastifyRequest,
  config: Pick<Config, 'secureCookies'>,
): string | undefined {
  return request.cookies[sessionCookieName(config)];
}

export function clientMeta(request: FastifyRequest): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null };
}
