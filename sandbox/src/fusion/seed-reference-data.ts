/** Generates the reference data: business units, locations, suppliers with sites and addresses, items. */
import {
  BAD_SHIP_TO_LOCATIONS,
  BILL_TO,
  BUSINESS_UNITS,
  SHIP_TO_LOCATIONS,
  SUPPLIERS,
} from './seed-catalog.js';
import { ITEMS, type CatalogItem } from './seed-items.js';
import type { Row } from './schemas.js';
import type { FusionState } from './state.js';

export function seedReferenceData(state: FusionState): void {
  const now = state.nowIso();
  state.businessUnits = BUSINESS_UNITS.map((b) => ({ ...b }));
  for (const loc of [BILL_TO, ...SHIP_TO_LOCATIONS, ...BAD_SHIP_TO_LOCATIONS]) {
    const id = state.nextId();
    const a = loc.address;
    state.locations.set(id, {
      row: {
        LocationId: id,
        LocationCode: loc.code,
        LocationName: loc.name,
        Description: loc.name,
        ActiveStatus: 'A',
        SetName: 'Common Set',
        AddressLine1: a.line1,
        AddressLine2: a.line2 ?? null,
        AddressLine3: null,
        AddressLine4: null,
        TownOrCity: a.city,
        Region1: a.county,
        Region2: a.state,
        Region3: null,
        PostalCode: a.postalCode === '' ? null : a.postalCode,
        Country: a.country,
        ShipToSiteFlag: loc !== BILL_TO,
        ReceivingSiteFlag: loc !== BILL_TO,
        BillToSiteFlag: loc === BILL_TO,
        OfficeSiteFlag: loc === BILL_TO || loc.code === 'DEN-OFC',
        MainPhoneNumber: null,
        CreationDate: now,
        CreatedBy: 'SETUP',
        LastUpdateDate: now,
        LastUpdatedBy: 'SETUP',
      },
    });
  }
  for (const sup of SUPPLIERS) {
    const supplierId = state.nextId();
    const sites: Row[] = [];
    const addresses: Row[] = [];
    for (const site of sup.sites) {
      const addressId = state.nextId();
      const a = site.address;
      addresses.push({
        SupplierAddressId: addressId,
        AddressName: site.code,
        CountryCode: a.country,
        Country: 'United States',
        AddressLine1: a.line1,
        AddressLine2: a.line2 ?? null,
        AddressLine3: null,
        AddressLine4: null,
        City: a.city,
        State: a.state,
        Province: null,
        County: a.county,
        PostalCode: a.postalCode === '' ? null : a.postalCode,
        PostalCodeExtension: null,
        PhoneNumber: null,
        Email: site.email,
        AddressPurposeOrderingFlag: true,
        AddressPurposeRemitToFlag: true,
        InactiveDate: null,
        CreationDate: now,
        CreatedBy: 'SETUP',
        LastUpdateDate: now,
        LastUpdatedBy: 'SETUP',
      });
      for (const bu of BUSINESS_UNITS) {
        sites.push({
          SupplierSiteId: state.nextId(),
          SupplierSite: site.code,
          ProcurementBUId: bu.id,
          ProcurementBU: bu.name,
          SupplierAddressId: addressId,
          SupplierAddressName: site.code,
          SitePurposePurchasingFlag: true,
          SitePurposePayFlag: true,
          Email: site.email,
          InactiveDate: null,
          CreationDate: now,
          CreatedBy: 'SETUP',
          LastUpdateDate: now,
          LastUpdatedBy: 'SETUP',
        });
      }
    }
    const row: Row = {
      SupplierId: supplierId,
      Supplier: sup.name,
      SupplierNumber: sup.number,
      AlternateName: null,
      TaxOrganizationType: 'Corporation',
      SupplierType: 'Supplier',
      Status: 'ACTIVE',
      CreationDate: now,
      CreatedBy: 'SETUP',
      LastUpdateDate: now,
      LastUpdatedBy: 'SETUP',
    };
    state.suppliers.set(supplierId, { row, sites, addresses });
  }
  for (const item of ITEMS) {
    const id = state.nextId();
    const entry = { row: itemRow(id, item, now), uniqId: '' };
    entry.uniqId = state.opaqueKey('item', id, entry);
    state.items.set(id, entry);
  }
}

function itemRow(id: number, item: CatalogItem, now: string): Row {
  return {
    ItemId: id,
    OrganizationId: 300000046987210,
    OrganizationCode: 'MST',
    ItemNumber: item.number,
    ItemDescription: item.description,
    ItemClass: item.category,
    PrimaryUOMValue: item.uom,
    UnitWeightQuantity: item.weight,
    WeightUOMValue: item.weightUom === 'LBS' ? 'Pound' : item.weightUom === 'KG' ? 'Kilogram' : null,
    UnitLengthQuantity: item.dims?.[0] ?? null,
    UnitWidthQuantity: item.dims?.[1] ?? null,
    UnitHeightQuantity: item.dims?.[2] ?? null,
    DimensionUOMValue: item.dims ? 'Inch' : null,
    UnitVolumeQuantity: null,
    VolumeUOMValue: null,
    CreationDate: now,
    CreatedBy: 'SETUP',
    LastUpdateDate: now,
    LastUpdatedBy: 'SETUP',
  };
}
