/**
 * The status writer of an ASN tenant whose statuses go to attachments: the status is written where the
 * tenant says, and an expected delivery date also goes to the ASN. Against a recording stand-in of the
 * Fusion client (the sandbox processes ASNs at once, so it never has a pending one to update).
 */
import { describe, expect, it } from 'vitest';
import type { FusionClient } from '../fusion/fusion-client.js';
import type { WriteStatusInput } from '../fusion/write-back/status.js';
import { fusionStatusWriter } from './fusion-status-writer.js';

function recordingClient() {
  const writes: WriteStatusInput[] = [];
  const client = {
    getPurchaseOrder: async () => ({ links: { attachments: 'https://fusion/po/1/child/attachments' } }),
    writePoStatus: async (input: WriteStatusInput) => {
      writes.push(input);
      return { written: true };
    },
  } as unknown as FusionClient;
  return { client, writes };
}

describe('fusionStatusWriter', () => {
  const update = {
    status: 'in_transit' as const,
    trackingNumber: '1Z999AA10123456784',
    expectedDelivery: '20261202',
  };

  it('writes the status as an attachment and the expected date to the ASN for an ASN tenant', async () => {
    const { client, writes } = recordingClient();
    await fusionStatusWriter(client, 'attachment', undefined, { asnExpectedDate: true }).write('1', update);
    expect(writes.map((w) => w.mechanism)).toEqual(['attachment', 'asn']);
    expect(writes[0]!.poAttachmentsHref).toBe('https://fusion/po/1/child/attachments');
  });

  it('leaves the ASN alone without an expected date, or for a tenant that does not write ASNs', async () => {
    const { client, writes } = recordingClient();
    const { expectedDelivery: _e, ...noDate } = update;
    await fusionStatusWriter(client, 'attachment', undefined, { asnExpectedDate: true }).write('1', noDate);
    await fusionStatusWriter(client, 'attachment').write('1', update);
    expect(writes.map((w) => w.mechanism)).toEqual(['attachment', 'attachment']);
  });
});
