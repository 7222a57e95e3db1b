import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppDeps } from './app-deps.ts';
import { composeAppDeps } from './compose.ts';
import { handleIssueComment } from './handlers/issue-comment.ts';
import { handleWorkflowRun } from './handlers/workflow-run.ts';
import { healthz } from './healthz.ts';

/** The ipo GitHub App: routes events to their handlers; everything else lives in the handlers. */
export default function ipoApp(
  app: Probot,
  options: ApplicationFunctionOptions,
  deps: AppDeps = composeAppDeps(),
): void {
  options.addHandler?.(healthz);
  // A redelivered webhook is handled once per instance, unless its first handling failed.
  const once =
    <C extends { id: string }>(handle: (context: C, deps: AppDeps) => Promise<void>) =>
    async (context: C) => {
      if (deps.deliveries.seen(context.id)) return;
      try {
        await handle(context, deps);
      } catch (error) {
        deps.deliveries.forget(context.id);
        throw error;
      }
    };
  app.on('issue_comment.created', once(handleIssueComment));
  app.on('workflow_run.completed', once(handleWorkflowRun));
}
