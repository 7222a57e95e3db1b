// The job verifies approvals with the same check as the app, so it lives in src/github.
export { hasWriteAccess } from '../github/has-write-access.ts';
