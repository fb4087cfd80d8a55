import { DataTypes, QueryInterface } from 'sequelize';

// nova-cert's record of issued certificates (Nova's `certificates` table, plus the serial, the CA that
// signed it and when it was revoked, so revocation can rebuild each CA's CRL from the database).
// Frozen once landed: later changes go in new numbered files.
const s = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('certificates', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    user_id: s(255, false),
    project_id: s(255, false),
    file_name: s(255, false),
    serial: s(64, false),
    ca_folder: s(255, false),
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('certificates', ['ca_folder', 'serial'], { unique: true, name: 'certificates_ca_folder_serial' });
  await q.addIndex('certificates', ['user_id'], { name: 'certificates_user_id' });
  await q.addIndex('certificates', ['project_id'], { name: 'certificates_project_id' });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('certificates');
}
