/**
 * The UPS sandbox: UPS's REST paths on loopback, in-memory state, a controllable clock and a scenario API
 * under /_sandbox/ups. Default demo credentials: sandbox-ups-client / sandbox-ups-secret, shipper A1B2C3.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { SandboxClock } from '../clock.js';
import { listenOnLoopback } from '../listen.js';
import { UpsState, type UpsClient } from './state.js';
import { E, UpsError } from './errors.js';
import { sendError } from './respond.js';
import { seededRandom } from './random.js';
import { oauthRouter } from './oauth.js';
import { addressValidationRouter } from './address-validation.js';
import { ratingRouter } from './rating.js';
import { shippingRouter } from './shipping.js';
import { trackingRouter } from './tracking.js';
import { trackAlertRouter } from './track-alert.js';
import { quantumViewRouter } from './quantum-view.js';
import { WebhookPusher } from './webhook-pusher.js';
import { ScenarioError, scenarioRouter } from './scenario-routes.js';
import { advancePackages } from './package-events.js';

export const DEMO_CLIENT = {
  clientId: 'sandbox-ups-client',
  clientSecret: 'sandbox-ups-secret',
  shipperNumbers: ['A1B2C3'],
};

export interface UpsSandboxOptions {
  clock?: SandboxClock;
  /** expires_in of issued tokens (default 3599: UPS's 1-hour lifetime from 2026-04-01, ups.md §1; was 14399). */
  tokenTtlSeconds?: number;
  clients?: Array<{ clientId: string; clientSecret: string; shipperNumbers?: string[] }>;
  seed?: number | undefined;
}

export interface UpsSandbox {
  app: Express;
  state: UpsState;
  clock: SandboxClock;
  pusher: WebhookPusher;
  credentials: { clientId: string; clientSecret: string; shipperNumber: string };
}

export function createUpsSandbox(options: UpsSandboxOptions = {}): UpsSandbox {
  const clock = options.clock ?? new SandboxClock();
  const clients: UpsClient[] = (options.clients ?? [DEMO_CLIENT]).map((c) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    shipperNumbers: c.shipperNumbers ?? ['A1B2C3'],
  }));
  const state = new UpsState(clock, options.tokenTtlSeconds ?? 3599, clients);
  let rng = seededRandom(options.seed ?? 1);
  const random = () => rng();
  const pusher = new WebhookPusher(state, random);

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '10mb' }));
  app.use(
    '/_sandbox/ups',
    scenarioRouter(state, pusher, (seed) => (rng = seededRandom(seed ?? options.seed ?? 1))),
  );
  app.use(oauthRouter(state, random));
  app.use(addressValidationRouter(state, random));
  app.use(ratingRouter(state, random));
  app.use(shippingRouter(state, random));
  app.use(trackingRouter(state, random));
  app.use(trackAlertRouter(state, random, pusher));
  // Registered after the routers: QV's event listener runs after Track Alert's.
  app.use(quantumViewRouter(state, random));
  app.use((_req: Request, res: Response) =>
    sendError(res, state, new UpsError(404, '404', 'The requested resource was not found.')),
  );
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof ScenarioError) {
      res.status(err.status).json({ error: err.message });
      return;
    }
    if (err instanceof UpsError) return sendError(res, state, err);
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed')
      return sendError(res, state, E.malformedBody('body is not valid JSON'));
    if (req.path.startsWith('/_sandbox/')) {
      res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
      return;
    }
    sendError(res, state, E.transient(500));
  });

  const first = clients[0]!;
  return {
    app,
    state,
    clock,
    pusher,
    credentials: {
      clientId: first.clientId,
      clientSecret: first.clientSecret,
      shipperNumber: first.shipperNumbers[0] ?? 'A1B2C3',
    },
  };
}

export interface StartUpsSandboxOptions extends UpsSandboxOptions {
  port?: number;
  /**
   * How often packages move on their own as the clock passes (and Track Alert pushes go out), in ms.
   * Default 1000; 0 turns it off, so that only requests and the scenario API move packages (tests).
   */
  tickMs?: number;
}

export async function startUpsSandbox(options: StartUpsSandboxOptions = {}) {
  const sandbox = createUpsSandbox(options);
  const server = await listenOnLoopback(sandbox.app, options.port ?? 0);
  const tickMs = options.tickMs ?? 1000;
  const ticker = tickMs > 0 ? setInterval(() => advancePackages(sandbox.state), tickMs) : undefined;
  ticker?.unref();
  return {
    baseUrl: server.baseUrl,
    port: server.port,
    sandbox,
    close: async () => {
      if (ticker) clearInterval(ticker);
      await server.close();
    },
  };
}
