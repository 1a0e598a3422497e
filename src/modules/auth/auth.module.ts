import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { SecretsService } from '../system/secrets.service';
import { AuditModule } from '../audit/audit.module';
import { SystemModule } from '../system/system.module';
import { User } from '../users/user.entity';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionVersions } from './session-versions';

@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    SystemModule,
    AuditModule,
    JwtModule.registerAsync({
      imports: [SystemModule],
      inject: [SecretsService, AppConfig],
      useFactory: async (secrets: SecretsService, config: AppConfig) => {
        // A KeyObject made once: given a string, jsonwebtoken re-derives the key (trying it as a public key
        // first) on every verify, which showed up at 5% of CPU under load.
        const key = createSecretKey(
          Buffer.from(await secrets.getOrCreate('jwt-signing-key', config.env.JWT_SECRET), 'utf8'),
        );
        return {
          secret: key,
          signOptions: { algorithm: 'HS256', issuer: 'rosedesk' },
          verifyOptions: { algorithms: ['HS256'], issuer: 'rosedesk' },
        };
      },
    }),
  ],
  controllers: [AuthController],
  // AuthGuard is also a provider of its own, so the HTTP pipeline can run its token check before a body is read.
  providers: [
    AuthService,
    PasswordHasher,
    LoginThrottle,
    SessionVersions,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [PasswordHasher, JwtModule, SessionVersions, AuthService, AuthGuard],
})
export class AuthModule {}
