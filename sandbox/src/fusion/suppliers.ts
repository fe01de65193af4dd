/**
 * `suppliers` with child `sites` (SupplierSiteId → SupplierAddressId) and `addresses` (structured
 * address lines, city, state, postal code, country): where a connector finds a ship-from address for the
 * PO's SupplierSiteId.
 */
import express, { type Router } from 'express';
import { type AdfNode, type ResourceType } from './adf-query.js';
import { readOnlyResource } from './adf-resources.js';
import { type Row } from './schemas.js';
import { SUPPLIER_ADDRESS_SCHEMA, SUPPLIER_SCHEMA, SUPPLIER_SITE_SCHEMA } from './reference-schemas.js';
import type { FusionState, Supplier } from './state.js';

const sites: ResourceType = { name: 'sites', schema: SUPPLIER_SITE_SCHEMA, children: {} };
const addresses: ResourceType = { name: 'addresses', schema: SUPPLIER_ADDRESS_SCHEMA, children: {} };
export const supplierType: ResourceType = {
  name: 'suppliers',
  schema: SUPPLIER_SCHEMA,
  children: { sites, addresses },
};

const leaf = (type: ResourceType, key: unknown, attrs: Row): AdfNode => ({
  type,
  key: String(key),
  attrs,
  children: () => [],
});

function supplierNode(s: Supplier): AdfNode {
  return {
    type: supplierType,
    key: String(s.row.SupplierId),
    attrs: s.row,
    children: (acc) =>
      acc === 'sites'
        ? s.sites.map((x) => leaf(sites, x.SupplierSiteId, x))
        : s.addresses.map((a) => leaf(addresses, a.SupplierAddressId, a)),
  };
}

export function supplierRoutes(state: FusionState): Router {
  const router = express.Router();
  const resource = readOnlyResource('fscmRestApi', supplierType, () =>
    [...state.suppliers.values()].map(supplierNode),
  );
  router.get(resource.path, resource.get);
  router.all(resource.path, resource.refuse);
  return router;
}
