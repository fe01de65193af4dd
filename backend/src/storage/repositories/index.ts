import type { RepoContext } from './context.js';
import { auditRepository } from './audit.js';
import { connectionsRepository } from './connections.js';
import { jobsRepository } from './jobs.js';
import { mappingRulesRepository } from './mapping-rules.js';
import { packagesRepository } from './packages.js';
import { purchaseOrdersRepository } from './purchase-orders.js';
import { quantumViewRepository } from './quantum-view.js';
import { quotesRepository } from './quotes.js';
import { shipmentsRepository } from './shipments.js';
import { tenantsRepository } from './tenants.js';
import { trackingEventsRepository } from './tracking-events.js';
import { trackingSubscriptionsRepository } from './tracking-subscriptions.js';
import { watermarksRepository } from './watermarks.js';
import { webhookCredentialsRepository } from './webhook-credentials.js';
import { writeBacksRepository } from './write-backs.js';

export function makeRepositories(ctx: RepoContext) {
  return {
    tenants: tenantsRepository(ctx),
    connections: connectionsRepository(ctx),
    webhookCredentials: webhookCredentialsRepository(ctx),
    mappingRules: mappingRulesRepository(ctx),
    watermarks: watermarksRepository(ctx),
    purchaseOrders: purchaseOrdersRepository(ctx),
    shipments: shipmentsRepository(ctx),
    packages: packagesRepository(ctx),
    quotes: quotesRepository(ctx),
    trackingSubscriptions: trackingSubscriptionsRepository(ctx),
    trackingEvents: trackingEventsRepository(ctx),
    quantumView: quantumViewRepository(ctx),
    writeBacks: writeBacksRepository(ctx),
    audit: auditRepository(ctx),
    jobs: jobsRepository(ctx),
  };
}

export type Repositories = ReturnType<typeof makeRepositories>;
