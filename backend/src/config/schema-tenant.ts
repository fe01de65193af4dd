/**
 * One tenant: a Fusion pod, a UPS account set, how tracking goes back into Fusion, which purchase orders
 * ship with UPS and which UPS account pays. Selection rules: the first matching rule in list order decides.
 * Account-mapping rules: the most specific matching rule wins (see pipeline/map-account.ts); among equally
 * specific rules, the one listed first.
 */
import { z } from 'zod';
import { bool, httpUrl, int, list, matching, oneOf, secret, seconds, text } from './fields.js';

const shipperNumber = () => matching(/^[A-Za-z0-9]{6}$/, 'a 6-character UPS account (shipper) number');

const fusionBasic = z.strictObject({
  kind: z.literal('basic'),
  username: text().describe('Fusion user the connector acts as.'),
  password: secret(text()).describe('Password of that user.'),
});

const fusionOauth = z.strictObject({
  kind: z.literal('oauth'),
  tokenUrl: httpUrl({ httpsOnly: true }).describe(
    "Token endpoint of the pod's OCI IAM identity domain, e.g. https://idcs-….identity.oraclecloud.com/oauth2/v1/token.",
  ),
  clientId: text().describe('Client id of the confidential application.'),
  clientSecret: secret(text()).describe('Client secret of the confidential application.'),
  scope: text().describe('Scope, e.g. urn:opc:resource:fa:instanceid=<id>urn:opc:resource:consumer::all.'),
});

const fusionJwt = z
  .strictObject({
    kind: z.literal('jwt'),
    tokenUrl: httpUrl({ httpsOnly: true }).describe('Token endpoint of the identity domain.'),
    clientId: text().describe('Client id of the confidential application (JWT user assertion grant).'),
    clientSecret: secret(text()).describe('Client secret of the confidential application.'),
    scope: text().describe('Scope, as for oauth.'),
    username: text().describe('Fusion user named in the assertion (sub).'),
    privateKey: secret(text('a PEM private key'))
      .optional()
      .describe('PEM private key that signs the user assertion (or privateKeyFile).'),
    privateKeyFile: text('a file path').optional().describe('File holding that PEM key.'),
    keyId: text().optional().describe('Alias of the certificate uploaded to the application (kid header).'),
  })
  .superRefine((auth, ctx) => {
    if (!auth.privateKey === !auth.privateKeyFile) {
      ctx.addIssue({
        code: 'custom',
        params: { plain: true },
        path: ['privateKey'],
        message: 'set exactly one of privateKey or privateKeyFile',
      });
    }
  });

export const fusionSchema = z.strictObject({
  baseUrl: httpUrl({ httpsOnly: true }).describe('Fusion pod, e.g. https://acme.fa.us2.oraclecloud.com.'),
  apiVersion: matching(/^\d+(\.\d+)+$/, 'a REST API version such as 11.13.18.05')
    .default('11.13.18.05')
    .describe('REST API version in resource paths.'),
  restFrameworkVersion: int(1, 9)
    .default(4)
    .describe('REST-Framework-Version header sent on every call (4: row-match q, JSON errors).'),
  timeoutSeconds: seconds(1, 600).default(30).describe('Per-request timeout.'),
  auth: z
    .discriminatedUnion('kind', [fusionBasic, fusionOauth, fusionJwt], { error: 'one of basic, oauth, jwt' })
    .describe(
      'How the connector signs in to Fusion: basic, oauth (client credentials) or jwt (user assertion).',
    ),
});

export const upsSchema = z.strictObject({
  baseUrl: httpUrl({ httpsOnly: true })
    .default('https://wwwcie.ups.com')
    .describe('UPS host: https://wwwcie.ups.com (test) or https://onlinetools.ups.com (production).'),
  clientId: text().describe('Client id of the app in the UPS developer portal.'),
  clientSecret: secret(text()).describe('Client secret of that app.'),
  merchantId: shipperNumber()
    .optional()
    .describe('x-merchant-id sent on the token call (a 6-character account number).'),
  shipperNumbers: list(shipperNumber(), 'a list of 6-character UPS account numbers')
    .default([])
    .describe('UPS accounts this tenant may bill; mapping rules must name one of them.'),
  transactionSrc: text().default('fusion-ups-connector').describe('transactionSrc header on every UPS call.'),
  timeoutSeconds: seconds(1, 600).default(30).describe('Per-request timeout.'),
  trackAlert: z
    .strictObject({
      enabled: bool().default(true).describe('Subscribe shipped packages to Track Alert webhooks.'),
      version: oneOf(['v1', 'v2'])
        .default('v1')
        .describe('v1: UPS sends our credential header; v2: UPS signs in with OAuth.'),
      webhookCredential: secret(text())
        .optional()
        .describe('Shared secret UPS sends back in the credential header (v1); generated when absent.'),
    })
    .prefault({})
    .describe('Tracking push.'),
});

const flexfieldFilter = z.strictObject({
  segment: text().describe('Header DFF segment API name.'),
  equals: text().describe('Value that selects the PO.'),
});

export const selectionRuleSchema = z.strictObject({
  id: text().describe('Rule name, shown as the reason a PO was selected or ignored.'),
  carrier: list(text(), 'a list of carrier names')
    .optional()
    .describe('Carrier on the PO header or a schedule (case-insensitive).'),
  supplier: list(text(), 'a list of supplier names or ids').optional().describe('Supplier name or id.'),
  supplierSite: list(text(), 'a list of supplier site names or ids')
    .optional()
    .describe('Supplier site name or id.'),
  flexfield: flexfieldFilter
    .optional()
    .describe('A header DFF segment that must equal a value (e.g. shipViaUps = Y).'),
  action: oneOf(['ship', 'ignore'])
    .default('ship')
    .describe('What a PO matching every given criterion gets.'),
});

const address = z.strictObject({
  name: text().optional(),
  attentionName: text().optional(),
  phone: text().optional(),
  lines: z
    .array(text(), { error: 'a list of 1–3 address lines' })
    .min(1, { error: 'a list of 1–3 address lines' })
    .max(3, { error: 'a list of 1–3 address lines' }),
  city: text(),
  stateProvince: text().optional(),
  postalCode: text().optional(),
  countryCode: matching(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as US'),
});

export const mappingRuleSchema = z
  .strictObject({
    id: text().describe('Rule name, recorded with each PO it maps.'),
    match: z
      .strictObject({
        supplier: list(text(), 'a list of supplier names or ids').optional().describe('Supplier name or id.'),
        supplierSite: list(text(), 'a list of supplier site names or ids')
          .optional()
          .describe('Supplier site name or id.'),
        costCenter: list(text(), 'a list of cost centers')
          .optional()
          .describe('Cost center segment of the distribution charge account.'),
        shipToOrganization: list(text(), 'a list of organization codes')
          .optional()
          .describe('Ship-to organization code of the schedule.'),
      })
      .prefault({})
      .describe('All given criteria must match; an empty match is a catch-all.'),
    shipperNumber: shipperNumber().describe('UPS account billed.'),
    merchantId: shipperNumber()
      .optional()
      .describe('x-merchant-id for this account when it differs from ups.merchantId.'),
    serviceCode: matching(/^[0-9A-Z]{2}$/, 'a 2-character UPS service code such as 03')
      .default('03')
      .describe('UPS service, e.g. 03 Ground, 02 2nd Day Air.'),
    rateMode: oneOf(['rate', 'shop'])
      .default('rate')
      .describe('rate: price the given service; shop: compare services.'),
    packagingCode: matching(/^[0-9A-Z]{2}$/, 'a 2-character UPS packaging code such as 02')
      .default('02')
      .describe('UPS packaging, 02 = customer-supplied package.'),
    labelFormat: oneOf(['GIF', 'ZPL', 'EPL', 'SPL']).default('GIF').describe('Label image format.'),
    shipFrom: oneOf(['supplier-site', 'warehouse'])
      .default('supplier-site')
      .describe('supplier-site (inbound freight the buyer pays) or a fixed warehouse.'),
    warehouse: address.optional().describe('Ship-from address when shipFrom is warehouse.'),
    defaultPackageWeight: z
      .strictObject({
        value: z.preprocess(
          (v) => (typeof v === 'string' ? Number(v) : v),
          z.number({ error: 'a positive number' }).positive({ error: 'a positive number' }),
        ),
        unit: oneOf(['LBS', 'KGS']),
      })
      .optional()
      .describe('Used when the items carry no weight.'),
  })
  .superRefine((rule, ctx) => {
    if (rule.shipFrom === 'warehouse' && !rule.warehouse) {
      ctx.addIssue({
        code: 'custom',
        params: { plain: true },
        path: ['warehouse'],
        message: 'required when shipFrom is warehouse',
      });
    }
  });

export const writeBackSchema = z
  .strictObject({
    mode: oneOf(['asn', 'flexfield', 'attachment'])
      .default('asn')
      .describe(
        'asn (receiving ASN, default), flexfield (header DFF via change order) or attachment (tracking link).',
      ),
    flexfield: z
      .strictObject({
        trackingNumberSegment: text().describe('DFF segment that receives the tracking number(s).'),
        statusSegment: text()
          .optional()
          .describe('DFF segment that receives shipped / address needs correction / failed.'),
      })
      .optional()
      .describe('Required for mode flexfield.'),
    attachmentTitle: text().default('UPS tracking').describe('Title of the tracking link attachment.'),
    status: oneOf(['auto', 'flexfield', 'attachment', 'none'])
      .default('auto')
      .describe(
        'Where the PO status goes (shipped, address needs correction, failed, in transit, exception, delivered): ' +
          'flexfield (flexfield.statusSegment), attachment (a text attachment per status), none, or auto = ' +
          'flexfield when a status segment is configured, else attachment.',
      ),
  })
  .superRefine((wb, ctx) => {
    if (wb.status === 'flexfield' && !wb.flexfield?.statusSegment) {
      ctx.addIssue({
        code: 'custom',
        params: { plain: true },
        path: ['flexfield', 'statusSegment'],
        message: 'required when status is flexfield',
      });
    }
    if (wb.mode === 'flexfield' && !wb.flexfield) {
      ctx.addIssue({
        code: 'custom',
        params: { plain: true },
        path: ['flexfield'],
        message: 'required when mode is flexfield (trackingNumberSegment)',
      });
    }
  });

export const tenantSchema = z.strictObject({
  id: matching(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    'a tenant id of lower-case letters, digits, "-" or "_" (max 64)',
  ).describe('Stable id; every row in the database carries it.'),
  name: text().optional().describe('Display name.'),
  active: bool().default(true).describe('Inactive tenants are neither polled nor served.'),
  apiToken: secret(
    text('a token of at least 24 characters').min(24, { error: 'a token of at least 24 characters' }),
  )
    .optional()
    .describe("Bearer token for this tenant's operator API."),
  pollIntervalSeconds: seconds(5, 86400)
    .optional()
    .describe('Overrides scheduler.pollIntervalSeconds for this tenant.'),
  fusion: fusionSchema.describe('Fusion Cloud ERP connection.'),
  ups: upsSchema.describe('UPS connection.'),
  writeBack: writeBackSchema.prefault({}).describe('How the tracking number goes back to Fusion.'),
  selection: z
    .strictObject({
      rules: z.array(selectionRuleSchema).default([{ id: 'carrier-ups', carrier: ['UPS'], action: 'ship' }]),
      otherwise: oneOf(['ship', 'ignore']).default('ignore').describe('What a PO no rule matches gets.'),
    })
    .prefault({})
    .describe('Which POs ship with UPS; default: carrier UPS on header or schedule.'),
  accountMapping: z
    .strictObject({
      costCenterSegment: int(1, 30)
        .optional()
        .describe('Which segment of the charge account is the cost center (1-based).'),
      segmentSeparator: text().default('-').describe('Separator of the charge account segments.'),
      rules: z
        .array(mappingRuleSchema)
        .default([])
        .describe('The most specific matching rule wins; ties go to the one listed first.'),
    })
    .prefault({})
    .describe('Which UPS account, service and ship-from apply to a PO; no match flags the PO.'),
});

export type TenantConfig = z.output<typeof tenantSchema>;

/**
 * Where PO statuses are written. Never silently nowhere: without a status segment they go to a text
 * attachment, so an address needing correction or a delivery is visible on the PO in Fusion by default.
 */
export function statusMechanismOf(
  writeBack: z.infer<typeof writeBackSchema>,
): 'flexfield' | 'attachment' | 'none' {
  if (writeBack.status !== 'auto') return writeBack.status;
  return writeBack.flexfield?.statusSegment ? 'flexfield' : 'attachment';
}
