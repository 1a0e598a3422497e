import { Module } from '@nestjs/common';
import { WebModule } from '../../common/web/web.module';
import { AuthModule } from '../auth/auth.module';
import { DirectoryModule } from '../directory/directory.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { EmailIntakeModule } from '../intake/email/email-intake.module';
import { EscalationModule } from '../escalation/escalation.module';
import { ReportingModule } from '../reporting/reporting.module';
import { SlaModule } from '../sla/sla.module';
import { AdminHomeController } from './admin/admin-home.controller';
import { ContactsAdminPage } from './admin/contacts-admin.page';
import { ContactsAdminController, SitesAdminController } from './admin/directory-admin.controller';
import { IntakeLogPagesController } from './admin/intake-log.controller';
import { QueueHealthController } from './admin/queue-health.controller';
import { QueueHealthService } from './admin/queue-health.service';
import { SitesAdminPage } from './admin/sites-admin.page';
import { SlaAdminPagesController } from './admin/sla-admin.controller';
import { SlaAdminPage } from './admin/sla-admin.page';
import { UsersAdminController } from './admin/users-admin.controller';
import { UsersAdminPage } from './admin/users-admin.page';
import { UsersModule } from '../users/users.module';
import { BulkActionsController } from './bulk-actions.controller';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleLoginController } from './console-login.controller';
import { ConsolePageFilter } from './console-page.filter';
import { ConsoleParticipant } from './console-participant';
import { ConsolePagesController } from './console-pages.controller';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleViews } from './console-views';
import { IncidentActionsService } from './incident-actions.service';
import { IncidentPageService } from './incident-page.service';
import { NewIncidentController } from './new-incident/new-incident.controller';
import { NewIncidentPageService } from './new-incident/new-incident-page.service';
import { QueuePageService } from './queue-page.service';
import { ReportsPageController } from './reports/reports-page.controller';
import { ConsoleSessionsModule } from './sessions/console-sessions.module';
import { ConsoleLiveController } from './live/console-live.controller';
import { ConsoleLive } from './live/console-live.service';

/**
 * The agents' web console under /console: server-rendered pages (templates/console) enhanced with htmx. It
 * reads and changes incidents only through the incidents module's exported services. `ConsoleSessions`
 * (sign-in sessions, with `endAllForUser`) lives in ConsoleSessionsModule, re-exported here.
 */
@Module({
  imports: [
    ConsoleSessionsModule,
    WebModule,
    AuthModule,
    UsersModule,
    DirectoryModule,
    IncidentsModule,
    EmailIntakeModule,
    SlaModule,
    EscalationModule,
    ReportingModule,
  ],
  controllers: [
    ConsoleLoginController,
    ConsoleAssetsController,
    ConsolePagesController,
    ConsoleLiveController,
    BulkActionsController,
    NewIncidentController,
    AdminHomeController,
    IntakeLogPagesController,
    QueueHealthController,
    UsersAdminController,
    SitesAdminController,
    ContactsAdminController,
    SlaAdminPagesController,
    ReportsPageController,
  ],
  providers: [
    { provide: ConsoleViews, useFactory: () => new ConsoleViews() },
    ConsolePageFilter,
    ConsoleParticipant,
    ConsoleLive,
    ConsoleSessionGuard,
    QueuePageService,
    IncidentPageService,
    IncidentActionsService,
    NewIncidentPageService,
    QueueHealthService,
    UsersAdminPage,
    SitesAdminPage,
    ContactsAdminPage,
    SlaAdminPage,
  ],
  exports: [ConsoleSessionsModule],
})
export class ConsoleModule {}
