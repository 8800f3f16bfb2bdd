import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { Health, PublicHealth } from '../common/auth.ts';
import type { AppDeps } from './app-deps.ts';
import { auditRoutes } from './audit/routes.ts';
import { accountMailRoutes } from './auth/account-mail-routes.ts';
import { authRoutes } from './auth/routes.ts';
import { districtRoutes } from './districts/routes.ts';
import { healthReport } from './health.ts';
import { declarePluginRoutesPublic, trackRouteAccess } from './http/access.ts';
import { registerAuthentication } from './http/authenticate.ts';
import { handleClientError } from './http/client-errors.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { registerTextInputChecks } from './http/text-input.ts';
import { reportRoutes } from './inventory/reports/routes.ts';
import { inventoryRoutes } from './inventory/routes.ts';
import { mdmConnectionRoutes } from './mdm/connections/routes.ts';
import { syncRoutes } from './mdm/sync/routes.ts';
import { overviewRoutes } from './overview/routes.ts';
import { savedViewRoutes } from './saved-views/routes.ts';
import { signInRoutes } from './sign-in/routes.ts';
import { userRoutes } from './users/routes.ts';

export interface BuiltApp {
  app: FastifyInstance;
  routes: ReturnType<typeof trackRouteAccess>['routes'];
}

export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    // Long enough for a 256 MB CSV upload on a slow school link; the import itself runs after the upload, in
    // the background, so no request waits for one.
    requestTimeout: 600_000,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const tracked = trackRouteAccess(app);

  registerErrorHandler(app);
  registerTextInputChecks(app);
  // API answers carry personal data (students, staff, sign-in details): no browser or proxy may keep a copy.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine sets inline style attributes; scripts stay strictly same-origin.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  await app.register(fastifyRateLimit, { global: false });
  registerAuthentication(app, { config, db: deps.database.db, secretKey: deps.secretKey });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Satchel API', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (satchel_pat_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'satchel_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    declarePluginRoutesPublic(docs);
    await docs.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  });

  await app.register(
    async (api) => {
      api.get(
        '/health',
        { config: { access: 'public' }, schema: { tags: ['system'], response: { 200: PublicHealth } } },
        () => ({ status: 'ok' as const }),
      );
      api.get(
        '/health/details',
        {
          config: { access: 'system.settings', acceptsHealthToken: true },
          schema: { tags: ['system'], response: { 200: Health } },
        },
        () => healthReport(deps),
      );
      await api.register(authRoutes(deps));
      await api.register(accountMailRoutes(deps));
      await api.register(signInRoutes(deps));
      await api.register(userRoutes(deps));
      await api.register(districtRoutes(deps));
      await api.register(auditRoutes(deps));
      await api.register(inventoryRoutes(deps));
      await api.register(reportRoutes(deps));
      await api.register(overviewRoutes(deps));
      await api.register(mdmConnectionRoutes(deps));
      await api.register(syncRoutes(deps));
      await api.register(savedViewRoutes(deps));
    },
    { prefix: '/api/v1' },
  );

  await app.register(async (docs) => {
    declarePluginRoutesPublic(docs);
    await docs.register(fastifyStatic, {
      root: path.resolve(import.meta.dirname, '../../docs'),
      prefix: '/docs/',
      decorateReply: false,
    });
  });
  await registerWebApp(app, config.webDir);
  return { app, routes: tracked.routes };
}

/** Serves the built SPA; unknown non-API paths get index.html so client-side routes load directly. */
async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const indexFile = path.join(webDir, 'index.html');
  const indexHtml = existsSync(indexFile) ? await readFile(indexFile, 'utf8') : undefined;
  const sendIndex = (reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/');
    if (wantsPage && indexHtml) return sendIndex(reply);
    const message = wantsPage
      ? 'The web UI is not built; run `npm run build:web`'
      : `No route for ${request.method} ${request.url.split('?')[0]}`;
    return reply.status(404).send({ error: { code: 'not_found', message } });
  });
  if (!indexHtml) return;
  await app.register(async (web) => {
    declarePluginRoutesPublic(web);
    // The static handler refuses a bare directory; the site's root is the app, signed in or not.
    web.get('/', (_request, reply) => sendIndex(reply));
    await web.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: true, index: false });
  });
}
