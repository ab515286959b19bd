/**
 * An array or object as the partial layer builds it (the parser's working containers and
 * snapshots, `applyDelta`'s copies).
 * @internal
 */
export type Container = Record<string, unknown> | unknown[];

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

/** `Object.prototype.hasOwnProperty`, for `hasOwn.call(container, key)` (also for the key `__proto__`). @internal */
export const hasOwn = Object.prototype.hasOwnProperty;
