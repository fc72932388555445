/** What the exports take from configuration: the site, the cloud service, the benchmark, the Gratia probe identity. */

export interface ExportSettings {
  /** The accounting time zone months are cut in (IANA name; default `UTC`). */
  timeZone: string;
  /** GOCDB site name (APEL SiteName, Gratia SiteName, CAR Site). */
  siteName: string;
  /** APEL v0.4 CloudComputeService (default: the site name, as cASO does). */
  cloudComputeService: string;
  /** APEL CloudType (default `OpenNebula`). */
  cloudType: string;
  /** APEL v0.4 BenchmarkType and Benchmark (a decimal string); null: sent as NULL (APEL stores 0.0). */
  benchmarkType: string | null;
  benchmark: string | null;
  /** Records per APEL message (default 100, cASO's `ssm.max_size`). */
  recordsPerMessage: number;
  /** The URL each OpenNebula endpoint name stands for in APEL VMUUIDs (default: the name itself). */
  endpointUrls: Readonly<Record<string, string>>;
  /** Gratia's ProbeName (default `onevm:<site>`) and Grid (default `OSG`). */
  probeName: string;
  grid: string;
  /** The host part of Gratia RecordIdentity ids (default `appliance`). */
  recordHost: string;
}

/** Settings with every default filled in; `siteName` is the one a site must set. */
export function exportSettings(partial: Partial<ExportSettings> & { siteName: string }): ExportSettings {
  return {
    timeZone: 'UTC',
    cloudComputeService: partial.siteName,
    cloudType: 'OpenNebula',
    benchmarkType: null,
    benchmark: null,
    recordsPerMessage: 100,
    endpointUrls: {},
    probeName: `onevm:${partial.siteName}`,
    grid: 'OSG',
    recordHost: 'appliance',
    ...partial,
  };
}
