/**
 * ConfigError: what is wrong with the configuration, one line per problem, each naming the key where the
 * user can fix it (the environment variable, or the file and key) and what was expected.
 * `message` is the first problem (plus a count), so a start failure prints one useful line.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    const first = problems[0] ?? 'invalid configuration';
    super(
      problems.length > 1
        ? `${first} (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : first,
    );
    this.name = 'ConfigError';
  }
}
