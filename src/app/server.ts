import { runServer } from './run-server.ts';

// The hosted app's entry (`npm run app`): everything else is in run-server.ts.
await runServer(process);
