import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { describeFatal } from './fatal.js';

describe('describeFatal', () => {
  it('prints a config problem on one line with exit code 2', () => {
    const { line, exitCode } = describeFatal(
      new ConfigError(['CONNECTOR_PORT: expected an integer, got "80a"']),
    );
    expect(line).toMatch(/^fusion-ups: .*CONNECTOR_PORT/);
    expect(exitCode).toBe(2);
  });

  it('keeps only the first line of unexpected errors and masks secrets in it', () => {
    const { line, exitCode } = describeFatal(new Error('login failed with Bearer abc.def.ghi\n  at stack'));
    expect(line).not.toContain('abc.def.ghi');
    expect(line).not.toContain('at stack');
    expect(exitCode).toBe(1);
  });
});
