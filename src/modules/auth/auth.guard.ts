import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { DomainError } from '../../common/errors/domain-error';
import type { Role } from '../users/user.entity';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC, PUBLIC_ROUTE, ROLES_KEY } from './auth.decorators';
import { SessionVersions } from './session-versions';

interface TokenClaims {
  exp: number;
  sub: string;
  email: string;
  name?: string;
  role: Role;
  trust: string | null;
  supplier: string | null;
  /** The user's token version when it was issued (absent in tokens issued before versions existed: 0). */
  ver?: number;
}

/** Tokens this process has verified, kept until they expire: a client sends the same token with every request. */
const VERIFIED_TOKENS = 10_000;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and @Roles() narrows it.
 * Non-HTTP contexts (queue processors) are not guarded. A token's signature is checked once per process; its
 * claims are then kept (bounded, least recently used dropped) no longer than the token's own expiry. Every
 * request then checks that the token's version is still its user's and the user is active (SessionVersions,
 * a short cache cleared by notification), so a revoked or changed account's tokens answer 401 whatever is cached.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new LRUCache<string, TokenClaims>({ max: VERIFIED_TOKENS });

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly sessions: SessionVersions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const { claims, session } = await this.authenticate(request);
    request.user = {
      id: claims.sub,
      email: claims.email,
      name: session.name,
      role: claims.role,
      trustId: claims.trust,
      supplierId: claims.supplier,
    };

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(claims.role)) {
      throw new DomainError('AUTH.FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`);
    }
    return true;
  }

  /**
   * The pre-parse check (registered by the HTTP pipeline as an onRequest hook): an API request to a route that is
   * not @Public() without a valid bearer token is refused with 401 here, before its body is read, so an anonymous
   * caller cannot make the server parse (or choke on) a body. The roles are still checked by canActivate.
   */
  async precheck(request: FastifyRequest): Promise<void> {
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (!request.routeOptions.url?.startsWith('/api/') || config?.[PUBLIC_ROUTE]) return;
    await this.authenticate(request);
  }

  /** The token's claims, checked against its user's current token version and active flag; else 401. */
  private async authenticate(
    request: FastifyRequest,
  ): Promise<{ claims: TokenClaims; session: { name: string } }> {
    const claims = await this.claimsOf(request);
    const session = await this.sessions.current(claims.sub);
    if (!session || !session.active || session.tokenVersion !== (claims.ver ?? 0)) {
      throw new DomainError('AUTH.UNAUTHENTICATED', 'This session has ended; sign in again.');
    }
    return { claims, session };
  }

  private async claimsOf(request: FastifyRequest): Promise<TokenClaims> {
    const header = request.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError(
        'AUTH.UNAUTHENTICATED',
        'Sign in first: send Authorization: Bearer <accessToken>.',
      );
    }
    return this.verified.get(token) ?? (await this.verify(token));
  }

  private async verify(token: string): Promise<TokenClaims> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new DomainError('AUTH.UNAUTHENTICATED', 'The access token is invalid or has expired.');
    }
    const ttl = claims.exp * 1000 - Date.now();
    if (ttl > 0) this.verified.set(token, claims, { ttl });
    return claims;
  }
}
