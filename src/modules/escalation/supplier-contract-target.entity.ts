import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A supplier's underpinning-contract targets for one priority: business minutes (on an SLA calendar) to
 * acknowledge and to fix, timed from the moment of escalation. `assumed`: plausible figures, not the signed contract.
 */
@Entity('supplier_contract_target')
export class SupplierContractTarget {
  @PrimaryColumn({ type: 'uuid' })
  supplierId: string;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  priority: string;

  @Column({ type: 'varchar', length: 32 })
  calendarCode: string;

  @Column({ type: 'int' })
  acknowledgeMinutes: number;

  @Column({ type: 'int' })
  fixMinutes: number;

  @Column({ type: 'boolean', default: true })
  assumed: boolean;
}
