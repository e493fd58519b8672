// The rule registry: every rule MapScope runs, in the order their docs are generated.
import { nilMapWrite } from './nil-map-write';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [nilMapWrite];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
