/**
 * Request bodies that satisfy UPS's request schemas (with the documented overlay), shaped the way the
 * connector sends them: arrays where the spec declares arrays, every scalar a string.
 */

export interface UsAddress {
  AddressLine: string[];
  City: string;
  StateProvinceCode: string;
  PostalCode: string;
  CountryCode: string;
}

export const SHIPPER_ADDRESS: UsAddress = {
  AddressLine: ['2311 York Rd'],
  City: 'Timonium',
  StateProvinceCode: 'MD',
  PostalCode: '21093',
  CountryCode: 'US',
};

export const SHIP_TO_ADDRESS: UsAddress = {
  AddressLine: ['26601 Aliso Creek Rd'],
  City: 'Alpharetta',
  StateProvinceCode: 'GA',
  PostalCode: '30005',
  CountryCode: 'US',
};

export interface ShipOptions {
  shipperNumber?: string;
  labelFormat?: 'GIF' | 'ZPL';
  weights?: string[];
  serviceCode?: string;
  customerContext?: string;
  reference?: string;
  shipTo?: UsAddress;
}

export function shipRequest(o: ShipOptions = {}) {
  const shipperNumber = o.shipperNumber ?? 'A1B2C3';
  const labelFormat = o.labelFormat ?? 'GIF';
  return {
    ShipmentRequest: {
      Request: {
        RequestOption: 'nonvalidate',
        SubVersion: '2409',
        TransactionReference: { CustomerContext: o.customerContext ?? 'intent-0001' },
      },
      Shipment: {
        Description: 'Purchase order goods',
        Shipper: {
          Name: 'Acme Supplies Inc',
          AttentionName: 'Shipping Desk',
          ShipperNumber: shipperNumber,
          Phone: { Number: '4105551234' },
          Address: SHIPPER_ADDRESS,
        },
        ShipTo: {
          Name: 'Fusion Receiving Dock',
          AttentionName: 'Receiving',
          Phone: { Number: '6785551234' },
          Address: o.shipTo ?? SHIP_TO_ADDRESS,
        },
        ShipFrom: { Name: 'Acme Supplies Inc', AttentionName: 'Shipping Desk', Address: SHIPPER_ADDRESS },
        PaymentInformation: {
          ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: shipperNumber } }],
        },
        Service: { Code: o.serviceCode ?? '03', Description: 'Ground' },
        Package: (o.weights ?? ['10']).map((weight) => ({
          Description: 'Carton',
          Packaging: { Code: '02', Description: 'Customer Supplied Package' },
          Dimensions: { UnitOfMeasurement: { Code: 'IN' }, Length: '10', Width: '8', Height: '6' },
          PackageWeight: { UnitOfMeasurement: { Code: 'LBS' }, Weight: weight },
          ReferenceNumber: [{ Code: 'PO', Value: o.reference ?? 'PO-1001' }],
        })),
      },
      LabelSpecification: {
        LabelImageFormat: { Code: labelFormat, Description: labelFormat },
        HTTPUserAgent: 'Mozilla/4.5',
        LabelStockSize: { Height: '6', Width: '4' },
      },
    },
  };
}

export function rateRequest(
  requestOption: string,
  o: { shipperNumber?: string; weights?: string[]; serviceCode?: string } = {},
) {
  const shipperNumber = o.shipperNumber ?? 'A1B2C3';
  const timeInTransit = /timeintransit/i.test(requestOption);
  const shop = /^shop/i.test(requestOption);
  return {
    RateRequest: {
      Request: {
        RequestOption: requestOption,
        SubVersion: '2409',
        TransactionReference: { CustomerContext: 'rate-0001' },
      },
      Shipment: {
        Shipper: { Name: 'Acme Supplies Inc', ShipperNumber: shipperNumber, Address: SHIPPER_ADDRESS },
        ShipTo: { Name: 'Fusion Receiving Dock', Address: SHIP_TO_ADDRESS },
        ShipFrom: { Name: 'Acme Supplies Inc', Address: SHIPPER_ADDRESS },
        PaymentDetails: { ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: shipperNumber } }] },
        ...(shop ? {} : { Service: { Code: o.serviceCode ?? '03', Description: 'Ground' } }),
        NumOfPieces: String((o.weights ?? ['10']).length),
        Package: (o.weights ?? ['10']).map((weight) => ({
          PackagingType: { Code: '02', Description: 'Packaging' },
          Dimensions: {
            UnitOfMeasurement: { Code: 'IN', Description: 'Inches' },
            Length: '10',
            Width: '8',
            Height: '6',
          },
          PackageWeight: { UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' }, Weight: weight },
        })),
        ...(timeInTransit
          ? {
              ShipmentTotalWeight: {
                UnitOfMeasurement: { Code: 'LBS', Description: 'Pounds' },
                Weight: '10',
              },
              DeliveryTimeInformation: { PackageBillType: '03', Pickup: { Date: '20261130', Time: '1000' } },
            }
          : {}),
      },
    },
  };
}

export function xavRequest(address: {
  lines: string[];
  city: string;
  state: string;
  postal: string;
  country?: string;
}) {
  return {
    XAVRequest: {
      Request: { RequestOption: '1', TransactionReference: { CustomerContext: 'xav-0001' } },
      MaximumCandidateListSize: '10',
      AddressKeyFormat: {
        ConsigneeName: 'Fusion Receiving Dock',
        AddressLine: address.lines,
        PoliticalDivision2: address.city,
        PoliticalDivision1: address.state,
        PostcodePrimaryLow: address.postal,
        CountryCode: address.country ?? 'US',
      },
    },
  };
}

export function labelRecoveryRequest(trackingNumber: string, format: 'GIF' | 'ZPL' = 'GIF') {
  return {
    LabelRecoveryRequest: {
      Request: { SubVersion: '1903', TransactionReference: { CustomerContext: 'recover-0001' } },
      LabelSpecification: {
        LabelImageFormat: { Code: format },
        HTTPUserAgent: 'Mozilla/4.5',
        LabelStockSize: { Height: '6', Width: '4' },
      },
      TrackingNumber: trackingNumber,
    },
  };
}

export function quantumViewRequest(
  o: { name?: string; bookmark?: string; fileName?: string; begin?: string; end?: string } = {},
) {
  const subscription: Record<string, unknown> = {};
  if (o.name) subscription.Name = o.name;
  if (o.fileName) subscription.FileName = [o.fileName];
  if (o.begin)
    subscription.DateTimeRange = { BeginDateTime: o.begin, ...(o.end ? { EndDateTime: o.end } : {}) };
  return {
    QuantumViewRequest: {
      Request: { TransactionReference: { CustomerContext: 'qv-0001' }, RequestAction: 'QVEvents' },
      ...(Object.keys(subscription).length ? { SubscriptionRequest: [subscription] } : {}),
      ...(o.bookmark ? { Bookmark: o.bookmark } : {}),
    },
  };
}

export function trackAlertV1Request(
  trackingNumbers: string[],
  url: string,
  credential = 'webhook-secret-v1',
) {
  return {
    locale: 'en_US',
    countryCode: 'US',
    trackingNumberList: trackingNumbers,
    destination: { url, credentialType: 'Bearer', credential },
  };
}

export function trackAlertV2Request(trackingNumbers: string[]) {
  return { locale: 'en_US', countryCode: 'US', trackingNumberList: trackingNumbers };
}
