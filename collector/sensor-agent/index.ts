/** The sensor agent (WP4 Monitoring Sensor Agent): configured commands and Nagios plugins run on schedules as samples. */
export { splitCommandLine } from './command-line.js';
export { formatDuration, parseDuration } from './duration.js';
export { parsePerfdata } from './perfdata.js';
export type { ParsedPerfdata, PerfDatum } from './perfdata.js';
export { parsePluginOutput, stateCode } from './plugin-output.js';
export type { PluginOutput } from './plugin-output.js';
export { runCommand } from './run-command.js';
export type { CommandResult } from './run-command.js';
export { nextRun, parseCron } from './schedule.js';
export type { Schedule } from './schedule.js';
export { SENSOR_SOURCE, createSensorAgent, runSamples } from './sensor-agent.js';
export type { SensorAgent, SensorAgentOptions } from './sensor-agent.js';
export { sensorsClassType, sensorsConfigsOf } from './sensors-class-type.js';
export type { SensorDef, SensorsConfig } from './sensors-class-type.js';
