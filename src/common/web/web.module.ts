import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretsService } from '../../modules/system/secrets.service';
import { SystemModule } from '../../modules/system/system.module';
import { CsrfService } from './csrf.service';

/** The pieces every set of server-rendered pages shares (the public form, the console): CSRF tokens. */
@Module({
  imports: [SystemModule],
  providers: [
    {
      provide: CsrfService,
      inject: [SecretsService, AppConfig],
      useFactory: async (secrets: SecretsService, config: AppConfig) =>
        new CsrfService(
          Buffer.from(await secrets.getOrCreate('report-csrf-key', undefined), 'utf8'),
          config.env.PUBLIC_BASE_URL.startsWith('https:'),
        ),
    },
  ],
  exports: [CsrfService],
})
export class WebModule {}
