/** Transforms by the names configs use (`pivot_transform`, `grouping_transform`, `data_transform`). */
import { displayName, displayNameCommaSite, displayNameSite } from './display-name.js';
import { displayVoProjectFosCommaSite, oimResourceFilter, oimVoFilter, oimVoProjectFosFilter } from './oim-transforms.js';
import { adjustTime, commaSeparatedPivotArr, echo, jsonPivotArr, makeFloat, makeInt, makeString } from './transforms.js';
import type { Transform } from './types.js';

/** Every transform name the appliance implements. */
export const TRANSFORM_NAMES = [
  'echo',
  'make_int',
  'make_float',
  'make_string',
  'adjust_time',
  'comma_separeted_pivot_arr',
  'json_pivot_arr',
  'displayName',
  'displayNameSite',
  'displayNameCommaSite',
  'oim_resource_filter',
  'oim_vo_filter',
  'oim_vo_project_fos_filter',
  'displayVOProjectFosCommaSite',
] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

const TRANSFORMS: Record<TransformName, Transform> = {
  echo,
  make_int: makeInt,
  make_float: makeFloat,
  make_string: makeString,
  adjust_time: adjustTime,
  comma_separeted_pivot_arr: commaSeparatedPivotArr,
  json_pivot_arr: jsonPivotArr,
  displayName,
  displayNameSite,
  displayNameCommaSite,
  oim_resource_filter: oimResourceFilter,
  oim_vo_filter: oimVoFilter,
  oim_vo_project_fos_filter: oimVoProjectFosFilter,
  displayVOProjectFosCommaSite: displayVoProjectFosCommaSite,
};

const SCIENCE_FEEDS =
  "GW's ScienceFilter merges the Engage, NYSGrid, Twiki and override CSV feeds (fields of science by DN and FQAN prefix) " +
  "with OIM's VO science fields; the appliance has no source for those feeds";

/** Transform names real configs use that the appliance knows but cannot run, with the reason. */
export const UNSUPPORTED_TRANSFORMS: Readonly<Record<string, string>> = {
  science_filter: SCIENCE_FEEDS,
  nonhep_science_filter: `wraps science_filter: ${SCIENCE_FEEDS}`,
  nonphysics_science_filter: `wraps science_filter: ${SCIENCE_FEEDS}`,
  unclassified_science_filter: `wraps science_filter: ${SCIENCE_FEEDS}`,
};

function isTransformName(name: string): name is TransformName {
  return Object.hasOwn(TRANSFORMS, name);
}

/** The transform with this name (surrounding whitespace ignored, as GraphTool strips it), or `undefined`. */
export function resolveTransform(name: string): Transform | undefined {
  const trimmed = name.trim();
  return isTransformName(trimmed) ? TRANSFORMS[trimmed] : undefined;
}

/** Why a transform is known but not run by the appliance, or `undefined` (implemented or unknown). */
export function unsupportedTransform(name: string): string | undefined {
  const trimmed = name.trim();
  return Object.hasOwn(UNSUPPORTED_TRANSFORMS, trimmed) ? UNSUPPORTED_TRANSFORMS[trimmed] : undefined;
}
