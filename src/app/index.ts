import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppDeps } from './app-deps.ts';
import { composeAppDeps } from './compose.ts';
import { handleIssueComment } from './handlers/issue-comment.ts';
import { handleWorkflowRun } from './handlers/workflow-run.ts';
import { healthz } from './healthz.ts';
import { type TrustFor, trustResolver } from './state-trust.ts';

/** What each handler gets: the app's dependencies and the trust rules of the event's repository. */
export type HandlerDeps = AppDeps & { trustFor: TrustFor };

/** The ipo GitHub App: routes events to their handlers; everything else lives in the handlers. */
export default function ipoApp(
  app: Probot,
  options: ApplicationFunctionOptions,
  deps: AppDeps = composeAppDeps(),
): void {
  options.addHandler?.(healthz);
  if (deps.stateKey.kind === 'none') {
    app.log.warn(
      'ipo: no state key (IPO_STATE_KEY / IPO_STATE_SECRET / WEBHOOK_SECRET): status comments are NOT signed, ' +
        'so anyone with write access could alter a session by editing one. Set a key before real use.',
    );
  }
  const handlerDeps: HandlerDeps = { ...deps, trustFor: trustResolver(app, deps) };
  // A redelivered webhook is handled once per instance, unless its first handling failed.
  const once =
    <C extends { id: string }>(handle: (context: C, deps: HandlerDeps) => Promise<void>) =>
    async (context: C) => {
      if (deps.deliveries.seen(context.id)) return;
      try {
        await handle(context, handlerDeps);
      } catch (error) {
        deps.deliveries.forget(context.id);
        throw error;
      }
    };
  app.on('issue_comment.created', once(handleIssueComment));
  app.on('workflow_run.completed', once(handleWorkflowRun));
}
