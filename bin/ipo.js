#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx's loader: no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
