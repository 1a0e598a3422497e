import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { DomainErrorFilter } from '../common/errors/domain-error.filter';
import { clientErrorHandler, frameworkErrors } from '../common/http/framework-errors';
import { registerInputGuards } from '../common/http/input-guards';
import { createValidationPipe } from '../common/http/validation';
import { maskUrl } from '../common/logging/mask-url';
import type { AppConfig } from '../config/app-config';
import { AuthGuard } from '../modules/auth/auth.guard';

/** Largest JSON or urlencoded body; multipart uploads have their own limits (attachments, the fault form). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Where the OpenAPI UI and document are served (open to all, like /health). */
const API_DOCS_PATH = 'api/docs';

/**
 * One line per request, when it completes (Fastify's default adds a line when it arrives); none for `/health`,
 * which load balancers poll. Only method, URL, status and time: never headers or bodies. The URL is masked
 * (maskUrl): no status-link token, no search text, no cursor.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (request.url === '/health') return;
    const fields = {
      req: { method: request.method, url: maskUrl(request.url, request.routeOptions.url) },
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/**
 * The HTTP server: Fastify under Nest. Its request handling costs a fraction of Express's on the hot API routes
 * (bench:incidents), and it logs through the process's pino logger with a child per request (`reqId`: a valid
 * `X-Request-Id` header, else a new UUID). `logger: null` logs nothing (the tests).
 */
export function createHttpAdapter(logger: Logger | null): FastifyAdapter {
  return new FastifyAdapter({
    ...(logger ? { loggerInstance: logger, logController: new RequestLog() } : { logger: false }),
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // X-Forwarded-For is believed only from a proxy on this host.
    trustProxy: 'loopback',
    bodyLimit: BODY_LIMIT_BYTES,
    // maxParamLength: the signed status-link tokens in /report/thanks/:token and /report/status/:token run past the default 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // configureHttp registers @fastify/multipart itself; the adapter's own lazy loading is for Nest's upload interceptors.
    multipart: false,
    // A malformed or over-long URL, and a request Node cannot parse, in the API's error shape without the URL.
    frameworkErrors,
    clientErrorHandler,
  });
}

/** The HTTP pipeline shared by the real server and the tests; call it before `init()` or `listen()`. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  // HSTS and upgrade-insecure-requests only when the desk is served over https: on plain http they send a
  // browser to an https address that does not answer (the /report form's stylesheet and script).
  const https = new URL(config.env.PUBLIC_BASE_URL).protocol === 'https:';
  await app.register(fastifyHelmet, {
    hsts: https,
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
  });
  // Answers carry tokens and personal data: no cache keeps them, unless a route says otherwise (static assets).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
      done(null, payload);
    });
  // Cookies: the public pages' CSRF cookie, and the console's session and sign-in form cookies.
  await app.register(fastifyCookie);
  // Each reader of a multipart body passes its own limits (see readMultipartForm).
  await app.register(fastifyMultipart);
  // An API request without a valid token is refused before its body is read (AuthGuard.precheck); the OpenAPI
  // document and its UI, served by @nestjs/swagger rather than a controller, stay open.
  const auth = app.get(AuthGuard);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => {
      if (request.routeOptions.url?.startsWith(`/${API_DOCS_PATH}`)) return done();
      auth.precheck(request).then(() => done(), done);
    });
  registerInputGuards(app, BODY_LIMIT_BYTES);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  const openApi = new DocumentBuilder()
    .setTitle('RoseDesk API')
    .setDescription(
      'The service desk of the Lancashire health-service network. Sign in with POST /api/auth/login.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addServer(config.env.PUBLIC_BASE_URL)
    .build();
  SwaggerModule.setup(API_DOCS_PATH, app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: `${API_DOCS_PATH}/openapi.json`,
  });
}
