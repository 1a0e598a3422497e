import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StartupService } from './bootstrap/startup.service';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { AuthModule } from './modules/auth/auth.module';
import { ConsoleModule } from './modules/console/console.module';
import { DirectoryModule } from './modules/directory/directory.module';
import { EscalationModule, EscalationWorkerModule } from './modules/escalation/escalation.module';
import { HealthModule } from './modules/health/health.module';
import { IncidentsWorkerModule } from './modules/incidents/incidents-worker.module';
import { IncidentsModule } from './modules/incidents/incidents.module';
import { EmailIntakeWorkerModule } from './modules/intake/email/email-intake-worker.module';
import { EmailIntakeModule } from './modules/intake/email/email-intake.module';
import { PhoneModule, PhoneWorkerModule } from './modules/intake/phone/phone.module';
import { WebIntakeModule } from './modules/intake/web/web-intake.module';
import { NotificationsWorkerModule } from './modules/notifications/notifications-worker.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { ReportDeliveryWorkerModule } from './modules/reporting/delivery/report-delivery-worker.module';
import { ReportingModule } from './modules/reporting/reporting.module';
import { SlaWorkerModule } from './modules/sla/sla-worker.module';
import { SlaModule } from './modules/sla/sla.module';
import { SystemModule } from './modules/system/system.module';
import { UsersModule } from './modules/users/users.module';
import { QueueModule } from './queue/queue.module';

/** Queue processors and sweepers: only in the `all` and `worker` roles. */
const WORKER_MODULES = [
  NotificationsWorkerModule,
  IncidentsWorkerModule,
  EmailIntakeWorkerModule,
  SlaWorkerModule,
  PhoneWorkerModule,
  EscalationWorkerModule,
  ReportDeliveryWorkerModule,
];

/**
 * The whole desk. The same module serves every role: `api` leaves the queue workers out, `worker` serves no
 * HTTP (see main.ts and worker.ts).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({
            ...dataSourceOptions({
              url: requiredUrl(c),
              poolSize: c.poolSize,
              embedded: c.mode === 'embedded',
            }),
            migrationsRun: false,
          }),
        }),
        QueueModule,
        SystemModule,
        AuthModule,
        UsersModule,
        DirectoryModule,
        HealthModule,
        NotificationsModule,
        IncidentsModule,
        SlaModule,
        EscalationModule,
        ReportingModule,
        WebIntakeModule,
        EmailIntakeModule,
        PhoneModule,
        ConsoleModule,
        ...(config.runsWorkers ? WORKER_MODULES : []),
      ],
      providers: [StartupService],
    };
  }
}

function requiredUrl(config: AppConfig): string {
  if (!config.databaseUrl) throw new Error('No database URL: the embedded database was not started');
  return config.databaseUrl;
}
