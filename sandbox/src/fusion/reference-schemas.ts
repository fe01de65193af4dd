/** Reference data a connector looks up: HCM locations, suppliers with sites and addresses, items. */
import type { Schema } from './schemas.js';

const s = 'string' as const;
const n = 'number' as const;
const i = 'integer' as const;
const b = 'boolean' as const;
const d = 'date' as const;
const dt = 'datetime' as const;
const who: Schema = { CreationDate: dt, CreatedBy: s, LastUpdateDate: dt, LastUpdatedBy: s };

export const LOCATION_SCHEMA: Schema = {
  LocationId: i,
  LocationCode: s,
  LocationName: s,
  Description: s,
  ActiveStatus: s,
  SetName: s,
  AddressLine1: s,
  AddressLine2: s,
  AddressLine3: s,
  AddressLine4: s,
  TownOrCity: s,
  Region1: s,
  Region2: s,
  Region3: s,
  PostalCode: s,
  Country: s,
  ShipToSiteFlag: b,
  ReceivingSiteFlag: b,
  BillToSiteFlag: b,
  OfficeSiteFlag: b,
  MainPhoneNumber: s,
  ...who,
};

export const SUPPLIER_SCHEMA: Schema = {
  SupplierId: i,
  Supplier: s,
  SupplierNumber: s,
  AlternateName: s,
  TaxOrganizationType: s,
  SupplierType: s,
  Status: s,
  ...who,
};

export const SUPPLIER_SITE_SCHEMA: Schema = {
  SupplierSiteId: i,
  SupplierSite: s,
  ProcurementBUId: i,
  ProcurementBU: s,
  SupplierAddressId: i,
  SupplierAddressName: s,
  SitePurposePurchasingFlag: b,
  SitePurposePayFlag: b,
  Email: s,
  InactiveDate: d,
  ...who,
};

export const SUPPLIER_ADDRESS_SCHEMA: Schema = {
  SupplierAddressId: i,
  AddressName: s,
  CountryCode: s,
  Country: s,
  AddressLine1: s,
  AddressLine2: s,
  AddressLine3: s,
  AddressLine4: s,
  City: s,
  State: s,
  Province: s,
  County: s,
  PostalCode: s,
  PostalCodeExtension: s,
  PhoneNumber: s,
  Email: s,
  AddressPurposeOrderingFlag: b,
  AddressPurposeRemitToFlag: b,
  InactiveDate: d,
  ...who,
};

export const ITEM_SCHEMA: Schema = {
  ItemId: i,
  OrganizationId: i,
  OrganizationCode: s,
  ItemNumber: s,
  ItemDescription: s,
  ItemClass: s,
  PrimaryUOMValue: s,
  UnitWeightQuantity: n,
  WeightUOMValue: s,
  UnitLengthQuantity: n,
  UnitWidthQuantity: n,
  UnitHeightQuantity: n,
  DimensionUOMValue: s,
  UnitVolumeQuantity: n,
  VolumeUOMValue: s,
  ...who,
};
