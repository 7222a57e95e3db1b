import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

export interface DeliverOptions {
  /** `X-GitHub-Delivery`; a fresh UUID unless given (give the same one to simulate a redelivery). */
  id?: string;
  /** Overrides the server's webhook secret, e.g. a wrong one to test that the receiver refuses it. */
  secret?: string;
}

export interface Delivery {
  id: string;
  status: number;
  body: string;
}

/** POSTs a webhook as GitHub's Hookshot does: JSON body, event and delivery headers, HMAC-SHA256 signature. */
export async function deliverWebhook(
  url: string,
  event: string,
  payload: unknown,
  options: DeliverOptions & { appId?: number },
): Promise<Delivery> {
  const id = options.id ?? randomUUID();
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/local',
    'x-github-event': event,
    'x-github-delivery': id,
    'x-github-hook-id': '1',
  };
  if (options.appId !== undefined) {
    headers['x-github-hook-installation-target-type'] = 'integration';
    headers['x-github-hook-installation-target-id'] = String(options.appId);
  }
  // Without a secret GitHub sends no signature at all.
  if (options.secret !== undefined) headers['x-hub-signature-256'] = await sign(options.secret, body);
  const response = await fetch(url, { method: 'POST', headers, body });
  return { id, status: response.status, body: await response.text() };
}
