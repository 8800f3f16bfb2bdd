import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface UrlStateCodec<T> {
  /** Reads the state from the query string, ignoring anything invalid (a hand-edited or outdated link). */
  read(params: URLSearchParams): T;
  /** Writes the state, leaving defaults out so links stay short. */
  write(state: T): URLSearchParams;
}

export interface UpdateOptions {
  /** Replace the history entry instead of adding one (e.g. while typing a search). */
  replace?: boolean;
}

/** State kept in the URL's query string, so a view can be bookmarked, reloaded and shared. */
export function useUrlState<T>(codec: UrlStateCodec<T>): [T, (next: T, options?: UpdateOptions) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query string is the state's identity
  const state = useMemo(() => codec.read(params), [key, codec]);
  const update = useCallback(
    (next: T, options: UpdateOptions = {}) => {
      const written = codec.write(next);
      if (written.toString() === key) return;
      setParams(written, { replace: options.replace ?? false });
    },
    [codec, key, setParams],
  );
  return [state, update];
}

export function positiveInt(value: string | null, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : fallback;
}
