import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { prepare } from '../bootstrap/boot';
import { DomainError } from '../common/errors/domain-error';
import { errorText } from '../common/errors/error-text';
import type { AuthUser } from '../modules/auth/auth-user';
import { isPeriodProblem, monthPeriod } from '../modules/reporting/domain/report-period';
import { ReportPacks } from '../modules/reporting/report-packs.service';
import { SlaReportService } from '../modules/reporting/sla-report.service';

const USAGE = 'Usage: npm run report -- --trust <code> --month YYYY-MM [--csv]';

/** The operator reads as a desk manager does: any trust, through the same service, scope rule and frozen packs. */
const OPERATOR: AuthUser = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'operator@localhost',
  name: 'Operator (npm run report)',
  role: 'desk_manager',
  trustId: null,
  supplierId: null,
};

// `npm run report -- --trust LCFT --month 2026-10 [--csv]`: prints one trust's SLA report for a month (the frozen
// pack once the month is closed) as JSON, or its CSV. Exit 2 on a bad argument, 1 on any other failure.
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      trust: { type: 'string' },
      month: { type: 'string' },
      csv: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.trust || !values.month) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const period = monthPeriod(values.month);
  if (isPeriodProblem(period)) {
    process.stderr.write(`--month ${period.reason}\n${USAGE}\n`);
    return 2;
  }
  // The api role without its listeners' fixed ports: no queue workers, and an SMTP listener on a free port only.
  const { config, embedded } = await prepare('api', { ...process.env, SMTP_INTAKE_PORT: '0' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    const target = await app
      .get(SlaReportService)
      .target(OPERATOR, { trust: values.trust, from: period.from, to: period.to });
    const packs = app.get(ReportPacks);
    if (values.csv) {
      const frozen = await packs.frozenCsv(target);
      if (frozen !== null) process.stdout.write(frozen);
      else await app.get(SlaReportService).writeCsv(target, process.stdout);
    } else {
      process.stdout.write(`${JSON.stringify(await packs.report(target), null, 2)}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof DomainError && err.status < 500) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Report failed: ${errorText(err)}\n`);
    process.exit(1);
  },
);
