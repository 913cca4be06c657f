/**
 * An object whose properties are built by their factory on first read and
 * then kept, so a per-request context costs nothing for the parts an
 * operation never touches.
 */
export function lazyObject<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = factories[key]();
        Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return target;
}
