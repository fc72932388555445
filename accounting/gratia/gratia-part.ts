/**
 * The Gratia writer as a part of the `Accounting` component: every import's slice change becomes OneVM records and
 * summary rows in its transaction; and the VM usage dashboard, `/accounting/usage`.
 */
import { DateTime } from 'luxon';
import type { AccountingPartFactory } from '../accounting-part.js';
import { applySliceChange } from './apply-slice-change.js';
import { usageDashboardRouter } from './usage-dashboard.js';
import { vmGratiaSettingsOf } from './vm-gratia-class.js';

export const gratiaPart: AccountingPartFactory = (deps) => ({
  name: 'gratia',
  router: usageDashboardRouter({
    store: deps.store,
    requireRead: deps.requireRead,
    today: () => DateTime.fromJSDate(deps.clock(), { zone: deps.settings().timeZone }).toISODate()!,
  }),
  links: [
    { title: 'VM usage', href: '/accounting/usage', note: 'VM hours by group over time, top VMs' },
    { title: 'VM graphs (Gratia)', href: '/gratia/html/vm_wall_hours_by_group', note: 'wall hours by group, user and host; running VMs; memory' },
  ],
  onSlices: async (tx, change, context) => {
    await applySliceChange(tx, change, { settings: vmGratiaSettingsOf(deps.config(), context.timeZone), now: context.now });
  },
});
