import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../users/user.entity';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'rosedesk:public';
export const ROLES_KEY = 'rosedesk:roles';

/** The route needs no access token (health, login, the public fault form). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. Without it, any signed-in user may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
