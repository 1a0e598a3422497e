import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A form the public form page rendered and that created an incident, known by its CSRF token (each rendered form has
 * its own): the same form sent again (a double click, the back button) finds its incident here instead of making a
 * second one. Kept for a day.
 */
@Entity('report_submission')
export class ReportSubmission {
  /** SHA-256 (hex) of the form's CSRF token. */
  @PrimaryColumn({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'uuid' })
  incidentId: string;

  @Index('report_submission_created_idx')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
