/**
 * Rule tables for selection (is this PO for UPS?) and account mapping (which shipper number, service,
 * packaging…). Lower precedence number wins; the pipeline evaluates rules in the order returned here.
 * `match` and `action` are opaque JSON owned by the pipeline's rule evaluator.
 */
import type { RepoContext } from './context.js';
import { inTransaction, newId, toDate } from './context.js';

export type RuleSet = 'selection' | 'account';

export interface MappingRule {
  id: string;
  tenantId: string;
  ruleSet: RuleSet;
  precedence: number;
  name: string;
  match: Record<string, unknown>;
  action: Record<string, unknown>;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type MappingRuleInput = Pick<MappingRule, 'ruleSet' | 'precedence' | 'name' | 'match' | 'action'> & {
  enabled?: boolean;
};

export function mappingRulesRepository(ctx: RepoContext) {
  const { db, d } = ctx;
  const toRule = (r: Record<string, unknown>): MappingRule => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    ruleSet: r.rule_set as RuleSet,
    precedence: Number(r.precedence),
    name: String(r.name),
    match: d.parseJson<Record<string, unknown>>(r.match) ?? {},
    action: d.parseJson<Record<string, unknown>>(r.action) ?? {},
    enabled: d.parseBool(r.enabled),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  });
  const insertRule = async (
    c: RepoContext,
    tenantId: string,
    rule: MappingRuleInput,
  ): Promise<MappingRule> => {
    const now = c.now();
    const row = {
      tenant_id: tenantId,
      id: newId(),
      rule_set: rule.ruleSet,
      precedence: rule.precedence,
      name: rule.name,
      match: d.json(rule.match),
      action: d.json(rule.action),
      enabled: d.bool(rule.enabled ?? true),
      created_at: now,
      updated_at: now,
    };
    await c.db.insertInto('mapping_rules').values(row).execute();
    return toRule({ ...row, match: rule.match, action: rule.action });
  };
  return {
    add: (tenantId: string, rule: MappingRuleInput) => insertRule(ctx, tenantId, rule),
    /** Rules of one set by precedence (then name, so ties are stable). */
    async list(
      tenantId: string,
      ruleSet: RuleSet,
      options: { enabledOnly?: boolean } = {},
    ): Promise<MappingRule[]> {
      let q = db
        .selectFrom('mapping_rules')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('rule_set', '=', ruleSet);
      if (options.enabledOnly) q = q.where('enabled', '=', d.bool(true));
      return (await q.orderBy('precedence').orderBy('name').execute()).map(toRule);
    },
    async remove(tenantId: string, id: string): Promise<boolean> {
      const r = await db
        .deleteFrom('mapping_rules')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    /** Replaces a whole rule set atomically (configuration reload). */
    async replaceAll(
      tenantId: string,
      ruleSet: RuleSet,
      rules: Omit<MappingRuleInput, 'ruleSet'>[],
    ): Promise<MappingRule[]> {
      return inTransaction(ctx, async (tx) => {
        await tx.db
          .deleteFrom('mapping_rules')
          .where('tenant_id', '=', tenantId)
          .where('rule_set', '=', ruleSet)
          .execute();
        const out: MappingRule[] = [];
        for (const rule of rules) out.push(await insertRule(tx, tenantId, { ...rule, ruleSet }));
        return out;
      });
    },
  };
}

export type MappingRulesRepository = ReturnType<typeof mappingRulesRepository>;
