import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial.ts';
import { migration0002FeedbackOptimizationCache } from './0002-feedback-optimization-cache.ts';
import { migration0003AnalyticsIndexes } from './0003-analytics-indexes.ts';
import { migration0004RequestRollups } from './0004-request-rollups.ts';
import { migration0005DailyRollups } from './0005-daily-rollups.ts';
import { migration0006RequestOutcomeIndex } from './0006-request-outcome-index.ts';
import { migration0008Learning } from './0008-learning.ts';
import { migration0009Alerts } from './0009-alerts.ts';
import { migration0012DecisionTrust } from './0012-decision-trust.ts';
import { migration0013DecisionLanguage } from './0013-decision-language.ts';
import { migration0016RollupServerFailures } from './0016-rollup-server-failures.ts';
import { migration0017DecisionRequestIndex } from './0017-decision-request-index.ts';
import { migration0018ValueHistograms } from './0018-value-histograms.ts';

/** Listed by hand, not globbed from disk, so migrations work from a bundle and under any loader. Names sort in apply order. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': migration0001Initial,
  '0002-feedback-optimization-cache': migration0002FeedbackOptimizationCache,
  '0003-analytics-indexes': migration0003AnalyticsIndexes,
  '0004-request-rollups': migration0004RequestRollups,
  '0005-daily-rollups': migration0005DailyRollups,
  '0006-request-outcome-index': migration0006RequestOutcomeIndex,
  '0008-learning': migration0008Learning,
  '0009-alerts': migration0009Alerts,
  '0012-decision-trust': migration0012DecisionTrust,
  '0013-decision-language': migration0013DecisionLanguage,
  '0016-rollup-server-failures': migration0016RollupServerFailures,
  '0017-decision-request-index': migration0017DecisionRequestIndex,
  '0018-value-histograms': migration0018ValueHistograms,
};

export const staticMigrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
