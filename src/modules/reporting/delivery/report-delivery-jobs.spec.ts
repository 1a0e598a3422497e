import { scheduledInstant, subscriptionOfScheduler, subscriptionSchedulerId } from './report-delivery-jobs';

describe('report delivery job ids', () => {
  const id = '3f2b8c1e-0a6d-4e2f-9b7a-5c4d3e2f1a0b';

  it('names one scheduler per subscription and reads the subscription back', () => {
    expect(subscriptionSchedulerId(id)).toBe(`report-subscription-${id}`);
    expect(subscriptionOfScheduler(`report-subscription-${id}`)).toBe(id);
    expect(subscriptionOfScheduler('mail-sweep')).toBeNull();
  });

  it.each([
    [`repeat:report-subscription-${id}:1806562800000`, new Date('2027-04-01T07:00:00Z')],
    ['dup-a', null],
    [undefined, null],
    [`repeat:report-subscription-${id}:soon`, null],
    ['repeat:report-subscription-00000000-0000-4000-8000-000000000000:1806562800000', null],
  ])('%s was scheduled for %s', (jobId, at) => {
    expect(scheduledInstant(jobId, id)).toEqual(at);
  });
});
