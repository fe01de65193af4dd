/**
 * The checks behind `doctor`: can we log in, read what the pipeline reads, and write where the tenant's
 * write-back writes — each with one harmless request, and a fix in words a Fusion admin understands.
 *
 * What the ASN check proves: a filtered GET on `receivingReceiptRequests` (a ShipmentNumber that cannot
 * exist, limit 1) succeeds only when the user holds a role with access to the receipt request resource.
 * It cannot prove the create privilege itself (Fusion has no dry-run for POST), so a pass means "the
 * resource is reachable with these roles"; a 403 proves ASN creation will fail.
 */
import { q } from './adf-query.js';
import { FusionError } from './errors.js';
import { asCollection, isObject } from './links.js';
import type { AuthProvider } from './auth.js';
import type { FusionRestClient } from './rest-client.js';

export interface DiagnosticCheck {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const DOCTOR_SHIPMENT = 'CONNECTOR-DOCTOR-0000';

function failure(check: string, e: unknown, privilege: string): DiagnosticCheck {
  if (!(e instanceof FusionError))
    return { check, ok: false, detail: e instanceof Error ? e.message : String(e) };
  const fixes: Record<string, string> = {
    auth: 'Check the Fusion user name and password, or the OAuth client id, secret, scope and token URL; make sure the password has not expired.',
    'no-access': `Grant the integration user a role with the privilege "${privilege}".`,
    'not-found':
      'Check the base URL (https://<pod>.fa.<dc>.oraclecloud.com) and that the resource exists in this release.',
    transient:
      'Fusion did not answer in time or answered 5xx; check network access from this host to the pod and try again.',
    hard: 'Fusion refused the request; the message above names what is wrong.',
    conflict: 'Try again later.',
  };
  return { check, ok: false, detail: e.message, fix: fixes[e.kind] };
}

async function run(
  check: string,
  privilege: string,
  body: () => Promise<Omit<DiagnosticCheck, 'check'>>,
): Promise<DiagnosticCheck> {
  try {
    return { check, ...(await body()) };
  } catch (e) {
    return failure(check, e, privilege);
  }
}

export async function diagnose(
  rest: FusionRestClient,
  auth: AuthProvider,
  locationsPath: string,
): Promise<DiagnosticCheck[]> {
  const checks: DiagnosticCheck[] = [];

  if (auth.kind !== 'basic') {
    checks.push(
      await run('token', 'n/a', async () => {
        await auth.authorization();
        return { ok: true, detail: `obtained an OAuth access token (${auth.kind})` };
      }),
    );
    if (!checks[0]!.ok) return checks;
  }

  checks.push(
    await run('framework version', 'n/a', async () => {
      const { body } = await rest.request({
        method: 'GET',
        path: '/fscmRestApi/resources/',
        operation: 'read context root',
      });
      const entry =
        asCollection(body).items.find((i) => i.version === '11.13.18.05') ?? asCollection(body).items[0];
      const ext = isObject(entry?.['adf:extension']) ? entry['adf:extension'] : {};
      const allowed = Array.isArray(ext.allowedFrameworkVersions)
        ? ext.allowedFrameworkVersions.map(String)
        : [];
      const pinned = String(rest.frameworkVersion);
      if (allowed.length === 0)
        return {
          ok: true,
          detail: `pinned REST-Framework-Version ${pinned}; the pod does not list its versions`,
        };
      return allowed.includes(pinned)
        ? { ok: true, detail: `pinned REST-Framework-Version ${pinned}; pod allows ${allowed.join(', ')}` }
        : {
            ok: false,
            detail: `pinned REST-Framework-Version ${pinned} is not among the pod's allowed versions (${allowed.join(', ')})`,
            fix: `Set fusion.restFrameworkVersion to one of ${allowed.filter((v) => Number(v) >= 2).join(', ') || '2–4'}.`,
          };
    }),
  );

  checks.push(
    await run('read purchase orders', 'View Purchase Order', async () => {
      const { body } = await rest.request({
        method: 'GET',
        path: 'purchaseOrders',
        query: { fields: ['POHeaderId', 'OrderNumber'], onlyData: true, limit: 1 },
        operation: 'doctor purchaseOrders',
      });
      const n = asCollection(body).items.length;
      return n > 0
        ? { ok: true, detail: 'purchase orders are readable' }
        : {
            ok: true,
            detail: 'the request works but no purchase order is visible to this user',
            fix: 'If the pod has purchase orders, give the user procurement agent access to the procurement BUs (data security returns an empty list, not an error).',
          };
    }),
  );

  checks.push(
    await run('read ship-to locations', 'View Location', async () => {
      const { body } = await rest.request({
        method: 'GET',
        path: locationsPath,
        query: { fields: ['LocationId', 'LocationCode'], onlyData: true, limit: 1 },
        operation: 'doctor locations',
      });
      return asCollection(body).items.length > 0
        ? { ok: true, detail: 'locations are readable (structured ship-to addresses)' }
        : {
            ok: false,
            detail: 'no location is visible',
            fix: 'Grant the user read access to locations (HCM "View Location").',
          };
    }),
  );

  checks.push(
    await run('read suppliers', 'View Supplier', async () => {
      await rest.request({
        method: 'GET',
        path: 'suppliers',
        query: { fields: ['SupplierId'], onlyData: true, limit: 1 },
        operation: 'doctor suppliers',
      });
      return { ok: true, detail: 'suppliers are readable (supplier site addresses)' };
    }),
  );

  checks.push(
    await run('ASN (receipt requests)', 'Manage Receiving Receipt Requests', async () => {
      await rest.request({
        method: 'GET',
        path: 'receivingReceiptRequests',
        query: {
          q: q.eq('ShipmentNumber', DOCTOR_SHIPMENT),
          fields: ['HeaderInterfaceId'],
          onlyData: true,
          limit: 1,
        },
        operation: 'doctor receivingReceiptRequests',
      });
      return {
        ok: true,
        detail:
          'receipt requests are reachable with this user; creating an ASN is only proven by the first real one',
      };
    }),
  );

  checks.push(
    await run('change orders (flexfield / attachment write-back)', 'Change Purchase Order', async () => {
      await rest.request({
        method: 'GET',
        path: 'draftPurchaseOrders',
        query: { fields: ['POHeaderId'], onlyData: true, limit: 1 },
        operation: 'doctor draftPurchaseOrders',
      });
      return {
        ok: true,
        detail: 'draft purchase orders are readable; change orders need the buyer role on the POs',
      };
    }),
  );

  return checks;
}
