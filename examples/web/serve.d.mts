export interface StaticServer {
  /** e.g. http://127.0.0.1:5173/ */
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` (default examples/web/dist) and /config.js pointing the app at `apiUrl`. */
export function startStaticServer(options?: { dir?: string; port?: number; host?: string; apiUrl?: string }): Promise<StaticServer>;
