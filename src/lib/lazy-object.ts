const SCOPE = Symbol('scope');

/**
 * A class whose instances build each property by its factory, from the scope the instance was made with, on first
 * read, then keep it. The getters live once on the prototype: making an instance allocates one
 * small object, not a closure and an accessor per property (a per-request context built from an accessor and a closure per
 * property cost more than the execution of a small query: bench:execute).
 */
export function lazyClass<Scope, T extends object>(factories: { [K in keyof T]: (scope: Scope) => T[K] }): new (scope: Scope) => T {
  class Lazy {
    declare readonly [SCOPE]: Scope;
    constructor(scope: Scope) {
      this[SCOPE] = scope;
    }
  }
  for (const key of Object.keys(factories) as (keyof T & string)[]) {
    Object.defineProperty(Lazy.prototype, key, {
      enumerable: true,
      configurable: true,
      get(this: Lazy) {
        const value = factories[key](this[SCOPE]);
        Object.defineProperty(this, key, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return Lazy as unknown as new (scope: Scope) => T;
}
