import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DirectoryModule } from '../directory/directory.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { SystemModule } from '../system/system.module';
import { UsersModule } from '../users/users.module';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleLoginController } from './console-login.controller';
import { ConsolePageFilter } from './console-page.filter';
import { ConsolePagesController } from './console-pages.controller';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleViews } from './console-views';
import { IncidentActionsService } from './incident-actions.service';
import { IncidentPageService } from './incident-page.service';
import { LoginCsrf } from './login-csrf.service';
import { QueuePageService } from './queue-page.service';
import { ConsoleSessionsModule } from './sessions/console-sessions.module';

/**
 * The agents' web console under /console: server-rendered pages (templates/console) enhanced with htmx. It
 * reads and changes incidents only through the incidents module's exported services. `ConsoleSessions`
 * (sign-in sessions, with `endAllForUser`) lives in ConsoleSessionsModule, re-exported here.
 */
@Module({
  imports: [ConsoleSessionsModule, AuthModule, UsersModule, DirectoryModule, IncidentsModule, SystemModule],
  controllers: [ConsoleLoginController, ConsoleAssetsController, ConsolePagesController],
  providers: [
    { provide: ConsoleViews, useFactory: () => new ConsoleViews() },
    ConsolePageFilter,
    ConsoleSessionGuard,
    LoginCsrf,
    QueuePageService,
    IncidentPageService,
    IncidentActionsService,
  ],
  exports: [ConsoleSessionsModule],
})
export class ConsoleModule {}
