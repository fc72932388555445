/** `<class type="VmGratia">`: the site, grid, project and VO mapping of the Gratia records of VM usage (config/vm_gratia.xml). */
import { objectsOfType, warnUnknownAttribute, type ClassTypeHandler, type LoadedConfig } from '../../grammar/index.js';
import { defaultVmGratiaSettings, type VmGratiaSettings } from './vm-gratia-settings.js';

const ATTRIBUTES = ['site_name', 'sites', 'grid', 'project_name', 'vo_map'] as const;
const NAME = /^[^\s=,;]([^=,;]*[^\s=,;])?$/;

/** `a=b, c=d` (or `;`-separated) into a map, each pair checked; `what` names the attribute in a message. */
function pairs(text: string, onBad: (item: string) => void): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '')) {
    const [k, v, ...rest] = item.split('=').map((s) => s.trim());
    if (k === undefined || v === undefined || rest.length > 0 || !NAME.test(k) || !NAME.test(v)) onBad(item);
    else out[k] = v;
  }
  return out;
}

export const vmGratiaClassType: ClassTypeHandler<VmGratiaSettings> = {
  type: 'VmGratia',
  build(cls, ctx) {
    const label = `VmGratia "${cls.name}"`;
    const s = defaultVmGratiaSettings();
    for (const [name, attr] of Object.entries(cls.attributes)) {
      const value = ctx.expand(attr.value, attr.pos).trim();
      switch (name as (typeof ATTRIBUTES)[number]) {
        case 'site_name':
          if (value === '') ctx.issue(attr.pos, `${label}: site_name is empty (leave it out to use each endpoint's name)`);
          else s.defaultSite = value;
          break;
        case 'sites':
          s.siteByEndpoint = pairs(value, (item) => ctx.issue(attr.pos, `${label}: sites: "${item}" is not endpoint=SiteName`));
          break;
        case 'grid':
          if (value === '') ctx.issue(attr.pos, `${label}: grid is empty (Gratia's default is OSG)`);
          else s.grid = value;
          break;
        case 'project_name':
          s.projectName = value === '' ? null : value;
          break;
        case 'vo_map':
          s.voByGroup = pairs(value, (item) => ctx.issue(attr.pos, `${label}: vo_map: "${item}" is not group=VO`));
          break;
        default:
          warnUnknownAttribute(name, attr.pos, ATTRIBUTES, label, ctx);
      }
    }
    return s;
  },
};

/** The first `VmGratia` class's settings (defaults without one), in the accounting time zone given. */
export function vmGratiaSettingsOf(config: LoadedConfig, timeZone: string): VmGratiaSettings {
  const s = objectsOfType<VmGratiaSettings>(config, 'VmGratia')[0]?.value ?? defaultVmGratiaSettings();
  return { ...s, timeZone };
}
