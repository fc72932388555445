/** The demo fabric's sites and Gratia probes: compute elements, glidein submit hosts and the FermiCloud VM probe. */

/** Gratia `Grid` values the demo reports (from `JobUsageRecord_Meta.Grid`). */
export const DEMO_GRIDS = ['OSG', 'OSG-ITB', 'Local'] as const;
export type DemoGrid = (typeof DEMO_GRIDS)[number];

/** What a probe reports: jobs of a compute element, payloads of glideins from a submit host, or VMs. */
export const PROBE_ROLES = ['ce', 'submit', 'vm'] as const;
export type ProbeRole = (typeof PROBE_ROLES)[number];

export interface DemoSite {
  /** `Site.SiteName`; pilot records name it in `HostDescription` when a glidein ran there. */
  name: string;
  /** DNS domain of its worker nodes. */
  domain: string;
  /** The VOs that own the site (OIM ownership): everyone else's usage there is opportunistic. */
  owners: readonly string[];
  /** A site-wide outage: no jobs end there for `days` days from `at` (a fraction of the window). */
  outage?: { at: number; days: number };
}

export interface DemoProbe {
  /** `Probe.probename`: `<batch system>:<host>`, as Gratia probes name themselves. */
  name: string;
  site: string;
  grid: DemoGrid;
  role: ProbeRole;
  /** The probe stopped reporting this many days before `now` (for "probes not reporting" reports). */
  silentDays?: number;
}

export const DEMO_SITES: readonly DemoSite[] = [
  { name: 'Nebraska', domain: 'red.hcc.unl.edu', owners: ['cms'] },
  { name: 'Crane', domain: 'crane.hcc.unl.edu', owners: ['hcc'] },
  { name: 'UCSDT2', domain: 't2.ucsd.edu', owners: ['cms'] },
  { name: 'Purdue-Hadoop', domain: 'rcac.purdue.edu', owners: ['cms'] },
  { name: 'MWT2', domain: 'mwt2.org', owners: ['atlas'], outage: { at: 0.55, days: 2 } },
  { name: 'AGLT2', domain: 'aglt2.org', owners: ['atlas'] },
  { name: 'BNL_ATLAS_1', domain: 'racf.bnl.gov', owners: ['atlas'] },
  {
    name: 'FNAL_FERMIGRID',
    domain: 'fnal.gov',
    owners: ['fermilab', 'nova', 'dune', 'mu2e', 'uboone', 'minerva', 'des', 'cdf'],
  },
  { name: 'GLOW', domain: 'chtc.wisc.edu', owners: ['glow', 'icecube'] },
  { name: 'SU-OG', domain: 'syr.edu', owners: [] },
  { name: 'Clemson-Palmetto', domain: 'palmetto.clemson.edu', owners: [] },
  { name: 'UConn-OSG', domain: 'phys.uconn.edu', owners: [] },
  { name: 'CHTC-ITB', domain: 'itb.chtc.wisc.edu', owners: ['glow'] },
  { name: 'FermiCloud', domain: 'fnal.gov', owners: ['fermilab'] },
  // Submit sites: their probes report glidein payloads that ran elsewhere.
  { name: 'OSG_CONNECT', domain: 'osgconnect.net', owners: [] },
  { name: 'OSG-XSEDE', domain: 'opensciencegrid.org', owners: [] },
  { name: 'FNAL_FIFE', domain: 'fnal.gov', owners: [] },
  { name: 'LIGO-CIT', domain: 'ligo.caltech.edu', owners: [] },
  { name: 'IceCube-Submit', domain: 'icecube.wisc.edu', owners: [] },
  { name: 'JLab-GlueX', domain: 'jlab.org', owners: [] },
];

export const DEMO_PROBES: readonly DemoProbe[] = [
  { name: 'condor:red-gw1.unl.edu', site: 'Nebraska', grid: 'OSG', role: 'ce' },
  { name: 'condor:red-gw2.unl.edu', site: 'Nebraska', grid: 'OSG', role: 'ce' },
  { name: 'slurm:crane.unl.edu', site: 'Crane', grid: 'Local', role: 'ce' },
  { name: 'condor:crane-ce1.unl.edu', site: 'Crane', grid: 'OSG', role: 'ce' },
  { name: 'condor:osg-gw-1.t2.ucsd.edu', site: 'UCSDT2', grid: 'OSG', role: 'ce' },
  { name: 'pbs-lsf:hadoop-osg.rcac.purdue.edu', site: 'Purdue-Hadoop', grid: 'OSG', role: 'ce', silentDays: 3 },
  { name: 'condor:uct2-gk.mwt2.org', site: 'MWT2', grid: 'OSG', role: 'ce' },
  { name: 'condor:gate01.aglt2.org', site: 'AGLT2', grid: 'OSG', role: 'ce' },
  { name: 'condor:gridgk01.racf.bnl.gov', site: 'BNL_ATLAS_1', grid: 'OSG', role: 'ce' },
  { name: 'condor:fnpcosg1.fnal.gov', site: 'FNAL_FERMIGRID', grid: 'OSG', role: 'ce' },
  { name: 'condor:fermigridosg1.fnal.gov', site: 'FNAL_FERMIGRID', grid: 'OSG', role: 'ce' },
  { name: 'condor:cm.chtc.wisc.edu', site: 'GLOW', grid: 'OSG', role: 'ce' },
  { name: 'slurm:its-condor-ce1.syr.edu', site: 'SU-OG', grid: 'OSG', role: 'ce' },
  { name: 'pbs-lsf:osg-gw.palmetto.clemson.edu', site: 'Clemson-Palmetto', grid: 'OSG', role: 'ce', silentDays: 9 },
  { name: 'slurm:gridgk.phys.uconn.edu', site: 'UConn-OSG', grid: 'OSG', role: 'ce' },
  { name: 'condor:itb-ce1.chtc.wisc.edu', site: 'CHTC-ITB', grid: 'OSG-ITB', role: 'ce' },
  { name: 'onevm:fermicloudui.fnal.gov', site: 'FermiCloud', grid: 'Local', role: 'vm' },
  { name: 'condor:login.osgconnect.net', site: 'OSG_CONNECT', grid: 'OSG', role: 'submit' },
  { name: 'condor:xd-login.opensciencegrid.org', site: 'OSG-XSEDE', grid: 'OSG', role: 'submit' },
  { name: 'condor:fifebatch1.fnal.gov', site: 'FNAL_FIFE', grid: 'OSG', role: 'submit' },
  { name: 'condor:ldas-osg.ligo.caltech.edu', site: 'LIGO-CIT', grid: 'OSG', role: 'submit' },
  { name: 'condor:sub-1.icecube.wisc.edu', site: 'IceCube-Submit', grid: 'OSG', role: 'submit' },
  { name: 'condor:scosg16.jlab.org', site: 'JLab-GlueX', grid: 'OSG', role: 'submit' },
];

/** The host part of a probe name (`condor:ce1.unl.edu` → `ce1.unl.edu`). */
export function probeHost(probe: DemoProbe): string {
  return probe.name.slice(probe.name.indexOf(':') + 1);
}

/** The batch system part of a probe name (`condor`, `slurm`, `pbs-lsf`, `onevm`). */
export function probeSystem(probe: DemoProbe): string {
  return probe.name.slice(0, probe.name.indexOf(':'));
}

/**
 * VO → resource ownership of the demo fabric, as Gratia-web's opportunistic filter reads it from OIM
 * (`[(vo_lower, resource)]`): lets the opportunistic graphs tell owned from opportunistic usage of demo data.
 */
export const DEMO_VO_OWNERSHIP: readonly { vo: string; resource: string }[] = DEMO_SITES.flatMap((site) =>
  site.owners.map((vo) => ({ vo: vo.toLowerCase(), resource: site.name })),
);
