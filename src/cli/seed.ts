import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { prepare } from '../bootstrap/boot';
import { dataSourceOptions } from '../database/data-source-options';
import { loadDemoDirectory } from '../modules/directory/seed/demo-directory.loader';
import { loadDemoSupplierContracts } from '../modules/escalation/seed/demo-supplier-contracts';
import { errorText } from '../common/errors/error-text';

// `npm run seed`: load the demo directory explicitly (migrating first). Loading twice adds nothing.
async function main(): Promise<void> {
  const { config, embedded } = await prepare('worker');
  const ds = new DataSource(
    dataSourceOptions({ url: config.databaseUrl as string, poolSize: 2, embedded: !!embedded }),
  );
  try {
    await ds.initialize();
    const added = await loadDemoDirectory(ds.manager);
    const contractTargets = await loadDemoSupplierContracts(ds.manager);
    process.stdout.write(
      `Demo directory loaded; rows added: ${JSON.stringify({ ...added, contractTargets })}\n`,
    );
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Seeding failed: ${errorText(err)}\n`);
  process.exit(1);
});
