/** Query inputs: the safe expression evaluator, GraphTool's input typing and partial rounding, request resolution, GW UI parameters. */
export { evaluateExpression, ExpressionError } from './expression.js';
export type { ExpressionContext, ExpressionValue } from './expression.js';
export { DATETIME_FORMATS, parseDateTimeFormat, parseGraphToolDateTime } from './datetime.js';
export type { DateTimeFormat } from './datetime.js';
export { TYPED_VALUE_KINDS, formatTypedValue, plainValue, toSqlValue } from './typed-value.js';
export type { TypedValue, TypedValueKind } from './typed-value.js';
export { DEFAULT_CHECK_NOW, PARTIAL_DIRECTIONS, applyPartial, checkInputDefault, typeInputDefault, typeInputValue } from './input-typing.js';
export type { InputDef, PartialDirection, TypingContext } from './input-typing.js';
export { resolveInputs } from './resolve-inputs.js';
export type { ResolvedInputs } from './resolve-inputs.js';
export { anchorPlainName, gwSpanForRange, gwTimeParameters, gwUiParameters, unanchorPlainName } from './gw-parameters.js';
export type { GwTimeParameters } from './gw-parameters.js';
