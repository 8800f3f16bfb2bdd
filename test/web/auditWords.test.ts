import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/common/audit.ts';
import { type AuditNames, auditChanges, auditSentence, fieldLabel } from '../../src/web/lib/auditWords.ts';

const names: AuditNames = {
  actor: (event) => (event.actor.id ? 'Maria Lopez' : event.actor.label),
  provider: (key) => (key === 'google' ? 'Google Admin' : key),
};

function event(
  action: string,
  details: Record<string, unknown>,
  subjectId: string | null = null,
): AuditEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    action,
    actor: { id: '00000000-0000-4000-8000-000000000002', label: 'maria@example.org' },
    subjectType: null,
    subjectId,
    details,
    createdAt: '2026-11-19T10:00:00.000Z',
  };
}

describe('audit log in words', () => {
  it('says who did what to which provider, by name', () => {
    expect(auditSentence(event('mdm.deactivated', { previousState: 'active' }, 'google'), names)).toBe(
      'Maria Lopez deactivated Google Admin',
    );
  });

  it('names devices by serial number and people by name', () => {
    expect(
      auditSentence(event('device.checked_out', { serialNumber: 'PF3X9K2L', personName: 'Ava Chen' }), names),
    ).toBe('Maria Lopez checked out PF3X9K2L to Ava Chen');
    expect(
      auditSentence(event('device.updated', { serialNumber: 'PF3X9K2L', bulk: true, changes: {} }), names),
    ).toBe('Maria Lopez changed device PF3X9K2L in a bulk change');
  });

  it('falls back to the recorded label for someone no longer a user, and to the action for an unknown event', () => {
    const gone = { ...event('something.new', {}), actor: { id: null, label: 'system' } };
    expect(auditSentence(gone, names)).toBe('system: something.new');
  });

  it('reads a change field by field, with statuses and roles in words', () => {
    const changed = event('device.updated', {
      serialNumber: 'PF3X9K2L',
      changes: { status: { from: 'in_service', to: 'lost' }, assetTag: { from: null, to: 'A-1001' } },
    });
    expect(auditChanges(changed)).toEqual([
      { field: 'Status', from: 'In service', to: 'Lost' },
      { field: 'Asset tag', from: '(empty)', to: 'A-1001' },
    ]);
    const role = event('user.updated', {
      email: 'x@example.org',
      changes: { role: { from: 'viewer', to: 'technician' } },
    });
    expect(auditChanges(role)).toEqual([{ field: 'Role', from: 'Viewer', to: 'Technician' }]);
    expect(fieldLabel('authMethod')).toBe('Auth method');
    const zone = event('district.updated', { changes: { timeZone: { from: null, to: 'America/Chicago' } } });
    expect(auditSentence(zone, names)).toBe('Maria Lopez changed the district’s settings');
    expect(auditChanges(zone)).toEqual([{ field: 'Time zone', from: '(empty)', to: 'America/Chicago' }]);
  });
});
