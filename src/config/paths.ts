/** Small helpers on plain nested objects (configuration layers). No schema here: the CLI's cold start imports this. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      // A key that is not a name (a threshold's metric, `latency{type:pageview}`) is quoted.
      const key = /^[A-Za-z_$][\w$-]*$/.test(String(part)) ? String(part) : `"${String(part)}"`;
      out += out ? `.${key}` : key;
    }
  }
  return out;
}

export function getPath(values: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = values;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

export function setPath(values: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = values;
  path.forEach((part, i) => {
    if (i === path.length - 1) {
      current[part] = value;
      return;
    }
    const next = current[part];
    if (!isPlainObject(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  });
}

export function deletePath(values: unknown, path: ReadonlyArray<PropertyKey>): void {
  const parent = getPath(values, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent !== null && typeof parent === 'object' && last !== undefined) {
    delete (parent as Record<PropertyKey, unknown>)[last];
  }
}
