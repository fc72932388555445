/** Handlebars views for Express: `views/*.hbs` pages inside `views/layouts/main.hbs`, partials from `views/partials`. */
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Express } from 'express';

type Template = Handlebars.TemplateDelegate;

/** Registers the `hbs` engine on `app`, reading templates from `viewsDir` (cached after the first read). */
export function useHandlebarsViews(app: Express, viewsDir: string): void {
  const hbs = Handlebars.create();
  const cache = new Map<string, Template>();
  const compile = (file: string): Template => {
    let t = cache.get(file);
    if (!t) {
      t = hbs.compile(readFileSync(file, 'utf8'));
      cache.set(file, t);
    }
    return t;
  };
  const partials = join(viewsDir, 'partials');
  for (const f of safeList(partials).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(f, '.hbs'), readFileSync(join(partials, f), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // A name in a link (`/rsv/host/{{url host}}`): Handlebars escapes HTML, not URLs, so `#`, `?` or a space would cut it.
  hbs.registerHelper('url', (v: string | number | undefined) => encodeURIComponent(v ?? ''));
  hbs.registerHelper('json', (v: unknown) => new hbs.SafeString(JSON.stringify(v).replace(/</g, '\\u003c')));

  app.engine('hbs', (file: string, options: object, done: (err: unknown, html?: string) => void) => {
    try {
      const ctx = options as Record<string, unknown>;
      const body = compile(file)(ctx);
      if (ctx.layout === false) return done(null, body);
      const layout = join(viewsDir, 'layouts', `${typeof ctx.layout === 'string' ? ctx.layout : 'main'}.hbs`);
      done(null, compile(layout)({ ...ctx, body }));
    } catch (err) {
      done(err);
    }
  });
  app.set('views', viewsDir);
  app.set('view engine', 'hbs');
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
