import { Module } from '@nestjs/common';
import { WebModule } from '../../common/web/web.module';
import { AuthModule } from '../auth/auth.module';
import { DirectoryModule } from '../directory/directory.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { UsersModule } from '../users/users.module';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleLoginController } from './console-login.controller';
import { ConsolePageFilter } from './console-page.filter';
import { ConsolePagesController } from './console-pages.controller';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleViews } from './console-views';
import { IncidentActionsService } from './incident-actions.service';
import { IncidentPageService } from './incident-page.service';
import { NewIncidentController } from './new-incident/new-incident.controller';
import { NewIncidentPageService } from './new-incident/new-incident-page.service';
import { QueuePageService } from './queue-page.service';
import { ConsoleSessionsModule } from './sessions/console-sessions.module';

/**
 * The agents' web console under /console: server-rendered pages (templates/console) enhanced with htmx. It
 * reads and changes incidents only through the incidents module's exported services. `ConsoleSessions`
 * (sign-in sessions, with `endAllForUser`) lives in ConsoleSessionsModule, re-exported here.
 */
@Module({
  imports: [ConsoleSessionsModule, WebModule, AuthModule, UsersModule, DirectoryModule, IncidentsModule],
  controllers: [
    ConsoleLoginController,
    ConsoleAssetsController,
    ConsolePagesController,
    NewIncidentController,
  ],
  providers: [
    { provide: ConsoleViews, useFactory: () => new ConsoleViews() },
    ConsolePageFilter,
    ConsoleSessionGuard,
    QueuePageService,
    IncidentPageService,
    IncidentActionsService,
    NewIncidentPageService,
  ],
  exports: [ConsoleSessionsModule],
})
export class ConsoleModule {}
