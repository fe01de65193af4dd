/**
 * The receiving processor the sandbox runs right after a receipt request is posted: resolves each line
 * to a PO schedule, checks status, supplier and open quantity, and on success records the shipment lines.
 */
import { visibleTo } from './purchase-orders.js';
import type { Row } from './schemas.js';
import type { FusionState, PoLine, PoSchedule, PurchaseOrder, ReceiptRequest, User } from './state.js';

const RECEIVABLE = new Set(['OPEN', 'CLOSED FOR INVOICING']);

interface Resolved {
  po: PurchaseOrder;
  line: PoLine;
  schedule: PoSchedule;
}

function resolveLine(
  state: FusionState,
  user: User,
  l: Row,
  fail: (column: string, message: string) => void,
): Resolved | null {
  const po =
    typeof l.POHeaderId === 'number'
      ? state.purchaseOrders.get(l.POHeaderId)
      : state.findPoByNumber(String(l.DocumentNumber));
  if (!po || !visibleTo(user)(po.header)) {
    fail(
      'DocumentNumber',
      `The purchase order ${String(l.DocumentNumber ?? l.POHeaderId)} doesn't exist or you don't have access to it.`,
    );
    return null;
  }
  if (l.DocumentNumber !== null && l.DocumentNumber !== po.header.OrderNumber) {
    fail(
      'DocumentNumber',
      `DocumentNumber ${String(l.DocumentNumber)} doesn't match POHeaderId ${String(po.header.POHeaderId)}.`,
    );
    return null;
  }
  if (!RECEIVABLE.has(String(po.header.StatusCode))) {
    fail(
      'DocumentNumber',
      `The purchase order ${String(po.header.OrderNumber)} has status ${String(po.header.Status)} and can't be shipped against.`,
    );
    return null;
  }
  const line =
    typeof l.POLineId === 'number'
      ? po.lines.find((x) => x.row.POLineId === l.POLineId)
      : po.lines.find((x) => x.row.LineNumber === l.DocumentLineNumber);
  if (!line) {
    fail(
      'DocumentLineNumber',
      `Line ${String(l.DocumentLineNumber ?? l.POLineId)} doesn't exist on purchase order ${String(po.header.OrderNumber)}.`,
    );
    return null;
  }
  const schedule =
    typeof l.POLineLocationId === 'number'
      ? line.schedules.find((s) => s.row.LineLocationId === l.POLineLocationId)
      : l.DocumentShipmentLineNumber !== null
        ? line.schedules.find((s) => s.row.ScheduleNumber === l.DocumentShipmentLineNumber)
        : line.schedules.length === 1
          ? line.schedules[0]
          : undefined;
  if (!schedule) {
    fail(
      'DocumentShipmentLineNumber',
      `Schedule ${String(l.DocumentShipmentLineNumber ?? '(missing)')} of line ${String(line.row.LineNumber)} can't be identified.`,
    );
    return null;
  }
  return { po, line, schedule };
}

export function processReceiptRequest(state: FusionState, r: ReceiptRequest, user: User): void {
  r.errors = [];
  state.lifecycleShipments = state.lifecycleShipments.filter(
    (s) => s.headerInterfaceId !== r.header.HeaderInterfaceId,
  );
  const h = r.header;
  const resolved: (Resolved | null)[] = [];
  for (const l of r.lines) {
    const fail = (column: string, message: string) => {
      r.errors.push({
        InterfaceErrorId: state.nextId(),
        HeaderInterfaceId: h.HeaderInterfaceId,
        InterfaceTransactionId: l.InterfaceTransactionId,
        ColumnName: column,
        ErrorMessage: message,
        ErrorMessageName: 'RCV_INTERFACE_ERROR',
      });
    };
    if (!['SUPPLIER', 'VENDOR'].includes(String(h.ReceiptSourceCode ?? 'SUPPLIER')))
      fail('ReceiptSourceCode', 'ReceiptSourceCode must be SUPPLIER for purchase order receipts.');
    const res = resolveLine(state, user, l, fail);
    resolved.push(res);
    if (!res) continue;
    const { po, line, schedule } = res;
    if (h.VendorId !== null && h.VendorId !== po.header.SupplierId)
      fail(
        'VendorId',
        `VendorId ${String(h.VendorId)} isn't the supplier of ${String(po.header.OrderNumber)}.`,
      );
    if (h.VendorSiteId !== null && h.VendorSiteId !== po.header.SupplierSiteId)
      fail(
        'VendorSiteId',
        `VendorSiteId ${String(h.VendorSiteId)} isn't the supplier site of ${String(po.header.OrderNumber)}.`,
      );
    if (h.VendorName !== null && h.VendorName !== po.header.Supplier)
      fail('VendorName', `${String(h.VendorName)} isn't the supplier of ${String(po.header.OrderNumber)}.`);
    if (
      l.UnitOfMeasure !== null &&
      l.UnitOfMeasure !== line.row.UOM &&
      l.UnitOfMeasure !== line.row.UOMCode
    ) {
      fail(
        'UnitOfMeasure',
        `Unit of measure ${String(l.UnitOfMeasure)} doesn't match the schedule's ${String(line.row.UOM)}.`,
      );
    }
    const shipped = state.lifecycleShipments
      .filter((s) => s.row.LineLocationId === schedule.row.LineLocationId)
      .reduce((sum, s) => sum + Number(s.row.ShippedQuantity), 0);
    const open = Number(schedule.row.Quantity) - shipped;
    if (Number(l.Quantity) > open)
      fail(
        'Quantity',
        `Quantity ${String(l.Quantity)} exceeds the open quantity ${open} of schedule ${String(schedule.row.ScheduleNumber)} on line ${String(line.row.LineNumber)}.`,
      );
  }
  if (h.ASNType !== 'STD' && h.ShipmentNumber !== null) {
    const duplicate = [...state.receiptRequests.values()].some(
      (o) =>
        o !== r &&
        o.header.ProcessingStatusCode === 'SUCCESS' &&
        o.header.ShipmentNumber === h.ShipmentNumber &&
        o.header.VendorName === h.VendorName,
    );
    if (duplicate)
      r.errors.push({
        InterfaceErrorId: state.nextId(),
        HeaderInterfaceId: h.HeaderInterfaceId,
        InterfaceTransactionId: null,
        ColumnName: 'ShipmentNumber',
        ErrorMessage: `Shipment number ${String(h.ShipmentNumber)} already exists for this supplier.`,
        ErrorMessageName: 'RCV_DUP_SHIPMENT_NUM',
      });
  }
  const ok = r.errors.length === 0;
  h.ProcessingStatusCode = ok ? 'SUCCESS' : 'ERROR';
  for (const l of r.lines) l.ProcessingStatusCode = h.ProcessingStatusCode;
  if (!ok) return;
  const shipmentId = state.nextId();
  h.ReceiptHeaderId = shipmentId;
  r.lines.forEach((l, i) => {
    const res = resolved[i]!;
    l.POHeaderId = res.po.header.POHeaderId;
    l.POLineId = res.line.row.POLineId;
    l.POLineLocationId = res.schedule.row.LineLocationId;
    l.DocumentNumber = res.po.header.OrderNumber;
    l.DocumentLineNumber = res.line.row.LineNumber;
    l.DocumentShipmentLineNumber = res.schedule.row.ScheduleNumber;
    // The processor derives what the request left out from the PO.
    l.ItemNumber ??= res.line.row.Item;
    l.ItemDescription ??= res.line.row.Description;
    l.UOMCode ??= res.line.row.UOMCode;
    l.ShipToLocationCode ??= res.schedule.row.ShipToLocationCode;
    h.VendorId ??= res.po.header.SupplierId;
    h.VendorName ??= res.po.header.Supplier;
    h.VendorSiteId ??= res.po.header.SupplierSiteId;
    h.VendorSiteCode ??= res.po.header.SupplierSite;
    h.BusinessUnitId ??= res.po.header.ProcurementBUId;
    h.BusinessUnit ??= res.po.header.ProcurementBU;
    state.lifecycleShipments.push({
      headerInterfaceId: h.HeaderInterfaceId as number,
      interfaceTransactionId: l.InterfaceTransactionId as number,
      row: {
        ShipmentId: shipmentId,
        Shipment: h.ShipmentNumber,
        POHeaderId: res.po.header.POHeaderId,
        POLineId: res.line.row.POLineId,
        LineNumber: res.line.row.LineNumber,
        LineLocationId: res.schedule.row.LineLocationId,
        ScheduleNumber: res.schedule.row.ScheduleNumber,
        Carrier: h.FreightCarrierName,
        Tracking: h.WaybillAirbillNumber,
        ShippedDate: h.ShippedDate,
        ExpectedReceiptDate: h.ExpectedReceiptDate,
        ShippedQuantity: l.Quantity,
        UOM: res.line.row.UOM,
        ReceiptDate: l.TransactionType === 'RECEIVE' ? state.nowIso() : null,
        PackingSlip: h.PackingSlip,
        BillOfLading: h.BillOfLading,
      },
    });
  });
}
