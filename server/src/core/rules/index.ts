// The rule registry: every rule MapScope runs, in the order their docs are generated. The only
// module that imports a rule.
import { concurrentMapWrite } from './concurrent-map-write';
import { mapWithoutHint } from './map-without-hint';
import { nilMapWrite } from './nil-map-write';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [nilMapWrite, mapWithoutHint, concurrentMapWrite];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
