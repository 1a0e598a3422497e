import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsoleSession } from './console-session.entity';
import { ConsoleSessions } from './console-sessions.service';

/**
 * Console sessions on their own, so that a module which must end a user's sessions (user administration) can
 * import this without importing the console's pages.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ConsoleSession])],
  providers: [ConsoleSessions],
  exports: [ConsoleSessions],
})
export class ConsoleSessionsModule {}
