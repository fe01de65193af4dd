/** Per-tenant knobs of the pipeline, with the defaults a tenant gets when it sets nothing. */
import { DEFAULT_BACKOFF, type BackoffPolicy } from './failures.js';
import type { CostCenterSetting, MappingRule } from './map-account.js';
import { DEFAULT_POLL_SETTINGS, type PollSettings } from './poll.js';
import type { SelectionRule } from './select.js';
import type { TrackingWriteKind } from './write-back.js';

export interface PipelineSettings {
  selectionRules: SelectionRule[];
  mappingRules: MappingRule[];
  costCenter: CostCenterSetting;
  rateMode: 'rate' | 'shop';
  /** Default: an ASN. */
  writeBack: TrackingWriteKind[];
  poll: PollSettings;
  backoff: BackoffPolicy;
  /** How long an in-doubt intent must stay unseen at UPS before it counts as absent. */
  inDoubtConfirmAfterMs: number;
  /**
   * A `submitting` intent younger than this may still be in flight and is not recovered yet; it must be
   * longer than the UPS ship timeout. After a crash, recovery of an interrupted ship waits this long.
   */
  submitGraceMs: number;
  /** POs processed at once per cycle and instance. */
  concurrency: number;
  /** At most this many due POs per cycle. */
  batchSize: number;
  /** Lease on a PO while one worker processes it; longer than any single run. */
  leaseMs: number;
  addressCacheTtlMs: number;
  trackingUrl: (trackingNumber: string) => string;
  /** The tracking link attachment is titled "<attachmentTitle> <tracking number>". */
  attachmentTitle: string;
  /**
   * The status goes to the DFF and carries the tracking number segment too: the flexfield write-back is
   * then one change order (a second one would meet the first still pending approval).
   */
  statusCarriesTracking: boolean;
}

export const DEFAULT_PIPELINE_SETTINGS: Omit<PipelineSettings, 'selectionRules' | 'mappingRules'> = {
  costCenter: { segmentIndex: 1, delimiter: '-' },
  rateMode: 'rate',
  writeBack: ['asn'],
  poll: DEFAULT_POLL_SETTINGS,
  backoff: DEFAULT_BACKOFF,
  inDoubtConfirmAfterMs: 2 * 60_000,
  submitGraceMs: 2 * 60_000,
  concurrency: 4,
  batchSize: 200,
  leaseMs: 5 * 60_000,
  addressCacheTtlMs: 60 * 60_000,
  attachmentTitle: 'UPS tracking',
  statusCarriesTracking: false,
  trackingUrl: (tn) => `https://www.ups.com/track?tracknum=${encodeURIComponent(tn)}`,
};
