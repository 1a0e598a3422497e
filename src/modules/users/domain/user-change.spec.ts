import { bindingProblems, leavesNoActiveAdmin, planUserChange, type UserState } from './user-change';

const agent: UserState = { name: 'Jo', role: 'agent', trustCode: null, supplierCode: null, active: true };
const manager: UserState = { ...agent, role: 'trust_manager', trustCode: 'LCFT' };
const admin: UserState = { ...agent, role: 'admin' };

describe('bindingProblems', () => {
  it.each([
    ['agent', null, null, []],
    ['trust_manager', 'LCFT', null, []],
    ['supplier', null, 'vmb', []],
    ['trust_manager', null, null, [{ field: 'trustCode', reasons: ['required for a trust_manager'] }]],
    ['agent', 'LCFT', null, [{ field: 'trustCode', reasons: ['only a trust_manager is bound to a trust'] }]],
    ['supplier', null, null, [{ field: 'supplierCode', reasons: ['required for a supplier user'] }]],
    [
      'admin',
      'LCFT',
      'vmb',
      [
        { field: 'trustCode', reasons: ['only a trust_manager is bound to a trust'] },
        { field: 'supplierCode', reasons: ['only a supplier user is bound to a supplier'] },
      ],
    ],
  ] as const)('%s with trust %j and supplier %j', (role, trust, supplier, problems) => {
    expect(bindingProblems(role, trust, supplier)).toEqual(problems);
  });
});

describe('planUserChange', () => {
  it('a name alone changes and ends no session', () => {
    expect(planUserChange(agent, { name: '  Jo Bloggs ' })).toEqual({
      next: { ...agent, name: 'Jo Bloggs' },
      changed: ['name'],
      endsSessions: false,
      problems: [],
    });
  });

  it('nothing given, or the same values, changes nothing', () => {
    expect(planUserChange(manager, {})).toMatchObject({ next: manager, changed: [], endsSessions: false });
    expect(planUserChange(manager, { role: 'trust_manager', trustCode: 'LCFT', active: true })).toMatchObject(
      {
        changed: [],
        endsSessions: false,
      },
    );
  });

  it.each([
    [{ role: 'desk_manager' } as const, ['role']],
    [{ active: false }, ['active']],
    [{ trustCode: 'BTH' }, ['trustCode']],
  ])('%j ends sessions', (patch, changed) => {
    const from = 'trustCode' in patch ? manager : agent;
    expect(planUserChange(from, patch)).toMatchObject({ changed, endsSessions: true, problems: [] });
  });

  it('a role away from trust_manager or supplier drops the binding', () => {
    expect(planUserChange(manager, { role: 'agent' })).toMatchObject({
      next: { ...agent },
      changed: ['role', 'trustCode'],
      problems: [],
    });
    const supplier: UserState = { ...agent, role: 'supplier', supplierCode: 'vmb' };
    expect(planUserChange(supplier, { role: 'trust_manager', trustCode: 'LCFT' })).toMatchObject({
      next: manager,
      changed: ['role', 'trustCode', 'supplierCode'],
      problems: [],
    });
  });

  it('checks the combination that would result, as a create does', () => {
    expect(planUserChange(agent, { role: 'trust_manager' }).problems).toEqual([
      { field: 'trustCode', reasons: ['required for a trust_manager'] },
    ]);
    expect(planUserChange(agent, { trustCode: 'LCFT' }).problems).toEqual([
      { field: 'trustCode', reasons: ['only a trust_manager is bound to a trust'] },
    ]);
    expect(planUserChange(manager, { trustCode: null }).problems).toEqual([
      { field: 'trustCode', reasons: ['required for a trust_manager'] },
    ]);
  });
});

describe('leavesNoActiveAdmin', () => {
  it.each([
    [admin, { ...admin, active: false }, 0, true],
    [admin, { ...admin, role: 'agent' }, 0, true],
    [admin, { ...admin, active: false }, 1, false],
    [admin, { ...admin, name: 'Renamed' }, 0, false],
    [{ ...admin, active: false }, { ...admin, active: false, role: 'agent' }, 0, false],
    [agent, { ...agent, active: false }, 0, false],
  ] as [UserState, UserState, number, boolean][])(
    '%j -> %j with %d other active admins: %s',
    (from, to, others, refused) => {
      expect(leavesNoActiveAdmin(from, to, others)).toBe(refused);
    },
  );
});
