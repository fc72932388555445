/** The shipped harmless actuator: prints its node and parameters, exits 0, touches nothing. */
import type { ActuatorKind } from '../types.js';

export const echoKind: ActuatorKind<Record<string, never>> = {
  kind: 'echo',
  build: () => ({}),
  run: async (_settings, run) => {
    const params = Object.entries(run.params).map(([k, v]) => ` ${k}=${v}`).join('');
    const text = `echo ${run.node}${params}\n`;
    return { exitCode: 0, output: text.length > run.outputLimit ? text.slice(text.length - run.outputLimit) : text };
  },
};
