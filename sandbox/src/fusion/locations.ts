/**
 * Structured ship-to and bill-to addresses. A PO carries only a formatted `ShipToLocationAddress`; the
 * fields a UPS label needs come from the HCM `locations` resource, keyed by the PO's `ShipToLocationId`
 * (the REST source in a real pod is an open question in fusion.md §2.3; this is the candidate it names).
 */
import express, { type Router } from 'express';
import { type AdfNode, type ResourceType } from './adf-query.js';
import { readOnlyResource } from './adf-resources.js';
import { LOCATION_SCHEMA } from './reference-schemas.js';
import type { FusionState } from './state.js';

export const locationType: ResourceType = { name: 'locations', schema: LOCATION_SCHEMA, children: {} };

export function locationRoutes(state: FusionState): Router {
  const router = express.Router();
  const resource = readOnlyResource('hcmRestApi', locationType, () =>
    [...state.locations.values()].map((l): AdfNode => ({
      type: locationType,
      key: String(l.row.LocationId),
      attrs: l.row,
      children: () => [],
    })),
  );
  router.get(resource.path, resource.get);
  router.all(resource.path, resource.refuse);
  return router;
}
