// Counter-based RNG: every draw is a pure function of (label, counter, stream),
// so a value never depends on how many draws came before it. That is what lets
// the seed generate any date range and get identical numbers on shared days.

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: a cheap avalanche so nearby inputs diverge. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `label`, finalised with fmix32. */
export function hashString(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Hashes a label seed together with a counter (e.g. a day number) and a stream index. */
export function hash3(seed: number, counter: number, stream = 0): number {
  // Counters may be negative (days before 1970); `| 0` keeps them as int32 bits.
  let h = fmix32((seed ^ Math.imul(counter | 0, 0x9e3779b1)) >>> 0);
  h = fmix32((h ^ Math.imul((stream | 0) + 0x632be5ab, 0x85ebca77)) >>> 0);
  return h;
}

/** Uniform in the open interval (0, 1); never 0, so log() in Box-Muller is safe. */
export function uniformAt(seed: number, counter: number, stream = 0): number {
  return (hash3(seed, counter, stream) + 0.5) / TWO_POW_32;
}

/** Standard normal via Box-Muller, using streams 2k and 2k+1 for the two uniforms. */
export function normalAt(seed: number, counter: number, stream = 0): number {
  const u1 = uniformAt(seed, counter, 2 * stream);
  const u2 = uniformAt(seed, counter, 2 * stream + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Convenience for one-off draws keyed by a string label. */
export function normal(label: string, counter: number, stream = 0): number {
  return normalAt(hashString(label), counter, stream);
}

export function uniform(label: string, counter: number, stream = 0): number {
  return uniformAt(hashString(label), counter, stream);
}
