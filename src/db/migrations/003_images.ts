import { DataTypes, QueryInterface } from 'sequelize';

// Tables of the built-in Image service (Glance v2 subset). Frozen once landed: change in a new file.
const s = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const int0 = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };
const bool0 = { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false };
const serial = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const stamps = { created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: false } };

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('images', {
    id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
    name: s(255), disk_format: s(20), container_format: s(20),
    size: { type: DataTypes.BIGINT, allowNull: true }, virtual_size: { type: DataTypes.BIGINT, allowNull: true },
    status: s(30, false), visibility: s(20, false), checksum: s(32), os_hash_algo: s(64), os_hash_value: s(128),
    min_disk: int0, min_ram: int0, owner: s(255), protected: bool0, os_hidden: bool0,
    location: { type: DataTypes.TEXT, allowNull: true }, deleted: bool0,
    deleted_at: { type: DataTypes.DATE, allowNull: true }, ...stamps,
  });
  await q.addIndex('images', ['owner']);
  await q.addIndex('images', ['visibility']);
  await q.addIndex('images', ['deleted', 'created_at']);
  await q.addIndex('images', ['name']);
  await q.addIndex('images', ['checksum']);
  await q.addIndex('images', ['updated_at']);

  await q.createTable('image_properties', { id: serial, image_id: s(36, false), name: s(255, false), value: { type: DataTypes.TEXT, allowNull: true } });
  await q.addIndex('image_properties', ['image_id', 'name'], { unique: true });
  await q.addIndex('image_properties', ['name']);

  await q.createTable('image_members', { id: serial, image_id: s(36, false), member: s(255, false), status: { ...s(20, false), defaultValue: 'pending' }, ...stamps });
  await q.addIndex('image_members', ['image_id', 'member'], { unique: true });
  await q.addIndex('image_members', ['member', 'status']);

  await q.createTable('image_tags', { id: serial, image_id: s(36, false), value: s(255, false) });
  await q.addIndex('image_tags', ['image_id', 'value'], { unique: true });
  await q.addIndex('image_tags', ['value']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of ['image_tags', 'image_members', 'image_properties', 'images']) await q.dropTable(table);
}
