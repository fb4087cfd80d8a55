import { DataTypes, QueryInterface } from 'sequelize';

// Stable integer ids behind EC2-style ids (ami-0000002a, vol-..., snap-...): Nova kept one table per
// kind (s3_images, volume_id_mappings, snapshot_id_mappings); one table keyed by kind serves them all.
// Frozen once landed: later changes go in new numbered files.
export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('ec2_id_mappings', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    uuid: { type: DataTypes.STRING(255), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('ec2_id_mappings', ['kind', 'uuid'], { unique: true, name: 'ec2_id_mappings_kind_uuid' });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('ec2_id_mappings');
}
