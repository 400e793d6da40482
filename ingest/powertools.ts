import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { IngestSummary } from './summary';

/** Metric names the CDK alarms rely on (namespace `dasboard`, dimension service=ingest). */
export const METRIC = {
  recordsReceived: 'RecordsReceived',
  recordsQuarantined: 'RecordsQuarantined',
  recordsRetried: 'RecordsRetried',
  eventsStored: 'EventsStored',
  eventsFiltered: 'EventsFiltered',
  heartbeats: 'Heartbeats',
  kmsCalls: 'KmsDecryptCalls',
  objectsWritten: 'ObjectsWritten',
  rawArchiveSkipped: 'RawArchiveSkipped',
} as const;

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ingest' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'dasboard',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ingest',
});

/** Counts only: statement text, users and keys never reach logs or metrics. */
export function recordSummaryMetrics(s: IngestSummary): void {
  metrics.addMetric(METRIC.recordsReceived, MetricUnit.Count, s.records.received);
  metrics.addMetric(
    METRIC.recordsQuarantined,
    MetricUnit.Count,
    s.records.quarantined + (s.quarantine['event-invalid'] ?? 0),
  );
  metrics.addMetric(METRIC.recordsRetried, MetricUnit.Count, s.records.retryable);
  metrics.addMetric(METRIC.eventsStored, MetricUnit.Count, s.events.stored);
  metrics.addMetric(METRIC.heartbeats, MetricUnit.Count, s.heartbeats);
  metrics.addMetric(METRIC.kmsCalls, MetricUnit.Count, s.kmsCalls);
  metrics.addMetric(METRIC.objectsWritten, MetricUnit.Count, s.objects.activity + s.objects.quarantine);
  const filtered = Object.values(s.filtered).reduce((a, b) => a + b, 0);
  metrics.addMetric(METRIC.eventsFiltered, MetricUnit.Count, filtered);
  for (const [rule, n] of Object.entries(s.filtered)) {
    const single = metrics.singleMetric();
    single.addDimension('rule', rule);
    single.addMetric(METRIC.eventsFiltered, MetricUnit.Count, n);
  }
}
