import { DataTypes, QueryInterface } from 'sequelize';

// Host aggregates (with their hosts and metadata) and server groups (with policy, rules, members),
// as Nova's API database keeps them. Frozen once landed: later changes go in new numbered files.
export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
  const stamps = { created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: true } };
  await q.createTable('aggregates', {
    id, uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(255), allowNull: false, unique: true }, ...stamps,
  });
  await q.createTable('aggregate_hosts', {
    id, aggregate_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'aggregates', key: 'id' }, onDelete: 'CASCADE' },
    host: { type: DataTypes.STRING(255), allowNull: false }, ...stamps,
  });
  await q.addIndex('aggregate_hosts', ['aggregate_id', 'host'], { unique: true, name: 'aggregate_hosts_aggregate_host' });
  await q.createTable('aggregate_metadata', {
    id, aggregate_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'aggregates', key: 'id' }, onDelete: 'CASCADE' },
    key: { type: DataTypes.STRING(255), allowNull: false }, value: { type: DataTypes.STRING(255), allowNull: false }, ...stamps,
  });
  await q.addIndex('aggregate_metadata', ['aggregate_id', 'key'], { unique: true, name: 'aggregate_metadata_aggregate_key' });

  await q.createTable('instance_groups', {
    id, uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(255), allowNull: true },
    project_id: { type: DataTypes.STRING(255), allowNull: false }, user_id: { type: DataTypes.STRING(255), allowNull: false }, ...stamps,
  });
  await q.createTable('instance_group_policy', {
    id, group_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'instance_groups', key: 'id' }, onDelete: 'CASCADE' },
    policy: { type: DataTypes.STRING(255), allowNull: false }, rules: { type: DataTypes.TEXT, allowNull: true }, ...stamps,
  });
  await q.createTable('instance_group_member', {
    id, group_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'instance_groups', key: 'id' }, onDelete: 'CASCADE' },
    instance_uuid: { type: DataTypes.STRING(36), allowNull: false }, ...stamps,
  });
  await q.addIndex('instance_group_member', ['group_id', 'instance_uuid'], { unique: true, name: 'instance_group_member_group_instance' });
  await q.addIndex('instance_group_member', ['instance_uuid'], { name: 'instance_group_member_instance' });
  await q.addIndex('instance_groups', ['project_id'], { name: 'instance_groups_project' });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const t of ['instance_group_member', 'instance_group_policy', 'instance_groups', 'aggregate_metadata', 'aggregate_hosts', 'aggregates']) await q.dropTable(t);
}
