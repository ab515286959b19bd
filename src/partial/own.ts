/** The keyed store the partial layer builds values with (the parser's snapshots and `applyDelta`'s copies). */
type Container = Record<string, unknown> | unknown[];

/**
 * Sets an own data property, also for the key `__proto__`: plain assignment would change the
 * prototype, while `JSON.parse` makes an own property.
 * @internal
 */
export function setOwn(target: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<string | number, unknown>)[key] = value;
  }
}
