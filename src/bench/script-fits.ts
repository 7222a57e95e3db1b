import { access } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import type { ReplayScript } from '../replay/script-schema.ts';
import { MODEL_PHASES } from './bench-report.ts';

/**
 * Before running anything: every file the script reads must exist in the repository (or be written earlier by the
 * script), so a script made for another repository fails here with the paths, not deep in a phase.
 */
export async function checkScriptFits(
  script: ReplayScript,
  repo: string,
  scriptName: string,
  added: Record<string, string> = {},
): Promise<void> {
  const names = script.conversations.map((c) => c.name);
  const absent = MODEL_PHASES.filter((p) => !names.includes(p));
  if (absent.length > 0) {
    throw new Error(
      `replay script ${scriptName} has no conversation for ${absent.join(', ')}: the benchmark runs a whole session, so the script needs one conversation per model phase, named alignment, implementation and verification (see examples/demo-replay.yaml).`,
    );
  }
  const written = new Set<string>(Object.keys(added));
  const missing = new Set<string>();
  for (const conversation of script.conversations) {
    for (const turn of conversation.turns) {
      for (const block of turn.response.content) {
        if (block.type !== 'tool_use' || typeof block.input.path !== 'string') continue;
        const path = block.input.path;
        if (block.name === 'write_file') written.add(path);
        if (block.name !== 'read_file' || written.has(path)) continue;
        // A path that leaves the repository never fits (the workspace tools refuse it), so the host is not probed.
        const inside = !isAbsolute(path) && !normalize(path).startsWith('..');
        const exists =
          inside &&
          (await access(join(repo, path)).then(
            () => true,
            () => false,
          ));
        if (!exists) missing.add(path);
      }
    }
  }
  if (missing.size > 0) {
    throw new Error(
      `replay script ${scriptName} does not fit repository ${repo}: it reads ${[...missing].join(', ')}, which the repository does not have. Pass the repository the script was written for (--repo), or fix the paths in the script.`,
    );
  }
}
