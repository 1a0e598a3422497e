import { clockHolder } from './clock-holder';

describe('clock holder', () => {
  it.each([
    ['new', [], 'desk', 'Desk'],
    ['in_progress', [], 'desk', 'Desk'],
    ['awaiting_caller', ['Openreach'], 'caller', 'Caller (clock paused)'],
    ['awaiting_supplier', [], 'supplier', 'Supplier'],
    ['awaiting_supplier', ['Openreach'], 'supplier', 'Supplier: Openreach'],
    ['assigned', ['Openreach', 'Virgin Media'], 'supplier', 'Supplier: Openreach, Virgin Media'],
  ] as const)('%s with suppliers %j waits on %s', (status, suppliers, who, label) => {
    expect(clockHolder(status, suppliers)).toMatchObject({ who, label, className: `holder-${who}` });
  });

  it.each(['resolved', 'closed', 'cancelled'] as const)('a %s incident has no holder', (status) => {
    expect(clockHolder(status, ['Openreach'])).toBeNull();
  });
});
