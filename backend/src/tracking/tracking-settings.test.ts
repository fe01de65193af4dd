import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { trackingSettingsFor, webhookUrlFor } from './tracking-settings.js';

const example = fileURLToPath(new URL('../config/example.yaml', import.meta.url));
const env = {
  CONNECTOR_DATABASE_URL: 'postgres://connector:pw@db.internal:5432/connector',
  CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64'),
  CONNECTOR_FUSION_CLIENT_SECRET: 'fusion-secret',
  CONNECTOR_UPS_CLIENT_SECRET: 'ups-secret',
};

describe('trackingSettingsFor', () => {
  const config = loadConfig({ configFile: example, env, cwd: '/srv/connector' });
  const tenant = config.tenants[0]!;

  it('takes Track Alert and the webhook URL from the configuration', () => {
    const s = trackingSettingsFor(tenant, {
      server: { ...config.server, publicUrl: 'https://c.example.com/' },
    });
    expect(s.trackAlert).toEqual({
      enabled: tenant.ups.trackAlert.enabled,
      version: tenant.ups.trackAlert.version,
    });
    expect(s.webhookUrl).toBe(`https://c.example.com/webhooks/ups/${tenant.id}`);
    expect(s.renewBeforeHours).toBeUndefined(); // the 24 h default applies
  });

  it('writes statuses where the tenant writes back', () => {
    const withMode = (mode: 'asn' | 'flexfield' | 'attachment', statusSegment?: string) =>
      trackingSettingsFor(
        {
          ...tenant,
          writeBack: {
            ...tenant.writeBack,
            mode,
            flexfield: { trackingNumberSegment: 'upsTracking', ...(statusSegment ? { statusSegment } : {}) },
          },
        },
        config,
        { dffContext: 'UPS' },
      );
    // Without a status segment, statuses go to an attachment by default: never silently nowhere.
    expect(withMode('asn').statusMechanism).toBe('attachment');
    expect(withMode('attachment').statusMechanism).toBe('attachment');
    expect(withMode('flexfield').statusMechanism).toBe('attachment');
    expect(withMode('flexfield', 'upsStatus')).toMatchObject({
      statusMechanism: 'flexfield',
      statusSegments: { context: 'UPS', status: 'upsStatus', trackingNumber: 'upsTracking' },
    });
    const off = (mode: 'asn' | 'flexfield') =>
      trackingSettingsFor({ ...tenant, writeBack: { ...tenant.writeBack, mode, status: 'none' } }, config)
        .statusMechanism;
    // Statuses off: an ASN tenant still has its expected receipt date kept; others write nothing.
    expect(off('asn')).toBe('asn');
    expect(off('flexfield')).toBe('none');
    expect(webhookUrlFor(undefined, 'a')).toBeUndefined();
  });
});
