import { describe, expect, it } from 'vitest';
import { sealMarker } from '../../src/github/marker-trust.ts';
import { statusMarkerFor } from '../../src/github/status-marker.ts';
import { renderMarkerComment, renderStatusComment } from '../../src/report/render-status-comment.ts';
import { ledger } from '../state/fixtures.ts';

const runUrl = (id: number) => `https://github.com/octo/demo/actions/runs/${id}`;
const marker = statusMarkerFor(ledger(), { repo: 'octo/demo', issueNumber: 7, version: 2 });

describe('status comment without a state key', () => {
  it.each([
    ['the app', (m: typeof marker) => renderMarkerComment(m, runUrl)],
    ['the job', (m: typeof marker) => renderStatusComment({ ledger: ledger(), marker: m, runUrl })],
  ])('says loudly in %s’s comment that it is not signed, and what to set', (_who, render) => {
    const text = render(sealMarker(marker, null));
    expect(text).toContain('⚠️ This status comment is');
    expect(text).toContain('**not signed**');
    expect(text).toContain('IPO_STATE_KEY');
  });

  it.each([
    ['the app', (m: typeof marker) => renderMarkerComment(m, runUrl)],
    ['the job', (m: typeof marker) => renderStatusComment({ ledger: ledger(), marker: m, runUrl })],
  ])('says nothing of it in %s’s comment once sealed', (_who, render) => {
    expect(render(sealMarker(marker, 'k'.repeat(64)))).not.toContain('not signed');
  });
});
