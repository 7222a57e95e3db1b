import { REPLAY_INFO_PATH, type ReplayInfo } from '../replay/replay-server.ts';

/** Host names of this machine's loopback interface, as `URL` spells them. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * The line telling a person that the model is a replay (`ipo replay serve`), or undefined when it is not.
 *
 * Why a question to the server and not a response header: this process never talks to the model (each phase runs
 * in its own process, which owns the model client), so it would see no header; asking before the phase starts
 * puts the line above the phase's output. Why not "a loopback base URL is a replay": a local proxy or gateway in
 * front of the real API is loopback too, and calling its real answers replayed would be a lie. So a loopback base URL
 * is asked once, `GET /ipo/replay`, which only the replay server answers; a remote one is never asked (no request
 * leaves the machine that the person did not ask for).
 */
export async function replayNotice(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const base = env.ANTHROPIC_BASE_URL;
  if (!base) return undefined;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if (!LOOPBACK.test(url.hostname)) return undefined;
  try {
    const response = await fetch(`${base.replace(/\/+$/, '')}${REPLAY_INFO_PATH}`, {
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return undefined;
    const info = (await response.json()) as Partial<ReplayInfo>;
    if (info.replay !== true) return undefined;
    return `Model responses are REPLAYED from ${String(info.source)} by a local Messages API at ${url.origin} (ipo replay serve), not the Anthropic API.`;
  } catch {
    // Nothing listening, or not a replay: the phase's own model call reports a real connection problem.
    return undefined;
  }
}
