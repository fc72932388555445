/** The sensor agent (WP4 Monitoring Sensor Agent): configured commands and Nagios plugins run on schedules as samples. */
export { formatDuration, parseDuration } from './duration.js';
