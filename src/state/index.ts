/** The state layer: zod schemas (the source of truth), digests, parsing with precise errors, the session store. */
export * from './artifact-store.ts';
export * from './artifacts/index.ts';
export * from './config.ts';
export * from './digest.ts';
export * from './envelope.ts';
export * from './format-issue.ts';
export * from './json-schema.ts';
export * from './ledger.ts';
export * from './metrics.ts';
export * from './parse-document.ts';
export * from './primitives.ts';
export * from './session-status.ts';
export * from './state-error.ts';
export * from './to-session-view.ts';
export * from './validate.ts';
