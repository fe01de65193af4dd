import { describe, expect, it } from 'vitest';
import { buildAttachmentBody } from './attachment.js';
import { asnLinesFromPo, buildAsnRequest } from './asn.js';
import { buildChangeOrderPatch, buildSubmitBody, CHANGE_ORDER_MARKER } from './change-order.js';
import { buildDffPatch } from './flexfield-change-order.js';
import { isoDay, statusAttachment, statusSegmentValues, type PoStatusUpdate } from './status.js';
import type { FusionPurchaseOrder } from '../types.js';

const po: FusionPurchaseOrder = {
  poHeaderId: '300000047110815',
  orderNumber: 'US165121',
  revision: 2,
  statusCode: 'OPEN',
  frozen: false,
  supplierId: '300000047507499',
  supplierSiteId: '300000047507503',
  procurementBu: 'US1 Business Unit',
  lastUpdateDate: new Date('2026-11-28T12:00:00Z'),
  dff: { segments: {} },
  shipToLocationIds: [],
  links: {},
  lines: [
    {
      poLineId: '300000047110820',
      lineNumber: 1,
      itemNumber: 'CH-1000',
      quantity: 12,
      uomCode: 'Ea',
      uom: 'Each',
      statusCode: 'OPEN',
      schedules: [
        {
          lineLocationId: '300000047110825',
          scheduleNumber: 1,
          quantity: 12,
          quantityReceived: 2,
          distributions: [],
        },
        {
          lineLocationId: '300000047110826',
          scheduleNumber: 2,
          quantity: 5,
          quantityReceived: 5,
          distributions: [],
        },
        {
          lineLocationId: '300000047110827',
          scheduleNumber: 3,
          quantity: 4,
          statusCode: 'CANCELED',
          distributions: [],
        },
      ],
    },
    {
      poLineId: '300000047110821',
      lineNumber: 2,
      quantity: 1,
      statusCode: 'CLOSED',
      schedules: [{ lineLocationId: '300000047110828', quantity: 1, distributions: [] }],
    },
  ],
};

describe('ASN request (receivingReceiptRequests POST)', () => {
  it('one SHIP line per open schedule for the quantity not yet received', () => {
    expect(asnLinesFromPo(po)).toEqual([
      {
        poLineId: '300000047110820',
        lineNumber: 1,
        lineLocationId: '300000047110825',
        scheduleNumber: 1,
        quantity: 10,
        uomCode: 'Ea',
        uom: 'Each',
        itemNumber: 'CH-1000',
      },
    ]);
  });

  it('body', () => {
    expect(
      buildAsnRequest({
        po,
        shipmentNumber: 'UPS-7f3a9c2e',
        trackingNumber: ' 1Z999AA10123456784 ',
        shippedDate: new Date('2026-11-28T14:03:00Z'),
        expectedReceiptDate: new Date('2026-12-02T00:00:00Z'),
        lines: asnLinesFromPo(po),
        organizationCode: 'M1',
        packingSlip: 'US165121',
      }),
    ).toMatchSnapshot();
  });

  it('refuses what Fusion would refuse, with the reason', () => {
    const base = {
      po,
      shipmentNumber: 'S1',
      trackingNumber: '1Z1',
      shippedDate: new Date(0),
      lines: asnLinesFromPo(po),
    };
    expect(() => buildAsnRequest({ ...base, lines: [] })).toThrow(/no open schedule/);
    expect(() => buildAsnRequest({ ...base, trackingNumber: ' ' })).toThrow(/tracking number/);
    expect(() => buildAsnRequest({ ...base, shipmentNumber: 'x'.repeat(31) })).toThrow(/1–30/);
  });
});

describe('change order bodies', () => {
  it('draft PATCH carries the description with our marker, once', () => {
    expect(buildChangeOrderPatch({ description: 'UPS tracking' })).toEqual({
      ChangeOrderDescription: `UPS tracking ${CHANGE_ORDER_MARKER}`,
    });
    expect(buildChangeOrderPatch({ description: `x ${CHANGE_ORDER_MARKER}` }).ChangeOrderDescription).toBe(
      `x ${CHANGE_ORDER_MARKER}`,
    );
    expect(buildChangeOrderPatch({ description: 'y'.repeat(300) }).ChangeOrderDescription).toHaveLength(240);
  });

  it('DFF PATCH: context and segments', () => {
    expect(
      buildDffPatch({
        context: 'UPS_SHIPPING',
        segments: {
          upsTrackingNumber: '1Z999AA10123456784',
          upsShipmentStatus: 'SHIPPED',
          upsStatusDate: null,
        },
      }),
    ).toMatchSnapshot();
    expect(() => buildDffPatch({ segments: { 'bad name': 'x' } })).toThrow(/segment API name/);
    expect(() => buildDffPatch({ segments: { __FLEX_Context: 'x' } })).toThrow(/segment API name/);
    expect(() => buildDffPatch({ segments: {} })).toThrow(/at least one/);
  });

  it('submit body', () => {
    expect(buildSubmitBody()).toEqual({});
    expect(buildSubmitBody({ bypassApprovals: true })).toEqual({ bypassApprovalsFlag: true });
  });
});

describe('attachment bodies', () => {
  it('URL attachment linking to UPS tracking', () => {
    expect(
      buildAttachmentBody({
        kind: 'url',
        title: 'UPS tracking 1Z999AA10123456784',
        url: 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784',
        description: 'Shipped 2026-11-28 by the UPS connector',
      }),
    ).toMatchSnapshot();
  });
  it('text attachment; bad URLs refused', () => {
    expect(
      buildAttachmentBody({ kind: 'text', title: 'UPS DELIVERED', text: 'Status: DELIVERED' }),
    ).toMatchSnapshot();
    expect(() => buildAttachmentBody({ kind: 'url', title: 't', url: 'javascript:alert(1)' })).toThrow(
      /http/,
    );
    expect(() => buildAttachmentBody({ kind: 'text', title: ' ', text: 'x' })).toThrow(/title/);
  });
});

describe('status write-back values', () => {
  const segments = {
    context: 'UPS_SHIPPING',
    status: 'upsShipmentStatus',
    reason: 'upsStatusReason',
    trackingNumber: 'upsTrackingNumber',
    expectedDelivery: 'upsStatusDate',
  };
  const updates: PoStatusUpdate[] = [
    { status: 'shipped', trackingNumbers: ['1Z999AA10123456784', '1Z999AA10123456791'] },
    { status: 'address_needs_correction', reason: 'UPS: The state is not valid for the postal code.' },
    { status: 'failed', reason: 'No UPS account mapping for supplier Lee Supplies' },
    { status: 'in_transit', trackingNumber: '1Z999AA10123456784', expectedDelivery: '20261202' },
    { status: 'exception', trackingNumber: '1Z999AA10123456784', detail: 'ADDRESS INFORMATION REQUIRED' },
    { status: 'delivered', trackingNumber: '1Z999AA10123456784', at: new Date('2026-12-02T15:04:00Z') },
    { status: 'expected_delivery', trackingNumber: '1Z999AA10123456784', expectedDelivery: '2026-12-03' },
  ];
  it('DFF segment values and attachment texts for every status', () => {
    expect(
      updates.map((u) => ({
        update: u.status,
        dff: statusSegmentValues(u, segments),
        attachment: statusAttachment(u),
      })),
    ).toMatchSnapshot();
  });
  it('UPS dates become ISO days', () => {
    expect(isoDay('20261202')).toBe('2026-12-02');
    expect(isoDay('2026-12-02')).toBe('2026-12-02');
    expect(isoDay('')).toBeUndefined();
  });
});
