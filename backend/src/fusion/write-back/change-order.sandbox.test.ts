/**
 * Change orders waiting for approval, against the Fusion sandbox (approval only through the scenario API):
 * a write whose submit answer was lost is not written a second time; a different write waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFusionSandbox, type RunningFusionSandbox } from '../../../../sandbox/src/fusion/index.js';
import { createFusionClient, type FusionClient } from '../fusion-client.js';

let fusion: RunningFusionSandbox;
let client: FusionClient;

async function scenario(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ header: Record<string, unknown> }> {
  const res = await fetch(`${fusion.baseUrl}/_sandbox/fusion${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`scenario ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { header: Record<string, unknown> };
}

beforeAll(async () => {
  fusion = await startFusionSandbox({ seed: 11, poCount: 5, changeOrderApprovalSeconds: null });
  client = createFusionClient({
    baseUrl: fusion.baseUrl,
    auth: { kind: 'basic', username: 'sandbox.buyer', password: 'sandbox-password' },
  });
});
afterAll(async () => {
  await fusion.close();
});

describe('change order pending approval', () => {
  it('repeating a submitted write is recognised as done; another write is a conflict until approval', async () => {
    const id = String(
      (await scenario('POST', '/purchase-orders', { status: 'OPEN', shipViaUps: true })).header.POHeaderId,
    );
    const change = { context: 'UPS_SHIPPING', segments: { upsShipmentStatus: 'SHIPPED' } };
    expect(await client.writeHeaderFlexfield(id, change)).toMatchObject({ reusedDraft: false });

    // The same write again (as after a crash before the answer was recorded): no second change order.
    expect(await client.writeHeaderFlexfield(id, change)).toMatchObject({
      reusedDraft: true,
      submitResult: 'PENDING APPROVAL',
    });
    const changeOrders = (await (await fetch(`${fusion.baseUrl}/_sandbox/fusion/change-orders`)).json()) as {
      poHeaderId: number;
    }[];
    expect(changeOrders.filter((c) => String(c.poHeaderId) === id)).toHaveLength(1);

    await expect(
      client.writeHeaderFlexfield(id, {
        context: 'UPS_SHIPPING',
        segments: { upsShipmentStatus: 'DELIVERED' },
      }),
    ).rejects.toMatchObject({ kind: 'conflict' });

    await scenario('POST', `/purchase-orders/${id}/approve-change-order`);
    await client.writeHeaderFlexfield(id, {
      context: 'UPS_SHIPPING',
      segments: { upsShipmentStatus: 'DELIVERED' },
    });
    await scenario('POST', `/purchase-orders/${id}/approve-change-order`);
    expect((await client.getPurchaseOrder(id)).dff.segments.upsShipmentStatus).toBe('DELIVERED');
  });
});
