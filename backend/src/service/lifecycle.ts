/**
 * Graceful shutdown. Parts of the service register a stop function as they start; on SIGTERM (or a call
 * to `shutdown`) they are stopped in reverse order of start: schedulers stop first so no new work begins,
 * in-flight work finishes, the HTTP server drains, and the database pools close last.
 */
export interface Stoppable {
  name: string;
  /**
   * `intake` parts bring work in (schedulers, the HTTP listener) and stop before in-flight work drains;
   * `resource` parts serve that work (database pools, sandboxes) and close after it.
   */
  kind: 'intake' | 'resource';
  stop(): Promise<void>;
}

export interface LifecycleLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export class Lifecycle {
  private readonly parts: Stoppable[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly logger: LifecycleLogger,
    private readonly drainTimeoutMs = 25_000,
  ) {}

  get isShuttingDown(): boolean {
    return this.stopping !== null;
  }

  /** Registers a part to stop on shutdown; parts stop in reverse order of registration. */
  add(part: Stoppable): void {
    this.parts.push(part);
  }

  /**
   * Runs a unit of work that shutdown waits for (one PO cycle, one webhook write). Refuses new work once
   * shutdown has begun, so a scheduler tick racing the signal does not start a label it cannot finish.
   */
  track<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new Error('service is shutting down; work not started'));
    const p = work();
    this.inFlight.add(p);
    const forget = () => this.inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  shutdown(reason: string): Promise<void> {
    this.stopping ??= this.run(reason);
    return this.stopping;
  }

  /** SIGTERM and SIGINT start a graceful shutdown; a second signal exits at once. */
  installSignalHandlers(exit: (code: number) => void = (code) => process.exit(code)): void {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        this.logger.error('second signal: exiting without waiting', { signal });
        exit(1);
        return;
      }
      this.shutdown(signal).then(
        () => exit(0),
        () => exit(1),
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  private async run(reason: string): Promise<void> {
    this.logger.info('shutdown started', { reason, inFlight: this.inFlight.size });
    const stopPart = async (part: Stoppable) => {
      try {
        await part.stop();
        this.logger.info('stopped', { part: part.name });
      } catch (err) {
        this.logger.error('stop failed', {
          part: part.name,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    };
    const parts = [...this.parts].reverse();
    for (const part of parts.filter((p) => p.kind === 'intake')) await stopPart(part);
    await this.drain();
    for (const part of parts.filter((p) => p.kind === 'resource')) await stopPart(part);
    this.logger.info('shutdown complete', { reason });
  }

  private async drain(): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.drainTimeoutMs);
    });
    const result = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => 'done' as const),
      timeout,
    ]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.logger.error('in-flight work did not finish before the drain timeout', {
        pending: this.inFlight.size,
      });
    }
  }
}
