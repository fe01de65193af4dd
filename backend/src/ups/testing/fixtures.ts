/** Domain inputs shared by the UPS client tests. */
import type { PackageSpec, PostalAddress } from '../../domain/types.js';
import type { RateInput } from '../rating.js';
import type { ShipInput } from '../shipping.js';

export const SHIPPER_NUMBER = 'A1B2C3';

export const warehouse: PostalAddress = {
  name: 'Acme Receiving Warehouse',
  attentionName: 'Dock Manager',
  phone: '+1 (212) 555-0100',
  email: 'dock@acme.example',
  lines: ['100 Broadway', 'Floor 3'],
  city: 'New York',
  stateProvince: 'NY',
  postalCode: '10005',
  countryCode: 'US',
};

export const supplierSite: PostalAddress = {
  name: 'Pacific Parts Supply Co',
  attentionName: 'Shipping Desk',
  phone: '415-555-0199',
  lines: ['2000 Harrison St'],
  city: 'San Francisco',
  stateProvince: 'CA',
  postalCode: '94110-1234',
  countryCode: 'US',
};

export const residentialCustomer: PostalAddress = {
  name: 'Jane Doe',
  lines: ['12 Elm Street', 'Apt 4'],
  city: 'Albany',
  stateProvince: 'NY',
  postalCode: '12207',
  countryCode: 'US',
  residential: true,
};

export const canadianSite: PostalAddress = {
  name: 'Maple Components Ltd',
  attentionName: 'Receiving',
  phone: '416 555 0123',
  lines: ['250 Front St W'],
  city: 'Toronto',
  stateProvince: 'ON',
  postalCode: 'M5V 3G5',
  countryCode: 'CA',
};

export const boxes: PackageSpec[] = [
  {
    weight: { value: 12.34, unit: 'LBS' },
    dimensions: { length: 16, width: 12, height: 10.5, unit: 'IN' },
    packagingCode: '02',
    references: ['PO-100234', 'REL-7'],
  },
  { weight: { value: 3, unit: 'LBS' }, packagingCode: '02', references: ['PO-100234'] },
];

export const rateInput: RateInput = {
  shipperNumber: SHIPPER_NUMBER,
  shipper: warehouse,
  shipFrom: supplierSite,
  shipTo: warehouse,
  packages: boxes,
  serviceCode: '03',
  negotiatedRates: true,
  customerContext: 'rate:tenant-a:300100123',
};

export const shipInput: ShipInput = {
  shipperNumber: SHIPPER_NUMBER,
  shipper: warehouse,
  shipFrom: supplierSite,
  shipTo: warehouse,
  serviceCode: '03',
  packages: boxes,
  labelFormat: 'GIF',
  customerContext: 'intent:3f6c2a9e-6f1b-4a53-9a57-5b7f3f0d1c11',
  negotiatedRates: true,
};
