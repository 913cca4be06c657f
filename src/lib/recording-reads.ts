import type DataLoader from 'dataloader';

/**
 * The loader itself, with `load` and `loadMany` first telling `onRead` of each key (the response cache records the
 * symbols an answer read, so the ticks of exactly those symbols drop it). Without `onRead`, the loader untouched.
 */
export function recordingReads<V>(loader: DataLoader<string, V>, onRead: ((key: string) => void) | undefined): DataLoader<string, V> {
  if (!onRead) return loader;
  const load = loader.load.bind(loader);
  const loadMany = loader.loadMany.bind(loader);
  loader.load = (key) => (onRead(key), load(key));
  loader.loadMany = (keys) => {
    Array.from(keys, onRead);
    return loadMany(keys);
  };
  return loader;
}
