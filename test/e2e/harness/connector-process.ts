/**
 * The connector as a separate process (`backend/src/cli/main.ts`), so a test can SIGKILL it at a chosen
 * moment and start it again over the same database. The child's clock may run ahead of the wall clock
 * (shifted-clock-preload.ts): a restart "later" without waiting for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const preload = path.join(repoRoot, 'test/e2e/harness/shifted-clock-preload.ts');

export interface ConnectorProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnConnector(
  args: string[],
  env: Record<string, string>,
  clockOffsetMs = 0,
): ConnectorProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', preload, path.join(repoRoot, 'backend/src/cli/main.ts'), ...args],
    {
      cwd: repoRoot,
      env: { ...env, E2E_CLOCK_OFFSET_MS: String(clockOffsetMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Runs `sync --once` to its end; returns how many POs it processed (from its summary line). */
export async function syncOnce(
  configFile: string,
  env: Record<string, string>,
  clockOffsetMs: number,
  timeoutMs = 90_000,
): Promise<{ processed: number; output: string }> {
  const p = spawnConnector(['sync', '--once', '--config', configFile], env, clockOffsetMs);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  const output = p.output();
  if (code !== 0) throw new Error(`sync --once ended with ${code ?? signal}:\n${output.slice(-3000)}`);
  const counts = [...output.matchAll(/processed (\d+) /g)].map((m) => Number(m[1]));
  if (counts.length === 0) throw new Error(`sync --once printed no summary:\n${output.slice(-3000)}`);
  return { processed: counts.reduce((a, b) => a + b, 0), output };
}
