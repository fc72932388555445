/**
 * `/topology/...`: the registry as pages (overview with a filter box, one page per site, resource group, resource, VO
 * and cluster) and the same data as JSON under `/api/v1/topology/...`. Every page reads the registry in effect.
 */
import express, { type RequestHandler, type Router } from 'express';
import { AppError } from '../../common/index.js';
import type { TopologyStatus } from '../loader.js';
import type { Topology } from '../topology.js';
import { clusterModel, groupModel, overviewModel, resourceModel, siteModel, voModel } from './page-models.js';
import { countField, textField } from './text-filter.js';

export interface TopologyPagesOptions {
  /** The registry in effect (the loader's `current`): a refresh is seen on the next request. */
  topology: () => Topology;
  /** The loader's standing: when the registry was built, each source's last refresh and error. */
  status: () => TopologyStatus;
  /** The appliance's read check. */
  requireRead: RequestHandler;
}

/** The home page's section. */
export const TOPOLOGY_HOME_SECTION = {
  title: 'Topology',
  links: [
    { title: 'Sites, resources, VOs and clusters', href: '/topology/', note: 'the registry, searchable, and its sources' },
    { title: 'Topology (JSON)', href: '/api/v1/topology/' },
  ],
};

/** Entries a list shows by default, and at most (`limit`). */
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 100_000;

const notFound = (what: string, name: string) => new AppError('not_found', `no ${what} "${name}" in the topology`, { field: 'name' });
const link = (kind: string, name: string) => `/topology/${kind}/${encodeURIComponent(name)}`;

export function topologyPagesRouter(options: TopologyPagesOptions): Router {
  const router = express.Router();
  const read = options.requireRead;
  const limitOf = (query: unknown) => countField(query, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);

  const found = {
    site: (name: string) => options.topology().site(name) ?? raise(notFound('site', name)),
    group: (name: string) => options.topology().resourceGroup(name) ?? raise(notFound('resource group', name)),
    resource: (name: string) => options.topology().resource(name) ?? raise(notFound('resource', name)),
    vo: (name: string) => options.topology().vo(name) ?? raise(notFound('VO', name)),
    cluster: (name: string) => options.topology().cluster(name) ?? raise(notFound('cluster', name)),
  };

  router.get('/topology/', read, (req, res) => {
    const limit = limitOf(req.query);
    const model = overviewModel(options.topology(), options.status(), textField(req.query, 'q'), limit);
    res.set('Cache-Control', 'no-store').render('topology-overview', { title: 'Topology', ...model, limit, api: '/api/v1/topology/' });
  });
  router.get('/api/v1/topology/', read, (req, res) => {
    res.set('Cache-Control', 'no-store').json(overviewModel(options.topology(), options.status(), textField(req.query, 'q'), limitOf(req.query)));
  });
  router.get('/api/v1/topology/sources', read, (_req, res) => {
    const s = options.status();
    res.set('Cache-Control', 'no-store').json({ builtAt: s.builtAt, sources: s.sources, duplicates: s.duplicates, tablesError: s.tablesError ?? null });
  });

  router.get('/topology/sites/:name', read, (req, res) => {
    const model = siteModel(options.topology(), found.site(String(req.params.name)));
    res.set('Cache-Control', 'no-store').render('topology-site', { title: `Site ${model.name}`, ...model, api: `/api/v1${link('sites', model.name)}` });
  });
  router.get('/api/v1/topology/sites/:name', read, (req, res) => {
    res.set('Cache-Control', 'no-store').json(siteModel(options.topology(), found.site(String(req.params.name))));
  });

  router.get('/topology/resource-groups/:name', read, (req, res) => {
    const model = groupModel(options.topology(), found.group(String(req.params.name)));
    res.set('Cache-Control', 'no-store').render('topology-group', {
      title: `Resource group ${model.name}`, ...model, crumbs: [{ title: model.site, href: link('sites', model.site) }], api: `/api/v1${link('resource-groups', model.name)}`,
    });
  });
  router.get('/api/v1/topology/resource-groups/:name', read, (req, res) => {
    res.set('Cache-Control', 'no-store').json(groupModel(options.topology(), found.group(String(req.params.name))));
  });

  router.get('/topology/resources/:name', read, (req, res) => {
    const t = options.topology();
    const model = resourceModel(t, found.resource(String(req.params.name)));
    res.set('Cache-Control', 'no-store').render('topology-resource', {
      title: `Resource ${model.name}`, ...model,
      owners: model.owners.map((o) => ({ ...o, known: t.vo(o.vo) !== undefined })),
      crumbs: [{ title: model.site, href: link('sites', model.site) }, { title: model.group, href: link('resource-groups', model.group) }],
      api: `/api/v1${link('resources', model.name)}`,
    });
  });
  router.get('/api/v1/topology/resources/:name', read, (req, res) => {
    res.set('Cache-Control', 'no-store').json(resourceModel(options.topology(), found.resource(String(req.params.name))));
  });

  router.get('/topology/vos/:name', read, (req, res) => {
    const model = voModel(options.topology(), found.vo(String(req.params.name)));
    res.set('Cache-Control', 'no-store').render('topology-vo', { title: `VO ${model.name}`, ...model, api: `/api/v1${link('vos', model.name)}` });
  });
  router.get('/api/v1/topology/vos/:name', read, (req, res) => {
    res.set('Cache-Control', 'no-store').json(voModel(options.topology(), found.vo(String(req.params.name))));
  });

  router.get('/topology/clusters/:name', read, (req, res) => {
    const t = options.topology();
    const limit = limitOf(req.query);
    const model = clusterModel(t, found.cluster(String(req.params.name)), textField(req.query, 'q'), limit);
    res.set('Cache-Control', 'no-store').render('topology-cluster', {
      title: `Cluster ${model.name}`, ...model, limit,
      crumbs: model.site && model.siteKnown ? [{ title: model.site, href: link('sites', model.site) }] : [],
      api: `/api/v1${link('clusters', model.name)}`,
    });
  });
  router.get('/api/v1/topology/clusters/:name', read, (req, res) => {
    res.set('Cache-Control', 'no-store').json(clusterModel(options.topology(), found.cluster(String(req.params.name)), textField(req.query, 'q'), limitOf(req.query)));
  });
  return router;
}

function raise(err: Error): never {
  throw err;
}
