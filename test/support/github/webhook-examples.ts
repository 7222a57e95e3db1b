import { createRequire } from 'node:module';

type Example = Record<string, unknown>;

interface Definition {
  name: string;
  examples: Example[];
}

// The package's main is a JSON file; require reads it without import attributes.
const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as Definition[];

/** A fresh copy of the first real example payload of `event` for which `pick` holds. */
export function webhookExample(event: string, pick: (example: Example) => boolean): Example {
  const found = definitions.find((d) => d.name === event)?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no matching ${event} example`);
  return structuredClone(found);
}

/** The examples the payload builders start from (the fullest one of each kind). */
export const EXAMPLES = {
  issueCommentCreated: () =>
    webhookExample('issue_comment', (e) => e.action === 'created' && 'installation' in e),
  issueCommentEdited: () => webhookExample('issue_comment', (e) => e.action === 'edited'),
  workflowRunCompleted: () =>
    webhookExample(
      'workflow_run',
      (e) => e.action === 'completed' && hasKey(e.workflow_run, 'display_title'),
    ),
};

function hasKey(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && key in value;
}
