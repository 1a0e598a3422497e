import type { SiteClassCode } from '../../directory/domain/site-classes';
import type { Channel, IncidentStatus, ResolutionCode } from '../../incidents/domain/incident-enums';
import type { Role } from '../../users/domain/roles';

/** The desk's words for the incident's values (agents' vocabulary; the reporter's page has its own). */
export function statusLabel(status: IncidentStatus): string {
  switch (status) {
    case 'new':
      return 'New';
    case 'assigned':
      return 'Assigned';
    case 'in_progress':
      return 'In progress';
    case 'awaiting_caller':
      return 'On hold: caller';
    case 'awaiting_supplier':
      return 'On hold: supplier';
    case 'resolved':
      return 'Resolved';
    case 'closed':
      return 'Closed';
    case 'cancelled':
      return 'Cancelled';
  }
}

export function siteClassLabel(code: SiteClassCode): string {
  switch (code) {
    case 'hospital':
      return 'Hospital';
    case 'community_health':
      return 'Community health';
    case 'mental_health':
      return 'Mental health & social care';
    case 'prison':
      return 'Prison';
    case 'other':
      return 'Other';
  }
}

export function channelLabel(channel: Channel): string {
  switch (channel) {
    case 'web':
      return 'Web form';
    case 'email':
      return 'Email';
    case 'phone':
      return 'Phone';
    case 'sms':
      return 'Text message';
    case 'api':
      return 'API';
  }
}

export function resolutionLabel(code: ResolutionCode): string {
  switch (code) {
    case 'fixed':
      return 'Fixed';
    case 'workaround':
      return 'Workaround';
    case 'supplier_fixed':
      return 'Fixed by supplier';
    case 'no_fault_found':
      return 'No fault found';
    case 'not_reproducible':
      return 'Not reproducible';
    case 'user_error':
      return 'User error (advice given)';
    case 'duplicate':
      return 'Duplicate';
  }
}

export function roleLabel(role: Role): string {
  switch (role) {
    case 'agent':
      return 'Agent';
    case 'desk_manager':
      return 'Desk manager';
    case 'trust_manager':
      return 'Trust manager';
    case 'supplier':
      return 'Supplier';
    case 'admin':
      return 'Administrator';
  }
}
