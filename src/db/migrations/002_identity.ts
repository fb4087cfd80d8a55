import { DataTypes, QueryInterface } from 'sequelize';

// Frozen schema of the built-in Identity service (Keystone v3 subset). Never edit once landed.
const key = (n = 64) => ({ type: DataTypes.STRING(n), primaryKey: true, allowNull: false });
const s = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const b = (defaultValue = true) => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue });
const t = { type: DataTypes.TEXT, allowNull: true };
const stamps = { created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: false } };

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('identity_domains', { id: key(), name: s(64, false), description: t, enabled: b(), extra: t, ...stamps });
  await q.addIndex('identity_domains', ['name'], { unique: true });

  await q.createTable('identity_projects', {
    id: key(), name: s(64, false), domain_id: s(64, false), parent_id: s(64), description: t, enabled: b(), tags: t, extra: t, ...stamps,
  });
  await q.addIndex('identity_projects', ['domain_id', 'name'], { unique: true });

  await q.createTable('identity_users', {
    id: key(), name: s(255, false), domain_id: s(64, false), password_hash: s(255), enabled: b(), default_project_id: s(64),
    extra: t, password_changed_at: { type: DataTypes.DATE, allowNull: true }, ...stamps,
  });
  await q.addIndex('identity_users', ['domain_id', 'name'], { unique: true });

  // domain_id is '' for global roles so that the unique index holds on every database.
  await q.createTable('identity_roles', { id: key(), name: s(255, false), domain_id: { ...s(64, false), defaultValue: '' }, description: t, ...stamps });
  await q.addIndex('identity_roles', ['domain_id', 'name'], { unique: true });
  await q.createTable('identity_implied_roles', { prior_role_id: key(), implied_role_id: key() });
  await q.addIndex('identity_implied_roles', ['implied_role_id']);

  // Keystone's assignment shape (type, actor, target, role) so domain grants can come later; 'UserProject' now.
  await q.createTable('identity_assignments', { type: key(32), actor_id: key(), target_id: key(), role_id: key() });
  await q.addIndex('identity_assignments', ['actor_id']);
  await q.addIndex('identity_assignments', ['target_id']);
  await q.addIndex('identity_assignments', ['role_id']);

  await q.createTable('identity_regions', { id: key(255), description: t, parent_region_id: s(255), ...stamps });
  await q.createTable('identity_services', { id: key(), type: s(255, false), name: s(255), description: t, enabled: b(), ...stamps });
  await q.addIndex('identity_services', ['type']);
  await q.createTable('identity_endpoints', {
    id: key(), service_id: s(64, false), interface: s(8, false), region_id: s(255), url: { type: DataTypes.TEXT, allowNull: false },
    enabled: b(), ...stamps,
  });
  await q.addIndex('identity_endpoints', ['service_id']);

  // Only a digest of each token is kept: a copy of this table cannot be replayed.
  await q.createTable('identity_tokens', {
    id: key(), user_id: s(64, false), project_id: s(64), methods: s(255, false), audit_id: s(64, false), audit_chain_id: s(64, false),
    issued_at: { type: DataTypes.DATE, allowNull: false }, expires_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('identity_tokens', ['user_id']);
  await q.addIndex('identity_tokens', ['project_id']);
  await q.addIndex('identity_tokens', ['expires_at']);

  await q.createTable('identity_ec2_credentials', {
    access: key(), secret: s(64, false), user_id: s(64, false), project_id: s(64, false), trust_id: s(64), ...stamps,
  });
  await q.addIndex('identity_ec2_credentials', ['user_id']);
  await q.addIndex('identity_ec2_credentials', ['project_id']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of ['identity_ec2_credentials', 'identity_tokens', 'identity_endpoints', 'identity_services', 'identity_regions',
    'identity_assignments', 'identity_implied_roles', 'identity_roles', 'identity_users', 'identity_projects', 'identity_domains']) {
    await q.dropTable(table);
  }
}
