import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Secrets the desk makes for itself when the environment provides none. The first instance to ask creates the
 * value; concurrent instances agree on it through the primary key.
 */
@Injectable()
export class SecretsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async getOrCreate(name: string, fromEnv: string | undefined): Promise<string> {
    if (fromEnv) return fromEnv;
    await this.db.query(
      'INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, randomBytes(48).toString('base64url')],
    );
    const rows: { value: string }[] = await this.db.query('SELECT value FROM app_secret WHERE name = $1', [
      name,
    ]);
    return rows[0].value;
  }
}
