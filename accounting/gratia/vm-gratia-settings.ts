/** What the Gratia rows of VM usage take from configuration: site, grid, project, VO of each group, the day's zone. */

/** Settings of the VM → Gratia writer and summariser; {@link defaultVmGratiaSettings} fills the gaps. */
export interface VmGratiaSettings {
  /** `SiteName` of the rows and their `Site`/`Probe`: per endpoint, else `defaultSite`, else the endpoint's name. */
  siteByEndpoint: Readonly<Record<string, string>>;
  defaultSite: string | null;
  /** `Grid` of the records (Gratia's default `OSG`). */
  grid: string;
  /** `ProjectName` of every VM record (the Gratia probe hard-codes `FermiCloud`); null leaves it unset. */
  projectName: string | null;
  /** OpenNebula group name → VO name; a group not listed is its own VO. */
  voByGroup: Readonly<Record<string, string>>;
  /** The accounting time zone: a summary day is a local day in it (IANA name, default `UTC`). */
  timeZone: string;
}

export function defaultVmGratiaSettings(partial: Partial<VmGratiaSettings> = {}): VmGratiaSettings {
  return {
    siteByEndpoint: {},
    defaultSite: null,
    grid: 'OSG',
    projectName: null,
    voByGroup: {},
    timeZone: 'UTC',
    ...partial,
  };
}

/** The probe name of an endpoint's records, as the Gratia onevm probe names itself (`onevm:<host>`). */
export const vmProbeName = (endpoint: string) => `onevm:${endpoint}`;

export const vmSiteName = (s: VmGratiaSettings, endpoint: string) => s.siteByEndpoint[endpoint] ?? s.defaultSite ?? endpoint;

export const vmVoName = (s: VmGratiaSettings, groupName: string) => s.voByGroup[groupName] ?? groupName;
