import { runInActions } from './run-in-actions.ts';

await runInActions(process.env);
