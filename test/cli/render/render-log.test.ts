import { describe, expect, it } from 'vitest';
import { renderAuditLog } from '../../../src/cli/render/render-log.ts';
import type { Ledger } from '../../../src/state/ledger.ts';
import { awaitingVerification, blockedVerification } from '../../report/render-fixtures.ts';
import { ledger as fixtureLedger } from '../../state/fixtures.ts';

/** Each line as [time, kind, what]: the three columns are separated by two or more spaces. */
function entries(ledger: Ledger): string[][] {
  return renderAuditLog(ledger)
    .split('\n')
    .map((line) => {
      const [time = '', kind = '', ...what] = line.split(/\s{2,}/);
      return [time, kind, what.join('  ')];
    });
}

describe('renderAuditLog', () => {
  it('lists runs, approvals and events in time order, one line each, ISO time first', () => {
    expect(entries(blockedVerification('2 of 3 criteria fail:\nAC-2 fails'))).toEqual([
      ['2025-01-31T09:00:00.000Z', 'session-started', "by alice  I'm going to start phase 2.4"],
      ['2025-01-31T09:00:01.000Z', 'run started', 'alignment #1  base aaaaaaa  inputs task sha256:eeeeeeee'],
      ['2025-01-31T09:00:41.500Z', 'run finished', 'alignment #1  succeeded  sha256:1a2b3c4d  head aaaaaaa'],
      ['2025-01-31T09:05:00.000Z', 'approved', 'implementation by bob  sha256:1a2b3c4d  head aaaaaaa'],
      [
        '2025-01-31T09:05:00.000Z',
        'run started',
        'implementation #1  base aaaaaaa  inputs alignment sha256:1a2b3c4d',
      ],
      [
        '2025-01-31T09:12:00.000Z',
        'run finished',
        'implementation #1  failed  output-tokens budget exceeded: used 64000 of 64000 (+1 more line)',
      ],
      ['2025-01-31T09:20:00.000Z', 'retry', 'by alice  Reuse the existing session store. (+2 more lines)'],
      [
        '2025-01-31T09:20:00.000Z',
        'run started',
        'implementation #2  base aaaaaaa  inputs alignment sha256:1a2b3c4d, feedback sha256:ffffffff  run 9876543210',
      ],
      [
        '2025-01-31T09:31:05.000Z',
        'run finished',
        'implementation #2  succeeded  sha256:5e6f7a8b  head bbbbbbb',
      ],
      ['2025-01-31T09:59:59.000Z', 'approved', 'verification by carol  sha256:5e6f7a8b  head bbbbbbb'],
      [
        '2025-01-31T10:00:00.000Z',
        'run started',
        'verification #1  base bbbbbbb  inputs implementation sha256:5e6f7a8b',
      ],
      [
        '2025-01-31T10:02:30.000Z',
        'run finished',
        'verification #1  blocked  sha256:9c0d1e2f  head bbbbbbb  2 of 3 criteria fail: (+1 more line)',
      ],
    ]);
  });

  it('sorts by time, not by the order the arrays were written in', () => {
    const ledger = awaitingVerification();
    const late = {
      at: '2025-01-31T09:10:00.000Z',
      type: 'approval-refused',
      actor: 'mallory',
      detail: 'not a collaborator',
    };
    const times = entries({ ...ledger, events: [...ledger.events, late] }).map(([time]) => time);
    expect(times).toEqual([...times].sort());
    expect(entries({ ...ledger, events: [...ledger.events, late] })[5]).toEqual([
      '2025-01-31T09:10:00.000Z',
      'approval-refused',
      'by mallory  not a collaborator',
    ]);
  });

  it('orders entries of one millisecond causally: session start, run start, run finish, then the next gate approval', () => {
    // The shared fixture records everything at the same instant.
    expect(entries(fixtureLedger()).map(([, kind]) => kind)).toEqual([
      'session-started',
      'run started',
      'run finished',
      'approved',
    ]);
  });

  it('shows a run still in progress by its start only', () => {
    const ledger = awaitingVerification();
    const running: Ledger = {
      ...ledger,
      runs: [
        ...ledger.runs,
        {
          phase: 'verification',
          attempt: 1,
          status: 'running',
          startedAt: '2025-01-31T10:00:00.000Z',
          inputs: [],
        },
      ],
    };
    const last = entries(running).at(-1);
    expect(last).toEqual(['2025-01-31T10:00:00.000Z', 'run started', 'verification #1']);
  });

  it('keeps escape codes in event details and actors out of the log', () => {
    const ledger = awaitingVerification();
    const hostile = {
      at: '2025-01-31T09:40:00.000Z',
      type: 'rollback',
      actor: 'eve',
      detail: '\x1b[2Kwiped\x1b[1A line',
    };
    const text = renderAuditLog({ ...ledger, events: [...ledger.events, hostile] });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('rollback         by eve  wiped line');
  });

  it('normalises times to full ISO form so the columns line up', () => {
    const ledger = awaitingVerification();
    const event = { at: '2025-01-31T09:45:00Z', type: 'cancel', detail: 'cancel session' };
    expect(entries({ ...ledger, events: [...ledger.events, event] }).at(-1)).toEqual([
      '2025-01-31T09:45:00.000Z',
      'cancel',
      'cancel session',
    ]);
  });
});
