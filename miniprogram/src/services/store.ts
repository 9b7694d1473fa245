/** What the services keep between launches. Taro storage in the app, a Map in tests. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(key: string) => data.get(key) as T | undefined,
    set: (key, value) => void data.set(key, JSON.parse(JSON.stringify(value)) as unknown),
    remove: (key) => void data.delete(key),
  };
}

export const STORAGE_KEYS = {
  session: 'mss.session',
  demoCode: 'mss.demoCode',
  largeText: 'mss.largeText',
  draft: (studioId: string) => `mss.draft.${studioId}`,
} as const;
