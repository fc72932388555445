/**
 * The /topology/ pages over HTTP, on the appliance's server with a real loader (a Topology class, OSG summary files
 * and a summary URL whose server answers 503): the overview lists every kind of entry and each source's standing,
 * its filter narrows every list (plain substring, case ignored), each site, resource group, resource, VO and cluster
 * has a page and a JSON twin with the same data, every link on a page resolves, and bad input is a 400 naming the field.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, silentLogger } from '../../common/index.js';
import { loadConfig } from '../../grammar/index.js';
import { createServer } from '../../graph-server/index.js';
import { createTopologyLoader, topologyClassType, topologyPagesRouter, type FetchFn, type TopologyConfig } from '../../topology/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const FAILING_URL = 'https://topology.example.invalid/vosummary/xml';

const CLASS = `<graphtool-config>
  <class type="Topology" name="Topology">
    <summary kind="rgsummary" file="${FIXTURES}/rgsummary.xml"/>
    <summary kind="vosummary" url="${FAILING_URL}"/>
    <site name="Crane" facility="University of Nebraska">
      <resource_group name="Crane-RG" grid_type="production" description="HCC's Crane">
        <resource name="Crane" fqdn="crane-ce1.unl.edu" wlcg_accounting_name="T3_US_Crane">
          <service name="CE"/> <service name="XRootD origin server"/>
          <owner vo="hcc" percent="60"/> <owner vo="osg" percent="40"/>
          <contact type="Administrative Contact" name="Derek Weitzel" email="dweitzel@example.invalid"/>
        </resource>
        <resource name="A&amp;B &lt;test&gt;" fqdn="ab.unl.edu"/>
      </resource_group>
    </site>
    <vo name="osg" long_name="OSG Open Pool"><field_of_science>Multi-Science Community</field_of_science></vo>
    <vo name="hcc" long_name="Holland Computing Center"><field_of_science>Computer Science</field_of_science><field_of_science rank="secondary">Physics</field_of_science></vo>
    <cluster name="crane-wn" site="Crane">
      <node>crane-ce1.unl.edu</node>
      <node_range prefix="wn" from="1" to="1500" width="4" suffix=".crane.unl.edu"/>
    </cluster>
    <cluster name="loose"><node>solo.example.org</node></cluster>
  </class>
</graphtool-config>`;

const open: RequestHandler = (_req, _res, next) => next();
let server: Server;
let base: string;

beforeAll(async () => {
  const loaded = loadConfig(tempDir({ 'topology.xml': CLASS }), { classTypes: [topologyClassType] });
  expect(loaded.issues).toEqual([]);
  const configs = [...loaded.objects.values()].map((o) => o.value as TopologyConfig);
  const fetch503: FetchFn = () => Promise.resolve(new Response('down for maintenance', { status: 503, statusText: 'Service Unavailable' }));
  const loader = createTopologyLoader({ fetch: fetch503 });
  await loader.applyConfig(configs);
  await loader.refresh();
  const app = createServer({
    logger: silentLogger,
    metrics: new Registry(),
    access: { authenticate: open, csrf: open, requireRead: open, requireRole: () => open, router: () => Router() },
    viewsDir: join(packageRoot(), 'views'),
    health: () => Promise.resolve({ status: 'ok' as const }),
    home: () => Promise.resolve([]),
    reload: () => Promise.resolve({ applied: false, issues: [] }),
    routers: [topologyPagesRouter({ topology: () => loader.current(), status: () => loader.status(), requireRead: open })],
  });
  server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((ok) => {
    server?.close(() => ok());
    server?.closeIdleConnections();
  });
  removeTempDirs();
});

const html = async (path: string) => {
  const res = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
  return { status: res.status, text: await res.text() };
};
const json = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
/** The hrefs inside <main>, decoded of the HTML escapes Handlebars writes. */
const linksOf = (page: string) =>
  [...(/<main>([\s\S]*)<\/main>/.exec(page)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
const rows = (page: string, attr: string) => [...page.matchAll(new RegExp(`<tr data-${attr}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('the /topology/ overview', () => {
  it('lists sites, resources, VOs and clusters with links, and each source with its last refresh and error', async () => {
    const { status, text } = await html('/topology/');
    expect(status).toBe(200);
    expect(rows(text, 'site')).toEqual(['Crane', 'Nebraska-Lincoln']);
    expect(rows(text, 'resource')).toEqual(['Crane', 'A&amp;B &lt;test&gt;', 'Nebraska', 'Nebraska-squid', 'Nebraska-ITB-CE']);
    // CMS owns a resource of the rgsummary and nobody declares it (the vosummary URL is down): it is added.
    expect(rows(text, 'vo')).toEqual(['osg', 'hcc', 'CMS']);
    expect(rows(text, 'cluster')).toEqual(['crane-wn', 'loose']);
    expect(text).toContain('<a href="/topology/resources/A%26B%20%3Ctest%3E">A&amp;B &lt;test&gt;</a>');
    expect(text).not.toContain('<test>');
    // The file read at load is ok; the URL's server answered 503, and that is what the page says.
    expect(text).toMatch(new RegExp(`<tr data-source="[^"]*rgsummary.xml"><td>rgsummary</td>.*<span class="ok">ok</span>`));
    expect(text).toMatch(new RegExp(`<tr data-source="${FAILING_URL}"><td>vosummary</td>.*<span class="error">failed</span>[\\s\\S]*?<span class="muted">never</span>[\\s\\S]*?HTTP 503 Service Unavailable`));
  });

  it('every link on the overview and on the pages it links resolves (no 404 anywhere)', async () => {
    const seen = new Set<string>();
    const queue = ['/topology/'];
    while (queue.length) {
      const path = queue.shift()!;
      const { status, text } = await html(path);
      expect(status, path).toBe(200);
      for (const href of linksOf(text)) {
        // Links out of the section (the navigation) are the navigation test's.
        if (!href.startsWith('/topology/') && !href.startsWith('/api/v1/topology/')) continue;
        if (seen.has(href)) continue;
        seen.add(href);
        if (href.startsWith('/api/')) expect((await fetch(`${base}${href}`)).status, href).toBe(200);
        else queue.push(href);
      }
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('the filter narrows every list by a plain substring, case ignored; a site is found by its hosts', async () => {
    const { text } = await html('/topology/?q=CRANE-ce1');
    expect(rows(text, 'site')).toEqual(['Crane']);
    expect(rows(text, 'resource')).toEqual(['Crane']);
    expect(rows(text, 'vo')).toEqual([]);
    expect(rows(text, 'cluster')).toEqual(['crane-wn']);
    expect(text).toContain('value="CRANE-ce1"');
    // Pattern characters are text: a "regex" matches nothing rather than everything.
    expect(rows((await html('/topology/?q=.*')).text, 'resource')).toEqual([]);
    expect(rows((await html('/topology/?q=computer%20science')).text, 'vo')).toEqual(['hcc']);
    const twin = await json('/api/v1/topology/?q=CRANE-ce1');
    expect(twin.status).toBe(200);
    expect(twin.body).toMatchObject({ filter: 'CRANE-ce1', sites: { matched: 1, more: 0 }, resources: { matched: 1, rows: [{ name: 'Crane', fqdn: 'crane-ce1.unl.edu', group: 'Crane-RG', site: 'Crane', services: ['CE', 'XRootD origin server'] }] } });
    expect(twin.body.counts).toEqual({ sites: 2, resourceGroups: 3, resources: 5, vos: 3, clusters: 2 });
  });

  it('a list past the limit says how many more; bad input is a 400 naming the field, as a page or JSON', async () => {
    const limited = await json('/api/v1/topology/?limit=2');
    expect(limited.body.resources).toMatchObject({ matched: 5, more: 3 });
    expect((limited.body.resources as { rows: unknown[] }).rows).toHaveLength(2);
    expect((await html('/topology/?limit=2')).text).toContain('3 more; narrow the filter.');
    const long = await json(`/api/v1/topology/?q=${'x'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ error: { code: 'bad_request', field: 'q' } });
    expect((await json('/api/v1/topology/?limit=0')).body).toMatchObject({ error: { field: 'limit' } });
    expect((await json('/api/v1/topology/?q=a&q=b')).body).toMatchObject({ error: { field: 'q' } });
    const page = await html('/topology/?limit=ten');
    expect(page.status).toBe(400);
    expect(page.text).toContain('field &quot;limit&quot;');
  });
});

describe('one page per entry, and its JSON twin', () => {
  it('a site shows its resource groups with their resources and its clusters', async () => {
    const { status, text } = await html('/topology/sites/Crane');
    expect(status).toBe(200);
    expect(text).toContain('<h1>Site Crane</h1>');
    expect(text).toContain('University of Nebraska');
    expect(text).toContain('<a href="/topology/resource-groups/Crane-RG">Crane-RG</a>');
    expect(rows(text, 'resource')).toEqual(['Crane', 'A&amp;B &lt;test&gt;']);
    expect(text).toContain('<a href="/topology/clusters/crane-wn">crane-wn</a> <span class="muted">(1501 nodes)</span>');
    const twin = await json('/api/v1/topology/sites/Crane');
    expect(twin.body).toMatchObject({ name: 'Crane', facility: 'University of Nebraska', resourceGroups: [{ name: 'Crane-RG', gridType: 'OSG Production Resource' }], clusters: [{ name: 'crane-wn', nodes: 1501 }] });
  });

  it('a resource group has a breadcrumb to its site and lists its resources', async () => {
    const { text } = await html('/topology/resource-groups/Nebraska-ITB');
    expect(text).toMatch(/<nav class="crumbs"[^>]*><a href="\/topology\/">Topology<\/a> › <a href="\/topology\/sites\/Nebraska-Lincoln">Nebraska-Lincoln<\/a> › <span>Resource group Nebraska-ITB<\/span>/);
    expect(text).toContain('OSG Integration Test Bed Resource');
    expect((await json('/api/v1/topology/resource-groups/Nebraska-ITB')).body).toMatchObject({ site: 'Nebraska-Lincoln', resources: [{ name: 'Nebraska-ITB-CE' }] });
  });

  it('a resource shows FQDN, services, owners with percent, WLCG federation, clusters and contacts without e-mail', async () => {
    const { text } = await html('/topology/resources/Crane');
    expect(text).toContain('<code>crane-ce1.unl.edu</code>');
    expect(text).toContain('<a href="/topology/vos/hcc">hcc</a> 60 %');
    expect(text).toContain('federation <code>T3_US_Crane</code>');
    expect(text).toContain('<a href="/topology/clusters/crane-wn">crane-wn</a>');
    expect(text).toContain('Derek Weitzel');
    expect(text).not.toContain('dweitzel@');
    const twin = await json('/api/v1/topology/resources/Crane');
    expect(twin.body).toMatchObject({ name: 'Crane', fqdn: 'crane-ce1.unl.edu', owners: [{ vo: 'hcc', percent: 60 }, { vo: 'osg', percent: 40 }], wlcg: { accountingName: 'T3_US_Crane' }, clusters: ['crane-wn'] });
    expect(JSON.stringify(twin.body)).not.toContain('dweitzel@');
    expect((await html('/topology/resources/A%26B%20%3Ctest%3E')).status).toBe(200);
  });

  it('a VO shows its fields of science and the resources it owns (case-insensitive name)', async () => {
    const { text } = await html('/topology/vos/HCC');
    expect(text).toContain('<h1>VO hcc</h1>');
    expect(text).toContain('Computer Science');
    expect(text).toContain('Physics');
    // The rgsummary spells it HCC; OIM matched VO names case-insensitively.
    expect(rows(text, 'resource')).toEqual(['Crane', 'Nebraska']);
    expect((await json('/api/v1/topology/vos/hcc')).body).toMatchObject({
      primaryFields: ['Computer Science'], secondaryFields: ['Physics'], owns: [{ resource: 'Crane', percent: 60 }, { resource: 'Nebraska', site: 'Nebraska-Lincoln', percent: 20 }],
    });
  });

  it('a cluster lists its nodes, filtered and cut at the limit, a node that is a resource linked to it', async () => {
    const { text } = await html('/topology/clusters/crane-wn');
    expect(text).toContain('<code>crane-ce1.unl.edu</code> · <a href="/topology/resources/Crane">Crane</a>');
    expect(text).toContain('1001 more; narrow the filter.');
    const twin = await json('/api/v1/topology/clusters/crane-wn?q=WN014&limit=5');
    expect(twin.body).toMatchObject({ total: 1501, siteKnown: true, nodes: { matched: 10, more: 5 } });
    expect((twin.body.nodes as { rows: { name: string }[] }).rows.map((r) => r.name)).toEqual(['wn0140.crane.unl.edu', 'wn0141.crane.unl.edu', 'wn0142.crane.unl.edu', 'wn0143.crane.unl.edu', 'wn0144.crane.unl.edu']);
    expect((await html('/topology/clusters/loose')).text).toContain('none given');
  });

  it('an unknown name is a 404 naming it, as a page or JSON', async () => {
    for (const kind of ['sites', 'resource-groups', 'resources', 'vos', 'clusters']) {
      const page = await html(`/topology/${kind}/no-such`);
      expect(page.status, kind).toBe(404);
      expect(page.text, kind).toContain('&quot;no-such&quot; in the topology');
      const twin = await json(`/api/v1/topology/${kind}/no-such`);
      expect(twin.status, kind).toBe(404);
      expect(twin.body, kind).toMatchObject({ error: { code: 'not_found', field: 'name' } });
    }
  });
});
