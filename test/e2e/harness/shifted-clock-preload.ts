/**
 * Preloaded into the connector child process (`node --import tsx --import <this>`): its clock runs
 * E2E_CLOCK_OFFSET_MS ahead, as if it were started that much later.
 */
import { installShiftedClock } from './shifted-clock.js';

const offset = Number(process.env.E2E_CLOCK_OFFSET_MS ?? '0');
if (offset) installShiftedClock(offset);
