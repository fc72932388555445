/**
 * The `AccountingExport` class type: who the exports say they are (site, cloud service, benchmark, Gratia probe) and
 * where APEL messages go. One class per appliance; `appliance check-config` names the file and line of each mistake.
 */
import { objectsOfType, warnUnknownAttributes, type ClassTypeHandler, type LoadedConfig } from '../../grammar/index.js';
import { exportSettings, type ExportSettings } from './export-settings.js';

export interface AccountingExportConfig {
  settings: ExportSettings;
  /** The SSM outgoing directory (`ssmsend`'s `[messaging] path`); null: `<data dir>/apel/outgoing`. */
  outgoingDir: string | null;
}

const TEXT = ['site_name', 'cloud_compute_service', 'cloud_type', 'benchmark_type', 'probe_name', 'grid', 'record_host'] as const;
const KNOWN = [...TEXT, 'benchmark', 'records_per_message', 'endpoint_urls', 'outgoing_dir'];

/**
 * `<class type="AccountingExport" name="exports">`: `site_name` (required: the GOCDB site), `cloud_compute_service`,
 * `cloud_type`, `benchmark_type` with `benchmark` (a decimal), `records_per_message` (1-1000, default 100),
 * `endpoint_urls` (`name=URL` pairs separated by spaces or commas), `outgoing_dir`, `probe_name`, `grid`,
 * `record_host`. Months are those of the `Accounting` class's time_zone.
 */
export const accountingExportClassType: ClassTypeHandler<AccountingExportConfig> = {
  type: 'AccountingExport',
  build(cls, ctx) {
    const label = `AccountingExport "${cls.name}"`;
    const attr = cls.attributes;
    warnUnknownAttributes(cls, KNOWN, label, ctx);
    const text = (name: string) => (attr[name] ? ctx.expand(attr[name].value, attr[name].pos).trim() : '');
    const siteName = text('site_name');
    if (!siteName) ctx.issue(cls.pos, `${label}: needs <attribute name="site_name"> (the GOCDB site name APEL and Gratia report)`);
    const partial: Partial<ExportSettings> & { siteName: string } = { siteName: siteName || 'UNKNOWN' };
    if (text('cloud_compute_service')) partial.cloudComputeService = text('cloud_compute_service');
    if (text('cloud_type')) partial.cloudType = text('cloud_type');
    if (text('probe_name')) partial.probeName = text('probe_name');
    if (text('grid')) partial.grid = text('grid');
    if (text('record_host')) partial.recordHost = text('record_host');
    const benchmarkType = text('benchmark_type');
    const benchmark = text('benchmark');
    if (benchmark && !/^\d{1,7}(\.\d{1,3})?$/.test(benchmark)) {
      ctx.issue(attr.benchmark!.pos, `${label}: benchmark "${benchmark}" is not a decimal like 10.5 (APEL keeps 3 decimals)`);
    } else if ((benchmark === '') !== (benchmarkType === '')) {
      ctx.issue(cls.pos, `${label}: benchmark_type and benchmark go together (e.g. HEPSPEC and 10.5)`);
    } else if (benchmark) {
      partial.benchmarkType = benchmarkType;
      partial.benchmark = benchmark;
    }
    if (attr.records_per_message) {
      const n = /^\d+$/.test(text('records_per_message')) ? Number(text('records_per_message')) : NaN;
      if (n >= 1 && n <= 1000) partial.recordsPerMessage = n;
      else ctx.issue(attr.records_per_message.pos, `${label}: records_per_message "${attr.records_per_message.value}" is not a whole number from 1 to 1000`);
    }
    if (attr.endpoint_urls) {
      const urls: Record<string, string> = {};
      for (const pair of text('endpoint_urls').split(/[\s,]+/).filter(Boolean)) {
        const m = /^([\w.-]{1,64})=(https?:\/\/\S+)$/.exec(pair);
        if (m) urls[m[1]!] = m[2]!.replace(/\/+$/, '');
        else ctx.issue(attr.endpoint_urls.pos, `${label}: endpoint_urls entry "${pair}" is not name=https://host:port`);
      }
      partial.endpointUrls = urls;
    }
    return { settings: exportSettings(partial), outgoingDir: text('outgoing_dir') || null };
  },
};

/** The configured exports; null when the configuration has no `AccountingExport` class (no site to report as). */
export function accountingExportOf(config: LoadedConfig): AccountingExportConfig | null {
  return objectsOfType<AccountingExportConfig>(config, 'AccountingExport')[0]?.value ?? null;
}
