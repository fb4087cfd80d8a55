import { DataTypes, QueryInterface } from 'sequelize';

// Console authorizations (Nova's `console_auth_tokens`, Rocky): only the SHA-256 of a token is stored,
// so a database dump hands out no console; `expires` is a Unix time in seconds. Every proxy replica
// checks tokens through nova-consoleauth against this one table.
// Frozen once landed: later changes go in new numbered files.
const s = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('console_auth_tokens', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    token_hash: s(255, false),
    console_type: s(255, false),
    host: s(255, false),
    port: { type: DataTypes.INTEGER, allowNull: false },
    internal_access_path: s(255),
    instance_uuid: s(36, false),
    expires: { type: DataTypes.INTEGER, allowNull: false },
    access_url_base: s(255),
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('console_auth_tokens', ['token_hash'], { unique: true, name: 'uniq_console_auth_tokens0token_hash' });
  await q.addIndex('console_auth_tokens', ['instance_uuid'], { name: 'console_auth_tokens_instance_uuid_idx' });
  await q.addIndex('console_auth_tokens', ['expires'], { name: 'console_auth_tokens_expires_idx' });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('console_auth_tokens');
}
