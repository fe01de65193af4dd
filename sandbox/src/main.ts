/**
 * `npm run sandbox`: the Fusion and UPS sandboxes as standalone processes, for curl and demos.
 * Ports: SANDBOX_FUSION_PORT (default 4020), SANDBOX_UPS_PORT (default 4010); 0 picks free ones.
 */
import { DEMO_CLIENT } from './ups/index.js';
import { fusionSandboxBanner } from './fusion/index.js';
import { startSandboxes } from './index.js';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`sandbox: ${name} must be a port number 0–65535, got "${raw}"\n`);
    process.exit(2);
  }
  return port;
}

function upsBanner(baseUrl: string): string {
  const c = DEMO_CLIENT;
  return [
    `UPS sandbox         ${baseUrl}`,
    `  OAuth token       POST ${baseUrl}/security/v1/oauth/token   Basic ${c.clientId}:${c.clientSecret}   grant_type=client_credentials`,
    `  Shipper number    ${c.shipperNumbers.join(', ')}`,
    `  APIs              ${baseUrl}/api/{addressvalidation,rating,shipments,labels,track,quantumview}/...`,
    `  Scenario API      ${baseUrl}/_sandbox/ups   (see sandbox/src/ups/README.md)`,
    `  Try               TOKEN=$(curl -s -u ${c.clientId}:${c.clientSecret} -d grant_type=client_credentials ${baseUrl}/security/v1/oauth/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
  ].join('\n');
}

const sandboxes = await startSandboxes({
  fusionPort: portFrom('SANDBOX_FUSION_PORT', 4020),
  upsPort: portFrom('SANDBOX_UPS_PORT', 4010),
});
process.stdout.write(
  `${fusionSandboxBanner(sandboxes.fusion.baseUrl)}\n\n${upsBanner(sandboxes.ups.baseUrl)}\n\nCtrl-C stops both.\n`,
);

const stop = () => {
  void sandboxes.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
