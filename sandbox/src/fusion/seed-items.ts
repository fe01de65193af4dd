/** Items with master weights and dimensions, charge accounts, carriers, payment terms for generated POs. */

export interface CatalogItem {
  number: string;
  description: string;
  category: string;
  uomCode: string;
  uom: string;
  price: number;
  /** null for services and items without a weight in the item master. */
  weight: number | null;
  weightUom: 'LBS' | 'KG' | null;
  dims: [number, number, number] | null;
  hazard?: { unNumber: string; hazardClass: string };
  maxQty: number;
}

export const ITEMS: CatalogItem[] = [
  {
    number: 'AS54888',
    description: 'Standard Desktop Computer',
    category: 'Computers',
    uomCode: 'Ea',
    uom: 'Each',
    price: 899,
    weight: 18.5,
    weightUom: 'LBS',
    dims: [20, 9, 18],
    maxQty: 10,
  },
  {
    number: 'CM-4410',
    description: 'Corrugated Shipping Box 18x18x16, bundle of 25',
    category: 'Packaging',
    uomCode: 'BDL',
    uom: 'Bundle',
    price: 42.5,
    weight: 22,
    weightUom: 'LBS',
    dims: [19, 19, 6],
    maxQty: 20,
  },
  {
    number: 'HW-1020',
    description: 'Hex Bolt M10x40 Zinc, box of 100',
    category: 'Fasteners',
    uomCode: 'BX',
    uom: 'Box',
    price: 18.75,
    weight: 8.2,
    weightUom: 'LBS',
    dims: [8, 6, 4],
    maxQty: 40,
  },
  {
    number: 'EL-3302',
    description: 'LED Panel Light 2x4 40W',
    category: 'Electrical',
    uomCode: 'Ea',
    uom: 'Each',
    price: 64,
    weight: 14,
    weightUom: 'LBS',
    dims: [50, 26, 4],
    maxQty: 12,
  },
  {
    number: 'SF-7701',
    description: 'Safety Helmet Type II Class E',
    category: 'Safety',
    uomCode: 'Ea',
    uom: 'Each',
    price: 32.9,
    weight: 1.1,
    weightUom: 'LBS',
    dims: [12, 10, 8],
    maxQty: 50,
  },
  {
    number: 'OF-2205',
    description: 'Copy Paper Letter, 10-ream case',
    category: 'Office Supplies',
    uomCode: 'CS',
    uom: 'Case',
    price: 54.99,
    weight: 50,
    weightUom: 'LBS',
    dims: [17, 11, 10],
    maxQty: 8,
  },
  {
    number: 'LB-9001',
    description: 'Bench Digital Multimeter',
    category: 'Lab Equipment',
    uomCode: 'Ea',
    uom: 'Each',
    price: 489,
    weight: 6.5,
    weightUom: 'LBS',
    dims: [14, 12, 8],
    maxQty: 4,
  },
  {
    number: 'EU-4400',
    description: 'Precision Balance 220 g',
    category: 'Lab Equipment',
    uomCode: 'Ea',
    uom: 'Each',
    price: 1250,
    weight: 4.2,
    weightUom: 'KG',
    dims: [16, 12, 12],
    maxQty: 3,
  },
  {
    number: 'EC-1100',
    description: 'Industrial Extension Cord 100 ft',
    category: 'Electrical',
    uomCode: 'Ea',
    uom: 'Each',
    price: 119,
    weight: 9.8,
    weightUom: 'LBS',
    dims: [14, 14, 6],
    maxQty: 10,
  },
  {
    number: 'MT-5500',
    description: 'Manual Pallet Jack 5500 lb',
    category: 'Material Handling',
    uomCode: 'Ea',
    uom: 'Each',
    price: 429,
    weight: 165,
    weightUom: 'LBS',
    dims: [63, 27, 8],
    maxQty: 2,
  },
  {
    number: 'CH-0420',
    description: 'Isopropyl Alcohol 99%, 4 x 1 gal',
    category: 'Chemicals',
    uomCode: 'CS',
    uom: 'Case',
    price: 88,
    weight: 31,
    weightUom: 'LBS',
    dims: [14, 14, 12],
    hazard: { unNumber: 'UN1219', hazardClass: '3' },
    maxQty: 4,
  },
  {
    number: 'NW-0001',
    description: 'Network Switch 24-port (no master weight)',
    category: 'Computers',
    uomCode: 'Ea',
    uom: 'Each',
    price: 310,
    weight: null,
    weightUom: null,
    dims: null,
    maxQty: 6,
  },
  {
    number: 'SVC-100',
    description: 'On-site Installation Service',
    category: 'Services',
    uomCode: 'HRS',
    uom: 'Hours',
    price: 95,
    weight: null,
    weightUom: null,
    dims: null,
    maxQty: 16,
  },
];

/** Cost centers are segment 2 (index 1) of `Company-CostCenter-Account-SubAccount-Product`, delimiter '-'. */
export const COST_CENTERS = ['510', '520', '610', '740', '830'];
export const CHARGE_ACCOUNTS = ['7530', '7700', '1410'];
export const COST_CENTER_SEGMENT_INDEX = 1;

export interface CarrierChoice {
  carrier: string;
  carrierId: number;
  modeCode: string;
  mode: string;
  serviceCode: string;
  service: string;
  upsServiceCode: string | null;
}

export const CARRIERS: Record<
  'UPS_GROUND' | 'UPS_2DA' | 'UPS_1DA' | 'FEDEX' | 'DHL' | 'ODFL',
  CarrierChoice
> = {
  UPS_GROUND: {
    carrier: 'UPS',
    carrierId: 300000047200101,
    modeCode: 'PARCEL',
    mode: 'Parcel',
    serviceCode: 'GND',
    service: 'Ground',
    upsServiceCode: '03',
  },
  UPS_2DA: {
    carrier: 'UPS',
    carrierId: 300000047200101,
    modeCode: 'PARCEL',
    mode: 'Parcel',
    serviceCode: '2DA',
    service: '2nd Day Air',
    upsServiceCode: '02',
  },
  UPS_1DA: {
    carrier: 'UPS',
    carrierId: 300000047200101,
    modeCode: 'PARCEL',
    mode: 'Parcel',
    serviceCode: '1DA',
    service: 'Next Day Air',
    upsServiceCode: '01',
  },
  FEDEX: {
    carrier: 'FedEx',
    carrierId: 300000047200102,
    modeCode: 'PARCEL',
    mode: 'Parcel',
    serviceCode: 'GND',
    service: 'Ground',
    upsServiceCode: null,
  },
  DHL: {
    carrier: 'DHL',
    carrierId: 300000047200103,
    modeCode: 'AIR',
    mode: 'Air',
    serviceCode: 'EXP',
    service: 'Express',
    upsServiceCode: null,
  },
  ODFL: {
    carrier: 'Old Dominion Freight Line',
    carrierId: 300000047200104,
    modeCode: 'LTL',
    mode: 'Less than truckload',
    serviceCode: 'STD',
    service: 'Standard',
    upsServiceCode: null,
  },
};

export const PAYMENT_TERMS = [
  { id: 300000047100001, name: 'Net 30' },
  { id: 300000047100002, name: 'Net 45' },
  { id: 300000047100003, name: '2/10 Net 30' },
];

export const DESCRIPTIONS = [
  'Replenishment order',
  'Quarterly restock',
  'Project materials',
  'Maintenance supplies',
  'New site fit-out',
  'Lab equipment refresh',
  'Safety program supplies',
];
