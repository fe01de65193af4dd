/**
 * The checks behind `doctor`: can we log in, read what the pipeline reads, and write where the tenant's
 * write-back writes — each with one harmless request, and a fix in words a Fusion admin understands.
 *
 * Only the write-back checks of the tenant's write-back (tracking mode and status mechanism) run.
 * A GET cannot prove a create or change privilege (Fusion has no dry-run for POST), so a readable receipt
 * request or draft PO resource is reported `unverified` (a warning with the fix), never as a pass; a 403
 * proves the write will fail.
 */
import { q } from './adf-query.js';
import { FusionError } from './errors.js';
import { asCollection, isObject, type JsonObject } from './links.js';
import { str } from './po-mapper.js';
import { numericId } from './purchase-orders.js';
import type { PostalAddress } from '../domain/types.js';
import type { AuthProvider } from './auth.js';
import type { FusionRestClient } from './rest-client.js';

export interface DiagnosticCheck {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** Reachable, but the right itself is not proven: a warning, not a pass. */
  unverified?: boolean;
}

/** Where the tenant writes back: the tracking mode and where PO statuses go (`statusMechanismOf`). */
export interface DiagnoseWriteBack {
  tracking: 'asn' | 'flexfield' | 'attachment';
  status: 'flexfield' | 'attachment' | 'none';
}

/** The configuration default: ASN for tracking, statuses as a text attachment. */
export const DEFAULT_DIAGNOSE_WRITE_BACK: DiagnoseWriteBack = { tracking: 'asn', status: 'attachment' };

export interface DiagnoseOptions {
  locationsPath: string;
  writeBack: DiagnoseWriteBack;
  /** The pipeline's own supplier-site lookup (suppliers → sites → addresses). */
  supplierSiteAddress(supplierId: string, supplierSiteId: string): Promise<PostalAddress | null>;
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

const CREATE_ASN_FIX =
  'Make sure the integration user has the privilege "Manage Receiving Receipt Requests" (e.g. through the ' +
  'Receiving Agent role) for the receiving organizations; only the first real ASN proves it.';
const CHANGE_ORDER_FIX =
  'Make sure the integration user has the privilege "Change Purchase Order" and is a procurement agent with ' +
  '"Manage Purchase Orders" access in the procurement BUs of the POs; only the first real change order proves it.';

export async function diagnose(
  rest: FusionRestClient,
  auth: AuthProvider,
  options: DiagnoseOptions,
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

  // One visible PO, if any: the supplier-site and lifecycle reads below use it (they need real ids).
  let samplePo: JsonObject | undefined;
  const poCheck = await run('read purchase orders', 'View Purchase Order', async () => {
    const { body } = await rest.request({
      method: 'GET',
      path: 'purchaseOrders',
      query: {
        fields: ['POHeaderId', 'OrderNumber', 'SupplierId', 'SupplierSiteId'],
        onlyData: true,
        limit: 1,
      },
      operation: 'doctor purchaseOrders',
    });
    samplePo = asCollection(body).items[0];
    return samplePo
      ? { ok: true, detail: 'purchase orders are readable' }
      : {
          ok: true,
          detail: 'the request works but no purchase order is visible to this user',
          fix: 'If the pod has purchase orders, give the user procurement agent access to the procurement BUs (data security returns an empty list, not an error).',
        };
  });
  checks.push(poCheck);

  checks.push(
    await run('read ship-to locations', 'View Location', async () => {
      const { body } = await rest.request({
        method: 'GET',
        path: options.locationsPath,
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
    await run('read item weights (itemsV2)', 'View Item', async () => {
      const { body } = await rest.request({
        method: 'GET',
        path: 'itemsV2',
        query: {
          fields: ['ItemId', 'ItemNumber', 'UnitWeightQuantity', 'WeightUOMValue'],
          onlyData: true,
          limit: 1,
        },
        operation: 'doctor itemsV2',
      });
      return asCollection(body).items.length > 0
        ? { ok: true, detail: 'items are readable (package weights and dimensions)' }
        : {
            ok: true,
            unverified: true,
            detail: 'the request works but no item is visible to this user',
            fix: 'Give the user access to the item organizations (e.g. the Product Manager or Item Manager role); without item weights every PO needs a default package weight.',
          };
    }),
  );

  checks.push(await supplierSiteCheck(rest, options, samplePo));

  const { tracking, status } = options.writeBack;
  if (tracking === 'asn') {
    checks.push(await asnCheck(rest));
    checks.push(
      poCheck.ok
        ? await lifecycleCheck(rest, samplePo)
        : { check: LIFECYCLE, ok: false, detail: 'not checked: reading purchase orders failed (see above)' },
    );
  }
  const changeOrderUses = [
    ...(tracking !== 'asn' ? [`tracking ${tracking}`] : []),
    ...(status !== 'none' ? [`status ${status}`] : []),
  ];
  if (changeOrderUses.length > 0) checks.push(await changeOrderCheck(rest, changeOrderUses));
  return checks;
}

/** The supplier site's structured address, read the way the pipeline reads it (suppliers → sites → addresses). */
function supplierSiteCheck(
  rest: FusionRestClient,
  options: DiagnoseOptions,
  samplePo: JsonObject | undefined,
): Promise<DiagnosticCheck> {
  return run('read supplier site address', 'View Supplier', async () => {
    const supplierId = samplePo ? str(samplePo.SupplierId) : undefined;
    const siteId = samplePo ? str(samplePo.SupplierSiteId) : undefined;
    if (!supplierId || !siteId) {
      await rest.request({
        method: 'GET',
        path: 'suppliers',
        query: { fields: ['SupplierId'], onlyData: true, limit: 1 },
        operation: 'doctor suppliers',
      });
      return {
        ok: true,
        unverified: true,
        detail: 'suppliers are readable, but no PO names a supplier site whose address could be read',
        fix: 'Run doctor again once a purchase order with a supplier site is visible to this user.',
      };
    }
    const address = await options.supplierSiteAddress(supplierId, siteId);
    return address
      ? {
          ok: true,
          detail: `supplier site addresses are readable (site ${siteId}: ${address.city}, ${address.countryCode})`,
        }
      : {
          ok: false,
          detail: `supplier ${supplierId} site ${siteId} has no readable address`,
          fix: 'Grant the user "View Supplier" with access to supplier sites and addresses, or complete the site\'s address in Fusion.',
        };
  });
}

function asnCheck(rest: FusionRestClient): Promise<DiagnosticCheck> {
  return run('ASN create rights (receipt requests)', 'Manage Receiving Receipt Requests', async () => {
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
      unverified: true,
      detail:
        'unverified: receipt requests are readable, but creating an ASN cannot be tried without creating one',
      fix: CREATE_ASN_FIX,
    };
  });
}

/** The lifecycle shipments are how an ASN is found again after a crash (`findExistingAsn`). */
const LIFECYCLE = 'read PO lifecycle shipments';

function lifecycleCheck(rest: FusionRestClient, samplePo: JsonObject | undefined): Promise<DiagnosticCheck> {
  return run(LIFECYCLE, 'View Purchase Order', async () => {
    const poHeaderId = samplePo ? str(samplePo.POHeaderId) : undefined;
    if (!poHeaderId)
      return {
        ok: true,
        unverified: true,
        detail: 'no purchase order is visible to read a lifecycle of',
        fix: 'Run doctor again once a purchase order is visible to this user.',
      };
    try {
      await rest.request({
        method: 'GET',
        path: `purchaseOrderLifeCycleDetails/${numericId(poHeaderId, 'POHeaderId')}/child/shipments`,
        query: { onlyData: true, limit: 1 },
        operation: 'doctor purchaseOrderLifeCycleDetails',
      });
    } catch (e) {
      if (e instanceof FusionError && e.kind === 'not-found')
        return {
          ok: false,
          detail: e.message,
          fix: 'purchaseOrderLifeCycleDetails is new in release 24D; on an older pod use writeBack.mode flexfield or attachment.',
        };
      throw e;
    }
    return { ok: true, detail: 'lifecycle shipments are readable (finding an ASN again after a crash)' };
  });
}

function changeOrderCheck(rest: FusionRestClient, uses: string[]): Promise<DiagnosticCheck> {
  return run(`change-order rights (${uses.join(', ')})`, 'Change Purchase Order', async () => {
    await rest.request({
      method: 'GET',
      path: 'draftPurchaseOrders',
      query: { fields: ['POHeaderId'], onlyData: true, limit: 1 },
      operation: 'doctor draftPurchaseOrders',
    });
    return {
      ok: true,
      unverified: true,
      detail:
        'unverified: draft purchase orders are readable, but a change order cannot be tried without submitting one',
      fix: CHANGE_ORDER_FIX,
    };
  });
}
