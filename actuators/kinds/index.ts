/** The actuator kinds the appliance ships; other stages (provisioning) add theirs through the dispatcher's `kinds` option. */
import type { ActuatorKind } from '../types.js';
import { commandKind } from './command.js';
import { echoKind } from './echo.js';

export { commandKind, runCommand } from './command.js';
export type { CommandSettings } from './command.js';
export { echoKind } from './echo.js';

export const BUILTIN_KINDS: readonly ActuatorKind<never>[] = [commandKind as ActuatorKind<never>, echoKind as ActuatorKind<never>];
