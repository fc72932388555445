/**
 * Writes the APEL messages of a run of months into the SSM outgoing directory. Idempotent by APEL's rule: the
 * server keeps one record per VM per month (VMUUID, month, year) and a newer one replaces it, so writing a month
 * again resends the same records and changes nothing but their measurement.
 */
import type { Queryable } from '../../store/index.js';
import { apelMessages, type ApelVersion } from './apel-message.js';
import { apelRecordsOfMonth } from './apel-records.js';
import { monthsBetween } from './export-period.js';
import type { ExportSettings } from './export-settings.js';
import { addSsmMessage, type SsmOutgoingOptions } from './ssm-outgoing.js';

export interface ApelRepublishReport {
  months: { month: string; records: number; messages: string[] }[];
  records: number;
  messages: number;
}

/** `from` and `to` are months `YYYY-MM` in the accounting time zone, both included. */
export async function republishApel(
  q: Queryable,
  options: { from: string; to: string; version: ApelVersion; outgoingDir: string; settings: ExportSettings; ssm?: SsmOutgoingOptions },
): Promise<ApelRepublishReport> {
  const report: ApelRepublishReport = { months: [], records: 0, messages: 0 };
  for (const month of monthsBetween(options.from, options.to, options.settings.timeZone)) {
    const records = await apelRecordsOfMonth(q, month, options.settings.endpointUrls);
    const names = apelMessages(records, options.version, options.settings).map((m) => addSsmMessage(options.outgoingDir, m, options.ssm));
    report.months.push({ month: month.label, records: records.length, messages: names });
    report.records += records.length;
    report.messages += names.length;
  }
  return report;
}
