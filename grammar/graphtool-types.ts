/** GraphTool's own class types, recognised by name so real configuration files load. */
import type { ClassTypeHandler, ConfigClass } from './types.js';

/** GraphTool and Gratia-web class types whose objects later stages build from the raw class. */
export const GRAPHTOOL_CLASS_TYPES = [
  'SqlQueries', 'XmlGenerator', 'CsvGenerator', 'HtmlGenerator', 'Grapher', 'SeleniumHtmlPNGGenerator',
  'WebHost', 'StaticContent', 'GraphToolLogging', 'Gratia',
] as const;

/** Keeps the class as it is: the query engine and graph server read these in their own stage. */
export const graphToolPassThroughTypes: ClassTypeHandler<ConfigClass>[] = GRAPHTOOL_CLASS_TYPES.map((type) => ({
  type,
  build: (cls) => cls,
}));
