/** Every UPS request the connector sent, validated against UPS's own OpenAPI request schemas. */
import { loadUpsContracts } from '../../support/ups-contract.js';
import type { RecordedRequest } from './recording-proxy.js';

export interface ContractViolation {
  request: string;
  errors: string[];
}

export async function upsContractViolations(
  requests: readonly RecordedRequest[],
): Promise<ContractViolation[]> {
  const contracts = await loadUpsContracts();
  const violations: ContractViolation[] = [];
  for (const r of requests) {
    const pathOnly = r.path.split('?')[0] ?? r.path;
    const contentType = r.headers['content-type'];
    const result = contracts.validateRequest(
      r.method,
      pathOnly,
      r.body === '' ? undefined : r.body,
      typeof contentType === 'string' ? contentType : undefined,
    );
    if (!result.valid) violations.push({ request: `${r.method} ${r.path}`, errors: result.errors });
  }
  return violations;
}
