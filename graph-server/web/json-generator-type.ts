/** The appliance's `JsonGenerator` class type: a generator like GraphTool's `XmlGenerator` whose mount serves the JSON output. */
import type { ClassTypeHandler, ConfigClass } from '../../grammar/index.js';

/**
 * `<class type="JsonGenerator" name="query_json"><queryobj>GratiaBarQueries</queryobj></class>`, kept as the raw
 * class: the graph routes read its `<queryobj>` list as they do for GraphTool's generators.
 */
export const jsonGeneratorClassType: ClassTypeHandler<ConfigClass> = {
  type: 'JsonGenerator',
  build: (cls) => cls,
};
