/** The `VoOwnership` class type: which VOs own which resources (OIM's ownership, kept in configuration instead). */
import type { ClassTypeHandler } from '../../grammar/index.js';
import type { Ownership } from '../results/index.js';

/**
 * Reads
 * ```xml
 * <class type="VoOwnership" name="VoOwnership">
 *   <resource name="Nebraska"> <owner vo="cms"/> </resource>
 *   <resource name="FNAL_FERMIGRID"> <owner vo="fermilab" percent="60"/> <owner vo="nova" percent="40"/> </resource>
 * </class>
 * ```
 * into `[{vo, resource}]` in document order. As GW read OIM, only owners with a percentage above 0 count
 * (`percent` defaults to 100). VO names are kept as written; the opportunistic filter and parsers compare them
 * lower-cased.
 */
export const voOwnershipType: ClassTypeHandler<Ownership[]> = {
  type: 'VoOwnership',
  build(cls, ctx) {
    const out: Ownership[] = [];
    const seen = new Set<string>();
    for (const res of cls.node.children) {
      if (res.tag === 'attribute') continue;
      if (res.tag !== 'resource') {
        ctx.issue(res.pos, `VoOwnership "${cls.name}": unexpected <${res.tag}>; use <resource name="..."><owner vo="..."/></resource>`);
        continue;
      }
      const resource = (res.attrs.name ?? '').trim();
      if (!resource) {
        ctx.issue(res.pos, `VoOwnership "${cls.name}": <resource> needs a name="..." (the site or resource the VOs own)`);
        continue;
      }
      for (const owner of res.children) {
        if (owner.tag !== 'owner') {
          ctx.issue(owner.pos, `VoOwnership "${cls.name}": resource "${resource}": unexpected <${owner.tag}>; use <owner vo="..."/>`);
          continue;
        }
        const vo = (owner.attrs.vo ?? '').trim();
        if (!vo) {
          ctx.issue(owner.pos, `VoOwnership "${cls.name}": resource "${resource}": <owner> needs a vo="..."`);
          continue;
        }
        const percentText = (owner.attrs.percent ?? '100').trim();
        const percent = /^\d+(\.\d+)?$/.test(percentText) ? Number(percentText) : NaN;
        if (!(percent >= 0 && percent <= 100)) {
          ctx.issue(owner.pos, `VoOwnership "${cls.name}": resource "${resource}": owner "${vo}": percent="${percentText}" is not a number from 0 to 100`);
          continue;
        }
        const key = `${vo.toLowerCase()}\u0000${resource.toLowerCase()}`;
        if (percent === 0 || seen.has(key)) continue;
        seen.add(key);
        out.push({ vo, resource });
      }
    }
    return out;
  },
};
