// Summaries as plain JSON text, for the disk cache and the bundled standard-library snapshot.
// Generic over the summary's shape: Maps and Sets become tagged arrays and come back as Maps and
// Sets, so a field added to a summary (at any depth) is stored without touching this file. The
// format fingerprint, not this codec, says whether a stored summary has today's shape.

const MAP = '$map';
const SET = '$set';

/** JSON text of a value made of plain objects, arrays, strings, numbers, booleans, Maps and Sets. */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key: string, v: unknown) {
    if (v instanceof Map) return { [MAP]: [...v.entries()] };
    if (v instanceof Set) return { [SET]: [...v.values()] };
    return v;
  });
}

/** The value encodeValue wrote; throws SyntaxError on text that is not JSON. */
export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_key: string, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === MAP && Array.isArray(o[MAP])) return new Map(o[MAP] as [unknown, unknown][]);
      if (keys.length === 1 && keys[0] === SET && Array.isArray(o[SET])) return new Set(o[SET] as unknown[]);
    }
    return v;
  });
}
