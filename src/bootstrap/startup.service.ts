import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { loadDemoDirectory } from '../modules/directory/seed/demo-directory.loader';
import { loadDemoSupplierContracts } from '../modules/escalation/seed/demo-supplier-contracts';
import { UsersService } from '../modules/users/users.service';

/** First-start data: the demo directory into an empty database, and the first administrator. */
@Injectable()
export class StartupService {
  private readonly logger = new Logger('Startup');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async prepare(): Promise<void> {
    if (this.config.env.SEED_DEMO) {
      const [{ count }] = await this.db.query<{ count: number }[]>(
        'SELECT count(*)::int AS count FROM trust',
      );
      if (count === 0) {
        const added = await loadDemoDirectory(this.db.manager);
        const contractTargets = await loadDemoSupplierContracts(this.db.manager);
        this.logger.log({ added, contractTargets }, 'Loaded the demo directory into an empty database');
      }
    }
    await this.users.ensureAdmin(this.config.env.ADMIN_EMAIL, this.config.env.ADMIN_PASSWORD);
  }
}
