/** The configuration grammar's types: positioned XML nodes, classes, issues and class-type handlers. */

/** Where something is in a configuration file (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** An XML element with its position; `content` keeps text and child elements in document order. */
export interface ConfigNode {
  tag: string;
  attrs: Record<string, string>;
  children: ConfigNode[];
  content: (string | ConfigNode)[];
  /** The element's own text (direct text children joined), untrimmed. */
  text: string;
  pos: SourcePos;
}

export const ISSUE_SEVERITIES = ['error', 'warning'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

/** One configuration problem, printed as `file:line:col: message`. */
export interface ConfigIssue {
  pos: SourcePos;
  message: string;
  severity: IssueSeverity;
}

/** A `<class type=... name=...>` element with its `<attribute>` children read. */
export interface ConfigClass {
  type: string;
  name: string;
  /** Direct `<attribute name="k">` children, text stripped (GraphTool's rule). */
  attributes: Record<string, { value: string; pos: SourcePos }>;
  node: ConfigNode;
  pos: SourcePos;
}

/** What a class-type handler gets to report problems and look at the environment. */
export interface BuildContext {
  /** Records an error (or warning) at a position; building goes on so every problem is reported. */
  issue(pos: SourcePos, message: string, severity?: IssueSeverity): void;
  /** Expands `$VAR`, `${VAR}` and a leading `~`; unset variables are reported at `pos`. */
  expand(text: string, pos: SourcePos): string;
}

/** Turns classes of one `type` into the objects a stage uses. Stages bring their own handlers. */
export interface ClassTypeHandler<T = unknown> {
  type: string;
  build(cls: ConfigClass, ctx: BuildContext): T;
}

/** A built class: its handler's result, with the class it came from. */
export interface ConfigObject<T = unknown> {
  type: string;
  name: string;
  value: T;
  cls: ConfigClass;
}

/** Everything one load produced. A load with any error must not be applied. */
export interface LoadedConfig {
  /** The namespace shared by every file: class name → built object (first definition wins). */
  objects: Map<string, ConfigObject>;
  /** The files read, in order. */
  files: string[];
  issues: ConfigIssue[];
}
