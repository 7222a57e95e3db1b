// The formatters live in src/report/format.ts; src/github/status-marker.ts still imports `truncate` from here.
// TODO(lead): import it from ../report/format.ts in status-marker.ts, then delete this file and its Biome exception.
export * from '../../report/format.ts';
