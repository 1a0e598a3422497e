import { updateEffect } from './escalation-status';

describe("a supplier update's effect on an escalation", () => {
  it('moves forward only', () => {
    expect(updateEffect('sent', 'acknowledged')).toMatchObject({
      status: 'acknowledged',
      acknowledges: true,
    });
    expect(updateEffect('in_progress', 'acknowledged').status).toBe('in_progress');
    expect(updateEffect('sent', 'engineer_dispatched')).toMatchObject({
      status: 'in_progress',
      handsBack: false,
    });
  });

  it('hands the incident back on resolved (fix met), on not ours and on a question', () => {
    expect(updateEffect('in_progress', 'resolved')).toEqual({
      status: 'resolved',
      acknowledges: true,
      fixes: true,
      handsBack: true,
      notOurs: false,
    });
    expect(updateEffect('sent', 'not_ours')).toMatchObject({
      status: 'cancelled',
      notOurs: true,
      handsBack: true,
    });
    expect(updateEffect('acknowledged', 'needs_info')).toMatchObject({
      status: 'acknowledged',
      handsBack: true,
    });
  });

  it('only adds to the timeline of a closed escalation', () => {
    expect(updateEffect('failed', 'resolved')).toMatchObject({
      status: 'failed',
      fixes: false,
      handsBack: false,
    });
    expect(updateEffect('resolved', 'update')).toMatchObject({ status: 'resolved', handsBack: false });
  });
});
