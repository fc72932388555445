/** The query form: range, span, VO and facility first, every other input behind "more filters"; GraphTool booleans as checkboxes that send false when off; a bad value's message at its field with the user's values kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;
beforeAll(async () => {
  app = await startGraphTestApp({ charts });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const page = async (path: string) => {
  const res = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html' } });
  return { status: res.status, html: await res.text() };
};
const fieldNames = (html: string) => [...html.matchAll(/<label for="in-([\w-]+)">/g)].map((m) => m[1]!);
const split = (html: string) => {
  const more = /<details id="more-filters"[^>]*>(.*?)<\/details>/s.exec(html);
  return { common: fieldNames(html.slice(0, more?.index ?? html.length)), more: fieldNames(more?.[1] ?? ''), open: more ? /<details id="more-filters" open>/.test(more[0]) : false };
};

describe('query form', () => {
  it('shows the range, span, VO and facility first and the other inputs behind "more filters"', async () => {
    const { status, html } = await page('/gratia/html/vo_hours_bar_smry');
    expect(status).toBe(200);
    const { common, more, open } = split(html);
    const declared = app.engine.queries().find((q) => q.name === 'vo_hours_bar_smry')!.inputs.map((i) => i.name).filter((n) => !/^sql_|^conn$/.test(n));
    const first = ['relativetime', 'starttime', 'endtime', 'span', 'vo', 'facility'].filter((n) => n === 'relativetime' || declared.includes(n));
    expect(common).toEqual(first);
    expect(more.sort()).toEqual(declared.filter((n) => !first.includes(n)).sort());
    expect(more.length).toBeGreaterThan(0);
    expect(open).toBe(false);
  });

  it('a true/false input is a checkbox after a hidden false, so unticking it sends false', async () => {
    const served = app.routes.website.queryMounts.find((m) => m.output === 'html')!.queryClasses;
    const query = app.engine.queries().find((q) => served.includes(q.className) && q.inputs.some((i) => /^(true|false)$/i.test(i.default)))!;
    const input = query.inputs.find((i) => /^(true|false)$/i.test(i.default))!;
    const on = await page(`/gratia/html/${query.name}?${input.name}=true`);
    expect(on.html).toContain(`<input type="hidden" name="${input.name}" value="false">\n  <input type="checkbox" id="in-${input.name}" name="${input.name}" value="true" checked>`);
    const off = await page(`/gratia/html/${query.name}?${input.name}=false`);
    expect(off.status).toBe(200);
    expect(off.html).toContain(`<input type="checkbox" id="in-${input.name}" name="${input.name}" value="true">`);
    // A changed filter behind "more filters" opens it, so the reader sees why the chart differs.
    expect(split(off.html).open).toBe(input.default.toLowerCase() !== 'false');
  });

  it('a 400 renders the form again with the user\'s values and the message at the field it names', async () => {
    const { status, html } = await page('/gratia/html/vo_hours_bar_smry?vo=(&facility=Fermi.*&span=86400');
    expect(status).toBe(400);
    expect(html).toMatch(/<div class="field invalid">\s*<label for="in-vo">vo<\/label>\s*<input type="text" id="in-vo" name="vo" value="\(" spellcheck="false" aria-invalid="true" aria-describedby="err-vo">\s*<small class="field-error" id="err-vo">input &quot;vo&quot;: &quot;\(&quot; is not a valid regular expression/);
    expect(html).toContain('<input type="text" id="in-facility" name="facility" value="Fermi.*"');
    expect(html).toMatch(/<option value="86400" selected>Daily<\/option>/);
    expect((html.match(/class="field-error"/g) ?? []).length).toBe(1);

    const late = await page('/gratia/html/vo_hours_bar_smry?starttime=2024-03-10&endtime=2024-03-01');
    expect(late.status).toBe(400);
    expect(late.html).toMatch(/<small class="field-error" id="err-endtime">[^<]*endtime[^<]*<\/small>/);
    expect(late.html).toContain('value="2024-03-10"');
  });
});
