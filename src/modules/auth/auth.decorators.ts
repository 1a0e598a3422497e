import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../users/user.entity';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'rosedesk:public';
export const ROLES_KEY = 'rosedesk:roles';

/** Fastify route config of a @Public() method: the token check before body parsing lets it through. */
export const PUBLIC_ROUTE = 'rosedeskPublic';

/**
 * The route needs no access token (health, login, the public fault form). On a method it also marks the Fastify
 * route (`config.rosedeskPublic`), which the pre-parse token check reads (a class-level mark reaches only the guard:
 * API routes are public one by one).
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), RouteConfig({ [PUBLIC_ROUTE]: true }));

/** Only these roles may call the route. Without it, any signed-in user may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
