import { DataTypes, QueryInterface } from 'sequelize';

// Frozen schema of version 4: Nova's `migrations` table (cold resize/migrate, and later live moves).
const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const s = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const i = () => ({ type: DataTypes.INTEGER, allowNull: true });
const d = () => ({ type: DataTypes.DATE, allowNull: true });

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('migrations', {
    id, uuid: s(36, false), instance_uuid: s(36, false), migration_type: s(16, false), status: s(255, false),
    source_compute: s(), source_node: s(), source_node_id: i(), dest_compute: s(), dest_node: s(), dest_node_id: i(), dest_host: s(),
    old_instance_type_id: i(), new_instance_type_id: i(), user_id: s(), project_id: s(),
    hidden: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: false },
    deleted_at: d(), deleted: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await q.addIndex('migrations', ['uuid'], { unique: true });
  await q.addIndex('migrations', ['instance_uuid', 'status']);
  await q.addIndex('migrations', ['source_compute', 'status']);
  await q.addIndex('migrations', ['dest_compute', 'status']);
  await q.addIndex('migrations', ['updated_at']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('migrations');
}
