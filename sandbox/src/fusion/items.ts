/**
 * `itemsV2`: the item master, where unit weight (`UnitWeightQuantity` + `WeightUOMValue`) and dimensions
 * of a PO line's item live. Keys are opaque (ItemId + OrganizationId in Fusion).
 */
import express, { type Router } from 'express';
import { type ResourceType } from './adf-query.js';
import { readOnlyResource } from './adf-resources.js';
import { ITEM_SCHEMA } from './reference-schemas.js';
import type { FusionState } from './state.js';

export const itemType: ResourceType = { name: 'itemsV2', schema: ITEM_SCHEMA, children: {} };

export function itemRoutes(state: FusionState): Router {
  const router = express.Router();
  const resource = readOnlyResource('fscmRestApi', itemType, () =>
    [...state.items.values()].map((i) => ({
      type: itemType,
      key: i.uniqId,
      attrs: i.row,
      children: () => [],
    })),
  );
  router.get(resource.path, resource.get);
  router.all(resource.path, resource.refuse);
  return router;
}
