/** The demo's VOs: their reported names (Gratia name corrections), users, projects, sizes and where they run. */

/** One `VONameCorrection` row: a `(VOName, ReportableVOName)` pair as probes report it, mapped to the VO. */
export interface DemoCorrection {
  voName: string;
  reportable: string;
}

export interface DemoUser {
  /** The X.509 subject: `CommonName` of the records (and their `KeyInfoContent` for non-pilot jobs). */
  dn: string;
  /** Local Unix account. */
  login: string;
  /** Share of the VO's jobs. */
  weight: number;
  /** Index into the VO's `corrections`: the name (and role) the user's jobs report. */
  correction: number;
}

/** A slice of a VO's jobs: through a CE probe (`Batch`), or as glidein payloads reported by a submit probe (`BatchPilot`). */
export interface DemoRun {
  probe: string;
  /** For payloads: the site the glidein ran at (`HostDescription`). */
  facility?: string;
  share: number;
}

export interface DemoVo {
  /** `VO.VOName`. */
  name: string;
  corrections: readonly DemoCorrection[];
  users: readonly DemoUser[];
  /** Jobs ending on a weekday at scale 1. */
  jobsPerDay: number;
  /** Weekend job rate relative to weekdays (production keeps running, analysis does not). */
  weekendFactor: number;
  /** Relative change of the job rate across the window (0.5: +50% from first to last day). */
  growth: number;
  /** The VO runs no jobs before this fraction of the window. */
  startsAt?: number;
  /** Median wall time of a job in hours. */
  wallHours: number;
  /** `[cores, weight]` of the VO's jobs. */
  cores: readonly (readonly [number, number])[];
  /** CPU time over cores × wall time for a successful job. */
  efficiency: number;
  failureRate: number;
  /** Raw `ProjectName`s the jobs report; none means `NULL`. */
  projects: readonly string[];
  runs: readonly DemoRun[];
}

const cilogon = (name: string, org: string, id: number) => `/DC=org/DC=cilogon/C=US/O=${org}/CN=${name} A${id}`;
const osgPerson = (name: string, id: number) => `/DC=org/DC=opensciencegrid/O=Open Science Grid/OU=People/CN=${name} ${id}`;
const fnal = (name: string, uid: string) => `/DC=gov/DC=fnal/O=Fermilab/OU=People/CN=${name}/CN=UID:${uid}`;
const cern = (login: string, id: number, name: string) => `/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=${login}/CN=${id}/CN=${name}`;
const user = (dn: string, login: string, weight: number, correction = 0): DemoUser => ({ dn, login, weight, correction });
const plain = (...names: string[]): DemoCorrection[] => names.map((n) => ({ voName: n, reportable: n }));
const fife = (exp: string, ...roles: string[]): DemoCorrection[] =>
  roles.map((r) => ({ voName: `/fermilab/${exp}/Role=${r}/Capability=NULL`, reportable: exp }));

/** Sizes span two orders of magnitude so that a "top N + Other" graph has both giants and a long tail. */
export const DEMO_VOS: readonly DemoVo[] = [
  {
    name: 'cms',
    corrections: [
      ...plain('cms', 'uscms'),
      { voName: '/cms/Role=production/Capability=NULL', reportable: 'cms' },
      { voName: '/cms/uscms/Role=cmsuser/Capability=NULL', reportable: 'cms' },
    ],
    users: [
      user(cern('cmsprd', 100001, 'Robot: CMS Production'), 'cmsprod', 6, 2),
      user(cilogon('Ada Kowalski', 'University of Nebraska-Lincoln', 10231), 'uscms01', 1, 1),
      user(cern('rmarino', 700412, 'Rosa Marino'), 'cms01', 1, 0),
      user(fnal('Tomas Lindqvist', 'tlindq'), 'uscms02', 1, 3),
      user(cilogon('Priya Raman', 'University of California, San Diego', 20877), 'uscms03', 0.5, 3),
    ],
    jobsPerDay: 320, weekendFactor: 0.9, growth: 0.05, wallHours: 5, cores: [[1, 0.45], [8, 0.55]],
    efficiency: 0.78, failureRate: 0.05, projects: [],
    runs: [
      { probe: 'condor:red-gw1.unl.edu', share: 0.18 }, { probe: 'condor:red-gw2.unl.edu', share: 0.12 },
      { probe: 'condor:osg-gw-1.t2.ucsd.edu', share: 0.25 }, { probe: 'pbs-lsf:hadoop-osg.rcac.purdue.edu', share: 0.22 },
      { probe: 'condor:crane-ce1.unl.edu', share: 0.06 }, { probe: 'slurm:its-condor-ce1.syr.edu', share: 0.05 },
      { probe: 'pbs-lsf:osg-gw.palmetto.clemson.edu', share: 0.04 },
      { probe: 'condor:xd-login.opensciencegrid.org', facility: 'UConn-OSG', share: 0.04 },
      { probe: 'condor:xd-login.opensciencegrid.org', facility: 'MWT2', share: 0.04 },
    ],
  },
  {
    name: 'atlas',
    corrections: [
      ...plain('atlas', 'usatlas'),
      { voName: '/atlas/usatlas/Role=production/Capability=NULL', reportable: 'atlas' },
      { voName: '/atlas/Role=pilot/Capability=NULL', reportable: 'atlas' },
    ],
    users: [
      user(cern('atlpilo1', 614260, 'ATLAS Pilot1'), 'usatlas1', 5, 3),
      user(cern('atlprd', 100002, 'Robot: ATLAS Production'), 'usatlas2', 4, 2),
      user(cilogon('Henrik Dahl', 'University of Chicago', 31120), 'usatlas3', 0.7, 1),
      user(cern('mokafor', 732209, 'Mira Okafor'), 'atlas01', 0.5, 0),
    ],
    jobsPerDay: 240, weekendFactor: 0.95, growth: -0.1, wallHours: 5, cores: [[1, 0.4], [8, 0.6]],
    efficiency: 0.82, failureRate: 0.04, projects: [],
    runs: [
      { probe: 'condor:uct2-gk.mwt2.org', share: 0.35 }, { probe: 'condor:gate01.aglt2.org', share: 0.3 },
      { probe: 'condor:gridgk01.racf.bnl.gov', share: 0.3 }, { probe: 'slurm:its-condor-ce1.syr.edu', share: 0.05 },
    ],
  },
  {
    name: 'osg',
    corrections: [...plain('osg', 'OSG'), { voName: '/osg/Role=NULL/Capability=NULL', reportable: 'osg' }],
    users: [
      user(cilogon('Lena Fischer', 'Duke University', 40012), 'lfischer', 2, 0),
      user(cilogon('Omar Haddad', 'University of Wisconsin-Madison', 40290), 'ohaddad', 2, 2),
      user(osgPerson('Grace Whitfield', 673001), 'gwhitfield', 1.5, 1),
      user(cilogon('Yuki Tanaka', 'Georgia Institute of Technology', 41877), 'ytanaka', 1, 0),
      user(cilogon('Samuel Osei', 'University of Nebraska-Lincoln', 42005), 'sosei', 1, 2),
      user(osgPerson('Irene Castillo', 673118), 'icastillo', 0.5, 1),
    ],
    jobsPerDay: 200, weekendFactor: 0.6, growth: 0.5, wallHours: 3, cores: [[1, 0.9], [4, 0.1]],
    efficiency: 0.86, failureRate: 0.08,
    projects: ['OSG-Staff', 'Duke-QGP', 'osg.Duke-QGP', 'SPLINTER', 'Snowmass', 'TG-DMR130036', 'UNL-Genomics'],
    runs: [
      { probe: 'condor:login.osgconnect.net', facility: 'Nebraska', share: 0.15 },
      { probe: 'condor:login.osgconnect.net', facility: 'Crane', share: 0.15 },
      { probe: 'condor:login.osgconnect.net', facility: 'MWT2', share: 0.1 },
      { probe: 'condor:login.osgconnect.net', facility: 'UCSDT2', share: 0.1 },
      { probe: 'condor:login.osgconnect.net', facility: 'SU-OG', share: 0.15 },
      { probe: 'condor:login.osgconnect.net', facility: 'Clemson-Palmetto', share: 0.1 },
      { probe: 'condor:login.osgconnect.net', facility: 'UConn-OSG', share: 0.1 },
      { probe: 'condor:login.osgconnect.net', facility: 'GLOW', share: 0.1 },
      { probe: 'condor:login.osgconnect.net', facility: 'Purdue-Hadoop', share: 0.05 },
    ],
  },
  {
    name: 'hcc',
    corrections: plain('hcc'),
    users: [
      user(cilogon('Marta Novak', 'University of Nebraska-Lincoln', 50110), 'mnovak', 2),
      user(cilogon('Derek Olsen', 'University of Nebraska-Lincoln', 50221), 'dolsen', 1),
      user(cilogon('Fatima Zahra', 'University of Nebraska Omaha', 50337), 'fzahra', 1),
    ],
    jobsPerDay: 70, weekendFactor: 0.5, growth: 0.1, wallHours: 4, cores: [[1, 0.6], [4, 0.2], [16, 0.2]],
    efficiency: 0.7, failureRate: 0.1, projects: [],
    runs: [
      { probe: 'slurm:crane.unl.edu', share: 0.8 }, { probe: 'condor:crane-ce1.unl.edu', share: 0.1 },
      { probe: 'condor:red-gw1.unl.edu', share: 0.1 },
    ],
  },
  fermilabVo('nova', 70, { growth: 0, projects: ['NOvA'], corrections: [...fife('nova', 'Analysis', 'Production'), ...plain('nova')] }),
  fermilabVo('dune', 60, { growth: 0.6, projects: ['DUNE', 'fermilab.dune'], cores: [[1, 0.8], [2, 0.2]] }),
  fermilabVo('mu2e', 40, { projects: ['Mu2e'] }),
  fermilabVo('uboone', 35, { pilotShare: 0.1, corrections: [...fife('uboone', 'Analysis'), ...plain('uboone')] }),
  fermilabVo('fermilab', 30, {
    pilotShare: 0,
    corrections: [...plain('fermilab'), { voName: '/fermilab/Role=Analysis/Capability=NULL', reportable: 'fermilab' }],
  }),
  fermilabVo('minerva', 15, { pilotShare: 0 }),
  fermilabVo('des', 12, { projects: ['DES'], corrections: [{ voName: '/des/Role=Analysis/Capability=NULL', reportable: 'des' }, ...plain('des')] }),
  fermilabVo('cdf', 5, { growth: -0.5, pilotShare: 0, corrections: plain('cdf') }),
  pilotVo('ligo', 45, 'condor:ldas-osg.ligo.caltech.edu', ['Nebraska', 'SU-OG', 'UCSDT2', 'GLOW'], {
    corrections: [...plain('ligo', 'LIGO')], projects: ['LIGO'], growth: 0.2, weekendFactor: 0.9, wallHours: 5,
  }),
  pilotVo('icecube', 35, 'condor:sub-1.icecube.wisc.edu', ['GLOW', 'UCSDT2', 'Nebraska', 'MWT2'], {
    corrections: [...plain('icecube'), { voName: '/icecube/Role=NULL/Capability=NULL', reportable: 'icecube' }],
    projects: ['IceCube'], wallHours: 3,
  }),
  pilotVo('gluex', 30, 'condor:scosg16.jlab.org', ['UConn-OSG', 'Clemson-Palmetto', 'Nebraska'], {
    corrections: plain('Gluex', 'gluex'), projects: ['GlueX', 'jlab.gluex'], weekendFactor: 0.8,
  }),
  // A new VO: it starts half way through the window, and grows.
  pilotVo('lsst', 25, 'condor:login.osgconnect.net', ['Nebraska', 'MWT2', 'SU-OG'], {
    projects: ['LSST'], startsAt: 0.5, growth: 0.3,
  }),
  pilotVo('sbgrid', 8, 'condor:xd-login.opensciencegrid.org', ['Crane', 'Clemson-Palmetto'], { projects: ['SBGrid'] }),
  smallBatchVo('enmr.eu', 6, 'pbs-lsf:osg-gw.palmetto.clemson.edu', 'Clemson University'),
  {
    name: 'glow',
    corrections: plain('glow', 'GLOW'),
    users: [
      user(cilogon('Nadia Petrova', 'University of Wisconsin-Madison', 60102), 'npetrova', 1, 0),
      user(cilogon('Kofi Mensah', 'University of Wisconsin-Madison', 60233), 'kmensah', 1, 1),
    ],
    jobsPerDay: 25, weekendFactor: 0.6, growth: 0, wallHours: 1.5, cores: [[1, 1]], efficiency: 0.9, failureRate: 0.06,
    projects: [],
    runs: [{ probe: 'condor:cm.chtc.wisc.edu', share: 0.7 }, { probe: 'condor:itb-ce1.chtc.wisc.edu', share: 0.3 }],
  },
  smallBatchVo('star', 10, 'condor:gridgk01.racf.bnl.gov', 'Brookhaven National Laboratory'),
  // The default queries exclude these two (`exclude-vo = Unknown|unknown|other`); they show only when asked for.
  smallBatchVo('Unknown', 8, 'condor:red-gw2.unl.edu', 'University of Nebraska-Lincoln'),
  smallBatchVo('other', 4, 'slurm:gridgk.phys.uconn.edu', 'University of Connecticut'),
];

interface VoTweaks {
  growth?: number;
  weekendFactor?: number;
  wallHours?: number;
  startsAt?: number;
  projects?: string[];
  cores?: (readonly [number, number])[];
  corrections?: DemoCorrection[];
  /** Share of a Fermilab VO's jobs sent as glideins to other sites (the rest run at FermiGrid). */
  pilotShare?: number;
}

/** A Fermilab experiment: FermiGrid batch jobs plus FIFE glideins at a few OSG sites. */
function fermilabVo(exp: string, jobsPerDay: number, t: VoTweaks): DemoVo {
  const pilots = t.pilotShare ?? 0.3;
  const corrections = t.corrections ?? fife(exp, 'Analysis');
  return {
    name: exp,
    corrections,
    users: [0, 1, 2].map((i) =>
      user(fnal(`${exp.toUpperCase()} ${['Production', 'Analyst One', 'Analyst Two'][i]}`, `${exp}${i}`), `${exp}${i === 0 ? 'pro' : 'ana'}`, 3 - i, i % corrections.length),
    ),
    jobsPerDay, weekendFactor: t.weekendFactor ?? 0.75, growth: t.growth ?? 0, startsAt: t.startsAt,
    wallHours: t.wallHours ?? 3, cores: t.cores ?? [[1, 1]], efficiency: 0.8, failureRate: 0.07, projects: t.projects ?? [],
    runs: [
      { probe: 'condor:fnpcosg1.fnal.gov', share: (1 - pilots) * 0.7 },
      { probe: 'condor:fermigridosg1.fnal.gov', share: (1 - pilots) * 0.3 },
      ...(pilots > 0
        ? ['Nebraska', 'SU-OG', 'Clemson-Palmetto', 'UCSDT2'].map((facility) => ({ probe: 'condor:fifebatch1.fnal.gov', facility, share: pilots / 4 }))
        : []),
    ],
  };
}

/** A VO that runs only glidein payloads, submitted from its own host. */
function pilotVo(name: string, jobsPerDay: number, probe: string, facilities: string[], t: VoTweaks): DemoVo {
  return {
    name,
    corrections: t.corrections ?? plain(name),
    users: [
      user(cilogon(`${name.toUpperCase()} Production`, 'Open Science Grid', 70000 + jobsPerDay), `${name}prod`, 3),
      user(osgPerson(`${name[0]!.toUpperCase()}${name.slice(1)} Researcher`, 680000 + jobsPerDay), `${name}user`, 1),
    ],
    jobsPerDay, weekendFactor: t.weekendFactor ?? 0.7, growth: t.growth ?? 0, startsAt: t.startsAt,
    wallHours: t.wallHours ?? 2.5, cores: t.cores ?? [[1, 1]], efficiency: 0.85, failureRate: 0.06, projects: t.projects ?? [],
    runs: facilities.map((facility) => ({ probe, facility, share: 1 / facilities.length })),
  };
}

/** A small VO with batch jobs at one CE. */
function smallBatchVo(name: string, jobsPerDay: number, probe: string, org: string): DemoVo {
  return {
    name,
    corrections: plain(name),
    users: [user(cilogon(`${name.replace(/\W/g, '').toUpperCase()} Operator`, org, 90000 + jobsPerDay), name.replace(/\W/g, '').toLowerCase(), 1)],
    jobsPerDay, weekendFactor: 0.8, growth: 0, wallHours: 3, cores: [[1, 1]], efficiency: 0.75, failureRate: 0.1, projects: [],
    runs: [{ probe, share: 1 }],
  };
}

/** Reportable project names with raw variants (`ProjectNameCorrection`), and their field of science for FOS graphs. */
export const DEMO_PROJECTS: readonly { reportable: string; raw: readonly string[]; fieldOfScience: string }[] = [
  { reportable: 'OSG-Staff', raw: ['OSG-Staff'], fieldOfScience: 'Computer Science' },
  { reportable: 'Duke-QGP', raw: ['Duke-QGP', 'osg.Duke-QGP'], fieldOfScience: 'Nuclear Physics' },
  { reportable: 'SPLINTER', raw: ['SPLINTER'], fieldOfScience: 'Chemistry' },
  { reportable: 'Snowmass', raw: ['Snowmass'], fieldOfScience: 'High Energy Physics' },
  { reportable: 'TG-DMR130036', raw: ['TG-DMR130036'], fieldOfScience: 'Materials Science' },
  { reportable: 'UNL-Genomics', raw: ['UNL-Genomics'], fieldOfScience: 'Biological Sciences' },
  { reportable: 'NOvA', raw: ['NOvA'], fieldOfScience: 'High Energy Physics' },
  { reportable: 'DUNE', raw: ['DUNE', 'fermilab.dune'], fieldOfScience: 'High Energy Physics' },
  { reportable: 'Mu2e', raw: ['Mu2e'], fieldOfScience: 'High Energy Physics' },
  { reportable: 'DES', raw: ['DES'], fieldOfScience: 'Astronomy' },
  { reportable: 'LIGO', raw: ['LIGO'], fieldOfScience: 'Gravitational Physics' },
  { reportable: 'IceCube', raw: ['IceCube'], fieldOfScience: 'Astrophysics' },
  { reportable: 'GlueX', raw: ['GlueX', 'jlab.gluex'], fieldOfScience: 'Nuclear Physics' },
  { reportable: 'LSST', raw: ['LSST'], fieldOfScience: 'Astronomy' },
  { reportable: 'SBGrid', raw: ['SBGrid'], fieldOfScience: 'Structural Biology' },
  { reportable: 'FermiCloud', raw: ['FermiCloud'], fieldOfScience: 'Computer Science' },
];

/** The reportable project of jobs that report none (`ProjectName IS NULL`); project graphs exclude it by default. */
export const UNKNOWN_PROJECT = 'unknown';

/** FermiCloud VM owners: Fermilab users whose VMs the OpenNebula probe reports as `OneVM` records. */
export const FERMICLOUD_USERS: readonly { vo: string; correction: DemoCorrection; dn: string; login: string }[] = [
  { vo: 'fermilab', correction: { voName: 'fermilab', reportable: 'fermilab' }, dn: fnal('Cloud Admin', 'fcadmin'), login: 'fcadmin' },
  { vo: 'fermilab', correction: { voName: 'fermilab', reportable: 'fermilab' }, dn: fnal('Keiko Sato', 'ksato'), login: 'ksato' },
  { vo: 'nova', correction: { voName: 'nova', reportable: 'nova' }, dn: fnal('NOVA Analyst One', 'nova1'), login: 'novaana' },
  { vo: 'dune', correction: { voName: '/fermilab/dune/Role=Analysis/Capability=NULL', reportable: 'dune' }, dn: fnal('Luis Moreno', 'lmoreno'), login: 'lmoreno' },
];
