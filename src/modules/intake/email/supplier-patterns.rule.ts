import {
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { parseSupplierPatterns } from './domain/supplier-patterns';

/** Boot-time check of INTAKE_SUPPLIER_PATTERNS (see parseSupplierPatterns). */
@ValidatorConstraint({ name: 'supplierPatterns' })
export class SupplierPatternsRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseSupplierPatterns(value).ok;
  }

  defaultMessage(args: ValidationArguments): string {
    const parsed = typeof args.value === 'string' ? parseSupplierPatterns(args.value) : null;
    return parsed && !parsed.ok ? parsed.message : 'must be a JSON array of {supplier, pattern, domains}';
  }
}
