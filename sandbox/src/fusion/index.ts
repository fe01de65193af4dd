/**
 * The Fusion sandbox: an in-memory simulator of the Oracle Fusion Cloud REST endpoints the connector uses
 * (see README.md next to this file), plus its identity domain's token endpoint and a scenario API.
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { SandboxClock } from '../clock.js';
import { listenOnLoopback } from '../listen.js';
import { processDueApprovals } from './approvals.js';
import { DEFAULT_SCOPE, requireAuth, tokenRoutes } from './auth.js';
import { draftPurchaseOrderRoutes } from './draft-purchase-orders.js';
import { FusionError, SUPPORTED_FRAMEWORK_VERSIONS, fusionErrorHandler } from './errors.js';
import { FaultInjector } from './faults.js';
import { itemRoutes } from './items.js';
import { lifecycleRoutes } from './lifecycle.js';
import { locationRoutes } from './locations.js';
import { purchaseOrderRoutes } from './purchase-orders.js';
import { receiptRequestRoutes } from './receipts-asn.js';
import { scenarioRoutes } from './scenario-routes.js';
import { BUSINESS_UNITS } from './seed-catalog.js';
import { seedFusion } from './seed-generator.js';
import {
  DEFAULT_DFF,
  FusionState,
  fusionDateTime,
  type DffConfig,
  type OAuthClient,
  type User,
} from './state.js';
import { supplierRoutes } from './suppliers.js';
import { TokenRelay } from './token-relay.js';

export { FusionState, DEFAULT_DFF } from './state.js';
export type { DffConfig, User, OAuthClient, PurchaseOrder, WriteBack, RequestLogEntry } from './state.js';
export { allCatalogAddresses } from './seed-catalog.js';
export { COST_CENTER_SEGMENT_INDEX } from './seed-items.js';
export type { CatalogAddress } from './seed-catalog.js';
export type { PoSpec } from './seed-generator.js';
export { DEFAULT_SCOPE } from './auth.js';

export const DEMO_CREDENTIALS = {
  basic: { username: 'sandbox.buyer', password: 'sandbox-password' },
  noAccessUser: { username: 'sandbox.noaccess', password: 'sandbox-password' },
  us2User: { username: 'sandbox.us2buyer', password: 'sandbox-password' },
  oauth: {
    tokenPath: '/oauth2/v1/token',
    clientId: 'sandbox-fusion-client',
    clientSecret: 'sandbox-fusion-secret',
    scope: DEFAULT_SCOPE,
  },
  noAccessOauth: {
    clientId: 'sandbox-noaccess-client',
    clientSecret: 'sandbox-noaccess-secret',
    scope: DEFAULT_SCOPE,
  },
} as const;

export interface FusionSandboxOptions {
  clock?: SandboxClock;
  seed?: number;
  poCount?: number;
  /** Replaces the demo users (sandbox.buyer, sandbox.noaccess, sandbox.us2buyer). */
  users?: User[];
  /** Replaces the demo OAuth clients. */
  clients?: Array<
    Omit<OAuthClient, 'trustedPublicKeys' | 'allowedScopes'> &
      Partial<Pick<OAuthClient, 'trustedPublicKeys' | 'allowedScopes'>>
  >;
  tokenTtlSeconds?: number;
  dff?: Partial<DffConfig>;
  /** Seconds a submitted change order waits for approval; null = approved only via the scenario API. Default 0. */
  changeOrderApprovalSeconds?: number | null;
}

export interface FusionSandbox {
  app: Express;
  state: FusionState;
  clock: SandboxClock;
  faults: FaultInjector;
  credentials: typeof DEMO_CREDENTIALS;
  /** Regenerates all data (seed and count default to the current ones). */
  reset(options?: { seed?: number; poCount?: number }): void;
}

function defaultUsers(): User[] {
  return [
    {
      username: DEMO_CREDENTIALS.basic.username,
      password: DEMO_CREDENTIALS.basic.password,
      dataAccess: 'all',
    },
    {
      username: DEMO_CREDENTIALS.noAccessUser.username,
      password: DEMO_CREDENTIALS.noAccessUser.password,
      dataAccess: [],
    },
    {
      username: DEMO_CREDENTIALS.us2User.username,
      password: DEMO_CREDENTIALS.us2User.password,
      dataAccess: [BUSINESS_UNITS[1]!.id],
    },
  ];
}

export function createFusionSandbox(options: FusionSandboxOptions = {}): FusionSandbox {
  const clock = options.clock ?? new SandboxClock();
  const seed = { seed: options.seed ?? 42, poCount: options.poCount ?? 60 };
  const state = new FusionState(clock, { ...DEFAULT_DFF, ...options.dff }, seed.seed);
  state.changeOrderApprovalSeconds =
    options.changeOrderApprovalSeconds === undefined ? 0 : options.changeOrderApprovalSeconds;
  for (const u of options.users ?? defaultUsers()) state.users.set(u.username, u);
  const clients = options.clients ?? [
    {
      clientId: DEMO_CREDENTIALS.oauth.clientId,
      clientSecret: DEMO_CREDENTIALS.oauth.clientSecret,
      username: DEMO_CREDENTIALS.basic.username,
    },
    {
      clientId: DEMO_CREDENTIALS.noAccessOauth.clientId,
      clientSecret: DEMO_CREDENTIALS.noAccessOauth.clientSecret,
      username: DEMO_CREDENTIALS.noAccessUser.username,
    },
  ];
  for (const c of clients) {
    state.clients.set(c.clientId, { trustedPublicKeys: [], allowedScopes: [DEFAULT_SCOPE], ...c });
  }
  seedFusion(state, seed);
  const faults = new FaultInjector();
  const relay = new TokenRelay(state);

  const app = express();
  app.disable('x-powered-by');
  // ETags are ADF change indicators on items only; Express's own body-hash ETags would mislead clients.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestLog(state));
  app.use('/_sandbox/fusion', scenarioRoutes({ state, faults, seed, credentials: DEMO_CREDENTIALS, relay }));
  app.use(faults.middleware(state));
  app.use(tokenRoutes(state, { tokenTtlSeconds: options.tokenTtlSeconds ?? 3600 }));
  app.use(
    ['/fscmRestApi', '/hcmRestApi'],
    frameworkVersionHeader,
    (_req: Request, _res: Response, next: NextFunction) => {
      processDueApprovals(state);
      next();
    },
  );
  app.use(['/fscmRestApi', '/hcmRestApi'], requireAuth(state));
  app.use(methodOverride);
  app.use(express.json({ type: ['application/json', 'application/*+json'], limit: '25mb' }));
  app.get(
    ['/fscmRestApi/resources', '/fscmRestApi/resources/', '/hcmRestApi/resources', '/hcmRestApi/resources/'],
    (_req, res) => {
      res.type('application/vnd.oracle.adf.resourcecollection+json').send(
        JSON.stringify({
          items: [
            {
              version: '11.13.18.05',
              isLatest: true,
              'adf:extension': {
                defaultFrameworkVersion: '1',
                allowedFrameworkVersions: SUPPORTED_FRAMEWORK_VERSIONS.map(String),
              },
            },
          ],
        }),
      );
    },
  );
  app.use(relay.routes());
  app.use(purchaseOrderRoutes(state));
  app.use(draftPurchaseOrderRoutes(state));
  app.use(receiptRequestRoutes(state));
  app.use(lifecycleRoutes(state));
  app.use(locationRoutes(state));
  app.use(supplierRoutes(state));
  app.use(itemRoutes(state));
  app.use((req: Request) => {
    throw new FusionError(404, `The requested resource ${req.path} was not found.`);
  });
  app.use(fusionErrorHandler);

  return {
    app,
    state,
    clock,
    faults,
    credentials: DEMO_CREDENTIALS,
    reset(next = {}) {
      seed.seed = next.seed ?? seed.seed;
      seed.poCount = next.poCount ?? seed.poCount;
      seedFusion(state, seed);
    },
  };
}

/** `REST-Framework-Version`: 1–9 as Fusion allows (default 1), echoed on the response. */
function frameworkVersionHeader(req: Request, res: Response, next: NextFunction): void {
  const raw = req.get('rest-framework-version');
  const version = raw === undefined ? 1 : Number(raw);
  if (!Number.isInteger(version) || !SUPPORTED_FRAMEWORK_VERSIONS.includes(version)) {
    res
      .status(400)
      .type('text/plain')
      .send(
        `REST-Framework-Version ${raw ?? ''} is not supported. Allowed: ${SUPPORTED_FRAMEWORK_VERSIONS.join(', ')}.`,
      );
    return;
  }
  res.locals.frameworkVersion = version;
  res.set('REST-Framework-Version', String(version));
  next();
}

/** ADF honours `X-HTTP-Method-Override` on POST for clients that cannot send PATCH. */
function methodOverride(req: Request, _res: Response, next: NextFunction): void {
  const override = req.get('x-http-method-override');
  if (req.method === 'POST' && override && ['PATCH', 'DELETE', 'PUT'].includes(override.toUpperCase()))
    req.method = override.toUpperCase();
  next();
}

function requestLog(state: FusionState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/_sandbox/')) return next();
    const started = Date.now();
    const at = fusionDateTime(state.clock.nowMs());
    // Fusion (WebLogic) names every request with an execution context id that support asks for.
    const ecid = randomBytes(12).toString('base64url');
    res.set('X-ORACLE-DMS-ECID', ecid);
    res.on('finish', () => {
      const user = (res.locals.user as User | undefined)?.username ?? null;
      state.requestLog.push({
        at,
        method: req.method,
        path: req.path,
        query: { ...(req.query as Record<string, unknown>) },
        status: res.statusCode,
        durationMs: Date.now() - started,
        user,
        frameworkVersion: req.get('rest-framework-version') ?? null,
        fault: (res.locals.fault as string | undefined) ?? null,
        ecid,
      });
      if (state.requestLog.length > 10_000) state.requestLog.splice(0, state.requestLog.length - 10_000);
    });
    next();
  };
}

export interface RunningFusionSandbox {
  baseUrl: string;
  port: number;
  close(): Promise<void>;
  sandbox: FusionSandbox;
}

export async function startFusionSandbox(
  options: FusionSandboxOptions & { port?: number } = {},
): Promise<RunningFusionSandbox> {
  const sandbox = createFusionSandbox(options);
  const server = await listenOnLoopback(sandbox.app, options.port ?? 0);
  return { baseUrl: server.baseUrl, port: server.port, close: () => server.close(), sandbox };
}

/** What `npm run sandbox` prints for the Fusion sandbox: where it is and how to call it. */
export function fusionSandboxBanner(baseUrl: string): string {
  const c = DEMO_CREDENTIALS;
  return [
    `Fusion sandbox      ${baseUrl}`,
    `  REST base         ${baseUrl}/fscmRestApi/resources/11.13.18.05   (HCM: /hcmRestApi/resources/11.13.18.05)`,
    `  Basic             ${c.basic.username} / ${c.basic.password}   (no data access: ${c.noAccessUser.username}; US2 only: ${c.us2User.username})`,
    `  OAuth token       POST ${baseUrl}${c.oauth.tokenPath}  client ${c.oauth.clientId} / ${c.oauth.clientSecret}`,
    `                    grant_type=client_credentials  scope=${c.oauth.scope}`,
    `  Scenario API      ${baseUrl}/_sandbox/fusion   (see sandbox/src/fusion/README.md)`,
    `  Try               curl -u ${c.basic.username}:${c.basic.password} -H 'REST-Framework-Version: 4' '${baseUrl}/fscmRestApi/resources/11.13.18.05/purchaseOrders?limit=2&onlyData=true'`,
  ].join('\n');
}
